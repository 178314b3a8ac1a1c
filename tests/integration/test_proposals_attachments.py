"""Attachments: checked by content, limited in size and number, stored under opaque keys."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent
from app.core.time import utcnow
from app.proposals.models import Attachment
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory
from tests.web import csrf_token

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077"
                    "53de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4f20000000049454e44ae426082")


def upload(client, proposal_id: int, content: bytes, name: str):
    """Post a file like the upload form does."""
    token = csrf_token(client, f"/proposals/{proposal_id}/edit/attachments")
    return client.post(f"/proposals/{proposal_id}/attachments",
                       data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def attachments(db) -> list[Attachment]:
    db.session.expire_all()
    return db.session.scalars(select(Attachment).order_by(Attachment.id)).all()


@pytest.fixture
def draft(login_as):
    user = login_as(UserFactory())
    return ProposalFactory(applicant=user)


def zip_bomb_docx() -> bytes:
    """A .docx whose one entry unpacks from a few kilobytes to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (200 * 1024 * 1024))
    return buffer.getvalue()


def test_pdf_is_stored_under_an_opaque_key_and_can_be_downloaded(client, db, app, draft):
    response = upload(client, draft.id, PDF, "Absichtserklärung.pdf")
    assert response.status_code == 302
    (attachment,) = attachments(db)
    assert attachment.display_name == "Absichtserklärung.pdf"
    assert attachment.mime_type == "application/pdf" and attachment.size_bytes == len(PDF)
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.storage_key)
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_key[:2] / attachment.storage_key
    assert stored.read_bytes() == PDF
    download = client.get(f"/proposals/{draft.id}/attachments/{attachment.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "proposal.attachment_added" in db.session.scalars(select(AuditEvent.action)).all()


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("projekt/anlagen/Plan.pdf", "Plan.pdf"),
    ("Plan\x07\x1b[31m.pdf", "Plan[31m.pdf"),
    ("evil\u202efdp.exe.pdf", "evilfdp.exe.pdf"),
])
def test_file_names_are_sanitised_for_display_and_never_used_as_paths(client, db, draft, name, expected):
    assert upload(client, draft.id, PDF, name).status_code == 302
    (attachment,) = attachments(db)
    assert attachment.display_name == expected
    assert "/" not in attachment.storage_key and ".." not in attachment.storage_key


@pytest.mark.parametrize("content,name,message", [
    (b"", "leer.pdf", "Die Datei ist leer."),
    (PNG, "bild.pdf", "Der Inhalt der Datei passt nicht zu ihrer Endung."),
    (b"MZ\x90\x00" + b"\0" * 200, "programm.pdf", "Programme und Skripte können nicht hochgeladen werden."),
    (b"plain text", "notiz.txt", "Dieser Dateityp ist nicht erlaubt."),
    (b"\0" * (11 * 1024 * 1024), "gross.pdf", "Die Datei ist größer als 10 MB."),
])
def test_bad_uploads_are_refused_with_a_clear_message(client, db, draft, content, name, message):
    response = upload(client, draft.id, content, name)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert attachments(db) == []


def test_zip_bomb_disguised_as_docx_is_refused(client, db, draft):
    response = upload(client, draft.id, zip_bomb_docx(), "bericht.docx")
    assert response.status_code == 200
    assert "Das Dokument entpackt sich auf eine übermäßige Größe" in response.get_data(as_text=True)
    assert attachments(db) == []


def test_no_file_chosen_is_refused(client, db, draft):
    token = csrf_token(client, f"/proposals/{draft.id}/edit/attachments")
    response = client.post(f"/proposals/{draft.id}/attachments", data={"csrf_token": token},
                           content_type="multipart/form-data")
    assert "Bitte wählen Sie eine Datei aus." in response.get_data(as_text=True)


def test_a_sixth_attachment_is_refused(client, db, draft):
    for number in range(5):
        assert upload(client, draft.id, PDF, f"anlage-{number}.pdf").status_code == 302
    response = upload(client, draft.id, PDF, "anlage-6.pdf")
    assert "höchstens 5 Anlagen" in response.get_data(as_text=True)
    assert len(attachments(db)) == 5
    page = client.get(f"/proposals/{draft.id}/edit/attachments").get_data(as_text=True)
    assert 'type="file"' not in page  # the upload form is replaced by a note


def test_remove_attachment_deletes_row_and_file(client, db, app, draft):
    upload(client, draft.id, PDF, "weg.pdf")
    (attachment,) = attachments(db)
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_key[:2] / attachment.storage_key
    token = csrf_token(client, f"/proposals/{draft.id}/edit/attachments")
    response = client.post(f"/proposals/{draft.id}/attachments/{attachment.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert attachments(db) == []
    assert not stored.exists()


def test_upload_after_the_deadline_is_refused(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    token = csrf_token(client, f"/proposals/{proposal.id}/edit/attachments")
    proposal.competition.submission_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/proposals/{proposal.id}/attachments",
                           data={"csrf_token": token, "file": (io.BytesIO(PDF), "spaet.pdf")},
                           content_type="multipart/form-data")
    assert "Die Einreichungsfrist ist am" in response.get_data(as_text=True)
    assert attachments(db) == []


def test_attachments_of_other_proposals_are_not_found(client, db, login_as):
    user = login_as(UserFactory())
    mine = ProposalFactory(applicant=user)
    other = ProposalFactory(competition=CompetitionFactory())
    foreign = Attachment(proposal_id=other.id, storage_key="ab" * 16, display_name="geheim.pdf",
                         mime_type="application/pdf", size_bytes=3, sha256="0" * 64)
    db.session.add(foreign)
    db.session.commit()
    # neither through the other proposal's URL, nor smuggled in under the own proposal's id
    assert client.get(f"/proposals/{other.id}/attachments/{foreign.id}").status_code == 404
    assert client.get(f"/proposals/{mine.id}/attachments/{foreign.id}").status_code == 404
    token = csrf_token(client, f"/proposals/{mine.id}/edit/attachments")
    assert client.post(f"/proposals/{mine.id}/attachments/{foreign.id}/delete",
                       data={"csrf_token": token}).status_code == 404
    assert len(attachments(db)) == 1
