"""The rights of a person: export (Art. 15, 20 GDPR) and deletion (Art. 17) with the kept records anonymised."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from flask_babel import refresh
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db as _db
from app.jury.models import Review
from app.legal.models import Consent
from app.privacy.models import DeletionRequest
from app.proposals.models import Proposal
from tests.builders.privacy import consortium
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form


def export_of(client, user) -> zipfile.ZipFile:
    login(client, user.email)
    response = client.get("/profile/data.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    client.post("/logout", data={"csrf_token": ""})  # (ignored) a fresh client logs the next person in
    return zipfile.ZipFile(io.BytesIO(response.data))


def everything(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_export_holds_every_kind_of_own_record_and_own_files(client, db):
    case = consortium()
    _db.session.add(Consent(user_id=case.alpha.id, version=None))
    _db.session.commit()
    archive = export_of(client, case.alpha)
    names = set(archive.namelist())
    assert {"account.json", "consents.json", "proposals.json", "reviews.json", "declarations.json",
            "reports.json", "messages.json"} <= names
    account = json.loads(archive.read("account.json"))
    assert account["email"] == "anna@alpha.example" and "password_hash" not in account
    proposals = json.loads(archive.read("proposals.json"))
    assert {p["network_name"] for p in proposals} == {"Netz Alpha", "Entwurf Alpha"}
    submitted = next(p for p in proposals if p["network_name"] == "Netz Alpha")
    assert submitted["snapshot"]["network_name"] == "Netz Alpha"
    files = [n for n in names if n.startswith("files/") and n.endswith("anlage-alpha.pdf")]
    assert files and archive.read(files[0]) == case.alpha_file
    assert len(json.loads(archive.read("consents.json"))) == 1
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.data_exported",
                                                       AuditEvent.object_id == case.alpha.id)) is not None


def test_export_contains_nothing_of_another_person(app, db):
    case = consortium()
    # B's own export: nothing of A's proposal (though B is named in it) nor of the jury.
    beta = everything(export_of(app.test_client(), case.beta))
    assert "Netz Beta" in beta and "Geheimes Ziel von Beta" in beta
    for foreign in ("Netz Alpha", "anlage-alpha", "0341 111", "Jana Jury", "jana@jury.example", "Karl Kritik",
                    "Jana zu Beta"):
        assert foreign not in beta, foreign
    # A's export: nothing of B's proposal, nothing of the jurors or their reviews of A's proposal.
    alpha = everything(export_of(app.test_client(), case.alpha))
    for foreign in ("Netz Beta", "Geheimes Ziel", "anlage-beta", "Jana Jury", "Karl Kritik", "Jana zu Alpha",
                    "Karl zu Alpha"):
        assert foreign not in alpha, foreign
    # The juror's export: their own reviews of both, not the other juror's, not the applicants' details.
    juror_archive = export_of(app.test_client(), case.juror)
    juror = everything(juror_archive)
    reviews = json.loads(juror_archive.read("reviews.json"))
    assert {r["proposal_title"] for r in reviews} == {"Netz Alpha", "Netz Beta"}
    assert "Jana zu Alpha" in juror and "Jana zu Beta" in juror
    for foreign in ("Karl Kritik", "karl@jury.example", "anna@alpha.example", "bernd@beta.example", "Geheimes Ziel",
                    "0341 111", "anlage-"):
        assert foreign not in juror, foreign


def test_export_needs_a_login(client):
    assert client.get("/profile/data.zip").status_code == 302


def _request_deletion(client, user, *, logged_in=False):
    if not logged_in:
        login(client, user.email)
    return post_form(client, "/profile/deletion-request", {"confirm": "y"}, token_from="/profile")


def test_deletion_request_without_confirmation_changes_nothing(client, db):
    user = UserFactory()
    login(client, user.email)
    response = post_form(client, "/profile/deletion-request", {}, token_from="/profile")
    assert response.status_code == 302
    assert _db.session.scalar(select(DeletionRequest)) is None


def test_person_asks_admin_carries_out_and_kept_records_are_anonymised(app, db):
    case = consortium()
    draft_id, kept_id, beta_id = case.alpha_draft.id, case.alpha_proposal.id, case.beta_proposal.id
    admin = AdminFactory()
    applicant_client = app.test_client()
    assert _request_deletion(applicant_client, case.alpha).status_code == 302
    request = _db.session.scalars(select(DeletionRequest)).one()
    assert (request.status, request.channel) == ("pending", "self")
    assert "wartet" in applicant_client.get("/profile").get_data(as_text=True)
    assert _request_deletion(applicant_client, case.alpha, logged_in=True).status_code == 302  # refused
    assert len(_db.session.scalars(select(DeletionRequest)).all()) == 1

    admin_client = app.test_client()
    login(admin_client, admin.email)
    listing = admin_client.get("/admin/privacy").get_data(as_text=True)
    assert "anna@alpha.example" in listing
    detail = admin_client.get(f"/admin/privacy/requests/{request.id}").get_data(as_text=True)
    assert "Entwürfe, nie eingereicht: 1" in detail and "Eingereichte Anträge: 1" in detail
    response = post_form(admin_client, f"/admin/privacy/requests/{request.id}/complete", {},
                         token_from=f"/admin/privacy/requests/{request.id}")
    assert response.status_code == 302

    alpha = _db.session.get(User, case.alpha.id)
    assert alpha.email == f"deleted-{alpha.id}@deleted.invalid" and alpha.organisation == ""
    assert alpha.password_hash is None and not alpha.active and alpha.is_deleted
    assert alpha.stored_name == f"Gelöschte Person {alpha.id}"
    # What the funding rules keep stays, anonymised; the draft and its file are gone.
    kept = _db.session.get(Proposal, kept_id)
    assert kept is not None and kept.receipt_number is not None
    assert kept.snapshot["applicant"]["email"] == "" and kept.snapshot["applicant"]["name"].startswith("Gelöschte")
    assert kept.lead_contact_email == "" and kept.snapshot["lead_contact_email"] == ""
    assert _db.session.get(Proposal, draft_id) is None
    assert not (Path(app.config["UPLOAD_FOLDER"]) / case.draft_key[:2] / case.draft_key).exists()
    assert _db.session.scalars(select(Consent).where(Consent.user_id == alpha.id)).all() == []
    # Only the outcome mail is left for the old address, and the other people's records are untouched.
    mails = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_user_id == alpha.id)).all()
    assert [m.template for m in mails] == ["deletion_completed"] and mails[0].recipient == "anna@alpha.example"
    assert _db.session.get(Proposal, beta_id).partners[0].contact_email == "anna@alpha.example"
    request = _db.session.get(DeletionRequest, request.id)
    assert request.status == "completed" and request.outcome["drafts_deleted"] == 1
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.deletion_completed"))
    # The person cannot log in any more.
    response = post_form(app.test_client(), "/login", {"email": "anna@alpha.example",
                                                       "password": "correct horse battery"})
    assert response.status_code == 200


def test_deleted_juror_stays_on_kept_reviews_as_deleted_user(app, db):
    case = consortium()
    admin = AdminFactory()
    client = app.test_client()
    login(client, admin.email)
    post_form(client, "/admin/privacy", {"delete-email": case.juror.email, "delete-note": "Brief vom 1. Dezember",
                                         "delete-submit": "y"})
    request = _db.session.scalars(select(DeletionRequest)).one()
    assert (request.channel, request.filed_by_id, request.note) == ("letter", admin.id, "Brief vom 1. Dezember")
    post_form(client, f"/admin/privacy/requests/{request.id}/complete", {},
              token_from=f"/admin/privacy/requests/{request.id}")
    reviews = _db.session.scalars(select(Review).where(Review.user_id == case.juror.id)).all()
    assert len(reviews) == 2
    with app.test_request_context():
        assert reviews[0].user.name == f"Gelöschte Person {case.juror.id}"
        refresh()  # Flask-Babel keeps the chosen language for the app context
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert reviews[0].user.name == f"deleted user {case.juror.id}"
        refresh()


def test_admin_downloads_a_person_data_for_a_letter_and_it_is_audited(client, db):
    case = consortium()
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, "/admin/privacy/export", {"export-email": case.beta.email},
                         token_from="/admin/privacy")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert "Netz Beta" in archive.read("proposals.json").decode() and "Netz Alpha" not in everything(archive)
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.data_exported"))
    assert (event.actor_id, event.object_id, event.after) == (admin.id, case.beta.id, {"on_behalf": True})
    unknown = post_form(client, "/admin/privacy/export", {"export-email": "niemand@example.org"},
                        token_from="/admin/privacy")
    assert unknown.status_code == 400 and "Kein Konto hat diese E-Mail-Adresse" in unknown.get_data(as_text=True)


def test_decline_needs_a_reason_and_tells_the_person(app, db):
    user = UserFactory(locale="en")
    admin = AdminFactory()
    _request_deletion(app.test_client(), user)
    request = _db.session.scalars(select(DeletionRequest)).one()
    client = app.test_client()
    login(client, admin.email)
    path = f"/admin/privacy/requests/{request.id}"
    assert post_form(client, path + "/decline", {"reason": " "}, token_from=path).status_code == 400
    assert _db.session.get(DeletionRequest, request.id).status == "pending"
    assert post_form(client, path + "/decline", {"reason": "Offene Rückforderung"}, token_from=path).status_code == 302
    assert _db.session.get(DeletionRequest, request.id).status == "declined"
    mail = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "deletion_declined")).one()
    assert mail.recipient == user.email and "Offene Rückforderung" in mail.body
    assert _db.session.get(User, user.id).active


def test_an_admin_cannot_carry_out_their_own_request(app, db):
    admin = AdminFactory()
    client = app.test_client()
    _request_deletion(client, admin)
    request = _db.session.scalars(select(DeletionRequest)).one()
    path = f"/admin/privacy/requests/{request.id}"
    post_form(client, path + "/complete", {}, token_from=path)
    assert _db.session.get(DeletionRequest, request.id).status == "pending"
    assert not _db.session.get(User, admin.id).is_deleted


@pytest.mark.parametrize("path", ["/admin/privacy", "/admin/privacy/retention"])
def test_privacy_admin_pages_are_for_admins_only(client, path):
    login(client, UserFactory().email)
    assert client.get(path).status_code == 403
