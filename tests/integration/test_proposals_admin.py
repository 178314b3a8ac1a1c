"""Admin proposal list, detail, exports and reopening: access, filters, counts, queries, mails."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.extensions import db as _db
from app.proposals.models import Attachment, ProposalPartner
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory, UserFactory
from tests.web import login, post_form

_receipts = count(1)


def submitted(competition, partners=(), **kwargs):
    """A submitted proposal with receipt number, snapshot and the given partner organisations."""
    number = next(_receipts)
    kwargs.setdefault("submitted_at", utcnow() - timedelta(days=3))
    proposal = ProposalFactory(competition=competition, status="submitted", receipt_number=f"R-{number:04d}",
                               snapshot={"network_name": kwargs.get("network_name", "")}, **kwargs)
    for position, organisation in enumerate(partners):
        _db.session.add(ProposalPartner(proposal=proposal, position=position, organisation=organisation,
                                        town="Leipzig"))
    _db.session.commit()
    return proposal


@pytest.fixture
def competition():
    return CompetitionFactory(phase="precheck", submission_deadline=utcnow() - timedelta(days=1))


@pytest.fixture
def admin_client(client):
    login(client, AdminFactory().email)
    return client


def list_path(competition, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/admin/competitions/{competition.id}/proposals" + (f"?{query}" if query else "")


def receipts_on(body: str) -> set[str]:
    return set(re.findall(r"R-\d{4}", body))


# --- access ------------------------------------------------------------------------------

def _admin_pages(competition, proposal):
    return [
        list_path(competition),
        f"/admin/competitions/{competition.id}/proposals/export.csv",
        f"/admin/competitions/{competition.id}/proposals/export.xlsx",
        f"/admin/proposals/{proposal.id}",
        f"/admin/proposals/{proposal.id}/precheck",
    ]


@pytest.mark.parametrize("index", range(5))
def test_anonymous_is_sent_to_login(client, competition, index):
    path = _admin_pages(competition, submitted(competition))[index]
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("index", range(5))
def test_applicant_gets_403_even_for_own_proposal(client, competition, index):
    applicant = UserFactory()
    path = _admin_pages(competition, submitted(competition, applicant=applicant))[index]
    login(client, applicant.email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("index", range(5))
def test_admin_sees_page(admin_client, competition, index):
    path = _admin_pages(competition, submitted(competition))[index]
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("path", [
    "/admin/competitions/99999/proposals",
    "/admin/competitions/99999/proposals/export.csv",
    "/admin/proposals/99999",
    "/admin/proposals/99999/precheck",
])
def test_unknown_ids_are_404(admin_client, path):
    assert admin_client.get(path).status_code == 404


def test_unknown_export_format_is_404(admin_client, competition):
    assert admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.pdf").status_code == 404


def test_reopen_refused_to_applicant_and_anonymous(client, competition, db):
    proposal = submitted(competition)
    path = f"/admin/proposals/{proposal.id}/reopen"
    response = post_form(client, path, {"reason": "x"}, token_from="/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login(client, proposal.applicant.email)
    assert post_form(client, path, {"reason": "x"}, token_from="/").status_code == 403
    db.session.refresh(proposal)
    assert proposal.status == "submitted"


# --- list: filters, search, counts ---------------------------------------------------------

@pytest.fixture
def sample(competition):
    """Four submitted proposals in two sectors, one draft, one withdrawn, one of another competition."""
    return {
        "auto": submitted(competition, sector="Automobilzulieferer", network_name="Netzwerk Automobilzulieferer West",
                          short_name="NAZ", lead_name="Kunststofftechnik Lindenau GmbH", eligibility="eligible",
                          partners=["Gießerei Plagwitz KG", "Werkzeugbau Leutzsch GmbH"]),
        "vpe": submitted(competition, sector="Virtuelle Produktentwicklung",
                         network_name="Virtuelle Produktentwicklung",
                         short_name="VPE", lead_name="Designbüro Schleußig", eligibility="not_eligible",
                         eligibility_reason="Nur zwei Partner", partners=["3D-Druck Lindenau UG"]),
        "energy": submitted(competition, sector="Energie- und Umwelttechnik", network_name="Energie und Umwelt",
                            short_name="EUT", lead_name="Solartechnik Grünau GmbH"),
        "auto2": submitted(competition, sector="Automobilzulieferer", network_name="Zulieferer-Logistik",
                           short_name="ZLO", lead_name="Spedition Böhlitz-Ehrenberg",
                           partners=["Gießerei Plagwitz KG"]),
        "draft": ProposalFactory(competition=competition, status="draft", sector="Medien", network_name="Medienhof"),
        "withdrawn": ProposalFactory(competition=competition, status="withdrawn", sector="Medien",
                                     network_name="Rückzug"),
        "elsewhere": submitted(CompetitionFactory(), sector="Automobilzulieferer", network_name="Anderswo"),
    }


def test_list_shows_only_this_competitions_proposals(admin_client, competition, sample):
    body = admin_client.get(list_path(competition)).get_data(as_text=True)
    assert receipts_on(body) == {sample[k].receipt_number for k in ("auto", "vpe", "energy", "auto2")}
    assert "Medienhof" in body and "Rückzug" in body
    assert "Anderswo" not in body


@pytest.mark.parametrize("args,expected", [
    ({"status": "submitted"}, {"auto", "vpe", "energy", "auto2"}),
    ({"status": "draft"}, {"draft"}),
    ({"status": "withdrawn"}, {"withdrawn"}),
    ({"eligibility": "eligible"}, {"auto"}),
    ({"eligibility": "not_eligible"}, {"vpe"}),
    ({"eligibility": "pending"}, {"energy", "auto2"}),
    ({"sector": "Automobilzulieferer"}, {"auto", "auto2"}),
    ({"sector": "Automobilzulieferer", "eligibility": "pending"}, {"auto2"}),
    ({"q": "automobil"}, {"auto"}),  # network name, case-insensitive
    ({"q": "vpe"}, {"vpe"}),  # short name
    ({"q": "SOLARTECHNIK"}, {"energy"}),  # lead organisation
    ({"q": "gießerei plagwitz"}, {"auto", "auto2"}),  # partner organisation, each proposal once
    ({"q": "100%"}, set()),  # % is literal, not a wildcard
    ({"status": "nonsense"}, {"auto", "vpe", "energy", "auto2", "draft", "withdrawn"}),  # ignored
])
def test_list_filters_and_search(admin_client, competition, sample, args, expected):
    from urllib.parse import urlencode

    path = f"/admin/competitions/{competition.id}/proposals?{urlencode(args)}"
    body = admin_client.get(path).get_data(as_text=True)
    names = {key for key, p in sample.items() if key != "elsewhere" and f">{p.network_name}</a>" in body}
    assert names == expected
    assert f"{len(expected)} {'Antrag entspricht' if len(expected) == 1 else 'Anträge entsprechen'}" in body


def test_list_counts_per_status_and_sector(admin_client, competition, sample):
    body = admin_client.get(list_path(competition, status="draft")).get_data(as_text=True)
    # The overview counts the whole competition, whatever the filter.
    assert re.search(r"Eingereicht</th><td class=\"text-end\">4<", body)
    assert re.search(r"Entwurf</th><td class=\"text-end\">1<", body)
    assert re.search(r"Zurückgezogen</th><td class=\"text-end\">1<", body)
    assert re.search(r"Automobilzulieferer</th><td class=\"text-end\">2<", body)
    assert re.search(r"Medien</th><td class=\"text-end\">2<", body)
    assert re.search(r"Noch nicht vorgeprüft</th><td class=\"text-end\">2<", body)


def test_list_is_paginated(admin_client, competition):
    for _ in range(27):
        submitted(competition)
    first = admin_client.get(list_path(competition)).get_data(as_text=True)
    second = admin_client.get(list_path(competition, page=2)).get_data(as_text=True)
    assert len(receipts_on(first)) == 25 and len(receipts_on(second)) == 2
    assert not receipts_on(first) & receipts_on(second)


def _statements_for_one_get(client, path) -> int:
    statements = []

    def count_statement(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", count_statement)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count_statement)
    return len(statements)


def test_list_runs_the_same_number_of_queries_for_5_and_30_proposals(admin_client, competition):
    for _ in range(5):
        submitted(competition, partners=["A GmbH", "B KG"])
    few = _statements_for_one_get(admin_client, list_path(competition))
    for _ in range(25):
        submitted(competition, partners=["A GmbH", "B KG", "C AG"])
    many = _statements_for_one_get(admin_client, list_path(competition))
    assert few == many
    assert many <= 12


# --- exports -----------------------------------------------------------------------------------

def _csv_rows(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_parses_back_with_local_time_money_and_partner_count(admin_client, competition):
    submitted(competition, network_name="Netzwerk Automobilzulieferer", sector="Automobilzulieferer",
              lead_name="Kunststofftechnik Lindenau GmbH", lead_town="Leipzig", eligibility="eligible",
              requested_funding_cents=12_345_678, own_contribution_cents=3_000_050,
              submitted_at=datetime(2002, 5, 24, 14, 30, tzinfo=UTC), partners=["A GmbH", "B KG", "C AG"])
    response = admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    header, row = _csv_rows(response)
    record = dict(zip(header, row, strict=True))
    assert record["Eingereicht am (Ortszeit)"] == "2002-05-24 16:30"  # Berlin summer time
    assert record["Status"] == "Eingereicht"
    assert record["Ergebnis der Vorprüfung"] == "Förderfähig"
    assert record["Branche"] == "Automobilzulieferer"
    assert record["Netzwerkträger"] == "Kunststofftechnik Lindenau GmbH"
    assert record["Ort"] == "Leipzig"
    assert record["Partner"] == "3"
    assert record["Beantragte Förderung (EUR)"] == "123456,78"
    assert record["Eigenanteil (EUR)"] == "30000,50"
    assert re.fullmatch(r"R-\d{4}", record["Eingangsnummer"])


def test_csv_in_english_uses_commas_and_decimal_points(admin_client, competition):
    submitted(competition, requested_funding_cents=100_050)
    post_form(admin_client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    raw = admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.csv").get_data()
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert dict(zip(header, row, strict=True))["Requested funding (EUR)"] == "1000.50"


DANGEROUS = ["=HYPERLINK(\"http://evil.example\")", "+49 341 123", "-2+3", "@SUM(A1)"]


def test_exports_neutralise_formulas(admin_client, competition):
    for text in DANGEROUS:
        submitted(competition, network_name=text, lead_name=text)
    rows = _csv_rows(admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.csv"))
    header = rows[0]
    names = {dict(zip(header, r, strict=True))["Name des Netzwerks"] for r in rows[1:]}
    assert names == {"'" + text for text in DANGEROUS}

    response = admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    column = [c.value for c in sheet[1]].index("Name des Netzwerks")
    assert {row[column].value for row in sheet.iter_rows(min_row=2)} == {"'" + text for text in DANGEROUS}


def test_xlsx_export_opens_with_numbers_and_dates(admin_client, competition):
    submitted(competition, network_name="Netzwerk Energie", requested_funding_cents=12_345_678,
              submitted_at=datetime(2002, 1, 10, 9, 0, tzinfo=UTC), partners=["A", "B"])
    response = admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    record = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert record["Name des Netzwerks"] == "Netzwerk Energie"
    assert Decimal(str(record["Beantragte Förderung (EUR)"])) == Decimal("123456.78")
    assert record["Eingereicht am (Ortszeit)"] == datetime(2002, 1, 10, 10, 0)  # Berlin winter time
    assert record["Partner"] == 2
    assert sheet.max_row == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_honour_the_filters(admin_client, competition, sample, file_format):
    response = admin_client.get(f"/admin/competitions/{competition.id}/proposals/export.{file_format}"
                                f"?sector=Automobilzulieferer&q=gie%C3%9Ferei")
    if file_format == "csv":
        rows = _csv_rows(response)[1:]
        receipts = {row[0] for row in rows}
    else:
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        receipts = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert receipts == {sample["auto"].receipt_number, sample["auto2"].receipt_number}


def test_list_export_links_carry_the_filters(admin_client, competition, sample):
    body = admin_client.get(list_path(competition, sector="Medien", q="hof")).get_data(as_text=True)
    links = re.findall(r'href="([^"]*export\.(?:csv|xlsx)[^"]*)"', body)
    assert len(links) == 2 and all("sector=Medien" in link and "q=hof" in link for link in links)


# --- detail -----------------------------------------------------------------------------------

def test_detail_shows_fields_partners_attachments_precheck_and_audit(admin_client, competition, db):
    proposal = submitted(competition, network_name="Netzwerk Virtuelle Produktentwicklung",
                         partners=["3D-Druck Lindenau UG"], eligibility="not_eligible",
                         eligibility_reason="Nur ein Partner", prechecked_at=utcnow(),
                         precheck_checklist={"Mindestens drei Partnerunternehmen": False})
    attachment = Attachment(proposal=proposal, storage_key="k" * 32, display_name="Absichtserklaerung.pdf",
                            mime_type="application/pdf", size_bytes=2048, sha256="0" * 64)
    db.session.add(attachment)
    db.session.add(AuditEvent(action="proposal.submitted", object_type="proposals", object_id=proposal.id))
    db.session.add(AuditEvent(action="proposal.withdrawn", object_type="proposals", object_id=proposal.id + 1000))
    db.session.commit()
    body = admin_client.get(f"/admin/proposals/{proposal.id}").get_data(as_text=True)
    for text in ("Netzwerk Virtuelle Produktentwicklung", proposal.receipt_number, "3D-Druck Lindenau UG",
                 "Absichtserklaerung.pdf", "Nicht förderfähig", "Nur ein Partner",
                 "Mindestens drei Partnerunternehmen", "Antrag eingereicht"):
        assert text in body
    assert "Antrag zurückgezogen" not in body
    assert f'href="/proposals/{proposal.id}/attachments/{attachment.id}"' in body


# --- reopening ----------------------------------------------------------------------------------

def test_reopen_returns_to_draft_clears_precheck_audits_and_mails_in_applicant_language(admin_client, competition,
                                                                                          db):
    applicant = UserFactory(locale="en")
    proposal = submitted(competition, applicant=applicant, network_name="Netzwerk Medien",
                         eligibility="eligible", prechecked_at=utcnow())
    response = post_form(admin_client, f"/admin/proposals/{proposal.id}/reopen",
                         {"reason": "Der Finanzierungsplan fehlt."}, token_from=f"/admin/proposals/{proposal.id}")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == "draft" and proposal.reopened_at is not None
    assert proposal.eligibility is None and proposal.prechecked_at is None
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.reopened"))
    assert event_.object_id == proposal.id
    assert event_.before["status"] == "submitted" and event_.before["eligibility"] == "eligible"
    assert event_.after == {"status": "draft", "reason": "Der Finanzierungsplan fehlt.",
                            "reopened_at": proposal.reopened_at.isoformat()}
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == applicant.email and mail.locale == "en"
    assert mail.subject == f"Your proposal {proposal.receipt_number} has been reopened"
    assert "Der Finanzierungsplan fehlt." in mail.body and "Netzwerk Medien" in mail.body
    assert f"http://localhost/proposals/{proposal.id}" in mail.body


def test_reopen_needs_a_reason_and_keeps_nothing_changed(admin_client, competition, db):
    proposal = submitted(competition)
    response = post_form(admin_client, f"/admin/proposals/{proposal.id}/reopen", {"reason": "  "},
                         token_from=f"/admin/proposals/{proposal.id}")
    assert response.status_code == 200
    assert "Bitte geben Sie einen Grund an." in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == "submitted"
    assert db.session.scalar(select(OutboxMessage)) is None


@pytest.mark.parametrize("phase", ["review", "decision"])
def test_reopen_refused_after_the_precheck(admin_client, db, phase):
    proposal = submitted(CompetitionFactory(phase=phase))
    response = post_form(admin_client, f"/admin/proposals/{proposal.id}/reopen", {"reason": "Fehler"},
                         token_from="/")
    assert "nur bis zum Ende der Vorprüfung" in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.status == "submitted"
    assert db.session.scalar(select(OutboxMessage)) is None


def test_reopen_refused_for_drafts(admin_client, competition, db):
    proposal = ProposalFactory(competition=competition, status="draft")
    response = post_form(admin_client, f"/admin/proposals/{proposal.id}/reopen", {"reason": "Fehler"},
                         token_from="/")
    assert "Nur eingereichte Anträge können wieder geöffnet werden." in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.reopened")) is None
