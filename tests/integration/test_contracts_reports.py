"""Progress reports: the operator reports KPI values with evidence; the funder accepts or rejects."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.contracts.models import ContractFile, ProgressReport
from app.core.models import AuditEvent, OutboxMessage
from app.core.uploads import read_stored
from tests.builders.contracts import accepted_value, worked_example_contract
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def report_url(contract, milestone) -> str:
    return f"/my/contracts/{contract.id}/milestones/{milestone.id}/report"


def report_count() -> int:
    from app.extensions import db

    return db.session.scalar(select(func.count(ProgressReport.id)))


@pytest.fixture
def signed(db):
    """A signed worked-example contract; returns (admin, contract, members milestone, operator)."""
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    return admin, contract, members, contract.proposal.applicant


def test_operator_submits_report_with_evidence_files(client, db, login_as, signed):
    admin, contract, members, operator = signed
    login_as(operator)
    response = post_form(client, report_url(contract, members), {
        "achieved": "20", "evidence_text": "Mitgliederliste mit 20 Unternehmen, Stand 30.10.2003.",
        "files": [(io.BytesIO(PDF), "Mitgliederliste.pdf"), (io.BytesIO(PDF), "Protokoll.pdf")],
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    report = db.session.scalars(select(ProgressReport)).one()
    assert (report.achieved, report.status, report.submitted_by_id) == (Decimal(20), "submitted", operator.id)
    assert sorted(f.display_name for f in report.files) == ["Mitgliederliste.pdf", "Protokoll.pdf"]
    assert read_stored(report.files[0].storage_key) == PDF
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.report_submitted"))
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "report_submitted")).one()
    assert mail.recipient == admin.email and f"/reports/{report.id}" in mail.body
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bericht wartet auf Prüfung" in page
    # Evidence can be downloaded by the operator; the page links it.
    link = f"/contracts/{contract.id}/files/{report.files[0].id}"
    assert link in page and client.get(link).data == PDF


@pytest.mark.parametrize("value,message", [
    ("12,5x", "Bitte geben Sie eine Zahl ein"),
    ("abc", "Bitte geben Sie eine Zahl ein"),
    ("-3", "Der Wert darf nicht negativ sein."),
    ("", "Bitte geben Sie den Istwert ein."),
    ("1,2345", "höchstens drei Nachkommastellen"),
])
def test_bad_kpi_values_are_refused_and_the_text_is_kept(client, db, login_as, signed, value, message):
    _admin, contract, members, operator = signed
    login_as(operator)
    response = post_form(client, report_url(contract, members), {"achieved": value, "evidence_text": "Liste."})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert "Liste." in body
    assert report_count() == 0


@pytest.mark.parametrize("name,data,message", [
    ("tool.exe", b"MZ\x90\x00binary", "Programme und Skripte"),
    ("liste.pdf", b"not a pdf at all", "passt nicht zu ihrer Endung"),
    ("liste.txt", b"plain text", "Dateityp ist nicht erlaubt"),
    ("leer.pdf", b"", "Die Datei ist leer."),
])
def test_evidence_uploads_are_refused_like_proposal_attachments(client, db, login_as, signed, name, data, message):
    _admin, contract, members, operator = signed
    login_as(operator)
    response = post_form(client, report_url(contract, members), {
        "achieved": "20", "evidence_text": "Liste.",
        "files": [(io.BytesIO(PDF), "gut.pdf"), (io.BytesIO(data), name)],
    }, content_type="multipart/form-data")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert report_count() == 0
    assert db.session.scalar(select(func.count(ContractFile.id))) == 0


def test_one_open_report_per_milestone(client, db, login_as, signed):
    _admin, contract, members, operator = signed
    login_as(operator)
    assert post_form(client, report_url(contract, members), {"achieved": "18", "evidence_text": "a"}).status_code == 302
    again = post_form(client, report_url(contract, members), {"achieved": "19", "evidence_text": "b"})
    assert "wartet auf Prüfung" in again.get_data(as_text=True)
    assert report_count() == 1


def test_database_allows_only_one_open_report(db, signed):
    _admin, _contract, members, operator = signed
    db.session.add_all([ProgressReport(milestone_id=members.id, achieved=Decimal(1), status="submitted"),
                        ProgressReport(milestone_id=members.id, achieved=Decimal(2), status="submitted")])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_report_for_another_operators_contract_is_404(client, db, login_as, signed):
    admin, contract, members, _operator = signed
    login_as(worked_example_contract(admin)[0].proposal.applicant)
    url = report_url(contract, members)
    assert client.get(url).status_code == 404
    response = client.post(url, data={"achieved": "20", "evidence_text": "x"})
    assert response.status_code in (400, 404)  # no valid token either: nothing is saved
    assert report_count() == 0


def test_no_reports_before_signing(client, db, login_as):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin, sign=False)
    login_as(contract.proposal.applicant)
    body = client.get(report_url(contract, members)).get_data(as_text=True)
    assert "solange der Vertrag unterzeichnet" in body
    assert 'name="achieved"' not in body


def test_admin_rejects_with_reason_the_operator_reads_and_receives(client, db, login_as, signed, app):
    admin, contract, members, operator = signed
    login_as(operator)
    post_form(client, report_url(contract, members), {"achieved": "30", "evidence_text": "Liste folgt."})
    report = db.session.scalars(select(ProgressReport)).one()

    admin_client = app.test_client()
    from tests.web import login

    login(admin_client, admin.email)
    review = f"/admin/contracts/{contract.id}/reports/{report.id}"
    page = admin_client.get(review).get_data(as_text=True)
    assert "60.000,00" in page  # what accepting would pay (30 ≥ target: the full tranche)
    missing = post_form(admin_client, f"{review}/reject", {"reason": ""}, token_from=review)
    assert "Bitte begründen Sie die Zurückweisung" in missing.get_data(as_text=True)
    done = post_form(admin_client, f"{review}/reject", {"reason": "Die Mitgliederliste fehlt."}, token_from=review)
    assert done.status_code == 302
    db.session.expire_all()
    assert (report.status, report.rejection_reason) == ("rejected", "Die Mitgliederliste fehlt.")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "report_rejected")).one()
    assert mail.recipient == operator.email and "Die Mitgliederliste fehlt." in mail.body
    body = client.get(f"/my/contracts/{contract.id}").get_data(as_text=True)
    assert "Die Mitgliederliste fehlt." in body
    # A rejected report frees the milestone for a corrected one.
    assert post_form(client, report_url(contract, members), {"achieved": "20", "evidence_text": "Liste anbei."}
                     ).status_code == 302
    assert report_count() == 2


def test_accepting_drives_the_computed_payment(client, db, login_as, signed):
    admin, contract, members, operator = signed
    accepted_value(members, 20, admin)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "report_accepted")).one()
    assert mail.recipient == operator.email
    login_as(admin)
    page = client.get(f"/admin/contracts/{contract.id}").get_data(as_text=True)
    assert "45.000,00\xa0€" in page and "anerkannt, Teilzahlung offen" in page


def test_verified_report_cannot_be_verified_again(client, db, login_as, signed):
    admin, contract, members, _operator = signed
    accepted_value(members, 20, admin)
    report = db.session.scalars(select(ProgressReport)).one()
    login_as(admin)
    review = f"/admin/contracts/{contract.id}/reports/{report.id}"
    response = post_form(client, f"{review}/reject", {"reason": "doch nicht"}, token_from=review)
    assert "bereits geprüft" in response.get_data(as_text=True)
    db.session.expire_all()
    assert report.status == "accepted"


def test_other_users_cannot_download_evidence(client, db, login_as, signed, app):
    _admin, contract, members, operator = signed
    login_as(operator)
    post_form(client, report_url(contract, members), {"achieved": "20", "evidence_text": "x",
                                                      "files": [(io.BytesIO(PDF), "a.pdf")]},
              content_type="multipart/form-data")
    stored = db.session.scalars(select(ContractFile)).one()
    stranger = app.test_client()
    from tests.web import login

    login(stranger, UserFactory().email)
    assert stranger.get(f"/contracts/{contract.id}/files/{stored.id}").status_code == 404


def test_a_further_report_after_an_accepted_one_earns_the_next_instalment(client, db, login_as, signed):
    admin, contract, members, operator = signed
    accepted_value(members, 20, admin)
    login_as(operator)
    page = client.get(f"/my/contracts/{contract.id}").get_data(as_text=True)
    assert report_url(contract, members) in page  # the rest of the tranche can still be earned
    form = client.get(report_url(contract, members)).get_data(as_text=True)
    assert "Bisher anerkannt: 20" in form
    post_form(client, report_url(contract, members), {"achieved": "25", "evidence_text": "mehr"})
    assert report_count() == 2
    body = post_form(client, report_url(contract, members), {"achieved": "25", "evidence_text": "noch mehr"}
                     ).get_data(as_text=True)
    assert "wartet bereits ein Bericht auf Prüfung" in body or "wartet auf Prüfung" in body
    assert report_count() == 2
