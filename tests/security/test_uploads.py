"""The upload corpus against every upload endpoint: refused with a clear translated message, nothing stored."""

from __future__ import annotations

import html
import io
import os
import zipfile
from functools import cache
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.contracts.models import ContractFile, ProgressReport
from app.core.uploads import UPLOAD_MESSAGES
from app.extensions import db
from app.proposals.models import Attachment
from tests.security.world import PDF
from tests.web import csrf_token

MB = 1024 * 1024


@cache
def _zip_bomb_docx() -> bytes:
    """A .docx whose one entry unpacks from a few hundred kilobytes to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (200 * MB))
    return buffer.getvalue()


# name → (file name, bytes, refusal key of app.core.uploads.UPLOAD_MESSAGES)
CORPUS = {
    "empty": ("leer.pdf", lambda: b"", "upload.empty"),
    "11 MB": ("gross.pdf", lambda: PDF + b"0" * (11 * MB), "upload.too_large"),
    "executable as pdf": ("rechnung.pdf", lambda: b"MZ\x90\x00\x03" + b"\0" * 4096, "upload.executable"),
    "zip bomb as docx": ("bericht.docx", _zip_bomb_docx, "upload.zip_bomb"),
    "path traversal": ("../../../etc/passwd", lambda: b"root:x:0:0:root:/root:/bin/bash\n",
                       "upload.type_not_allowed"),
    "only dots and slashes": ("../../..", lambda: PDF, "upload.bad_name"),
    "windows traversal executable": ("..\\..\\Windows\\System32\\cmd.exe", lambda: b"MZ" + b"\0" * 100,
                                     "upload.executable"),
}


def _proposal_upload(client, world, name, data):
    url = f"/proposals/{world.draft}/attachments"
    token = csrf_token(client, f"/proposals/{world.draft}/edit/attachments")
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _contract_document(client, world, name, data):
    page = f"/admin/contracts/{world.contract}"
    return client.post(f"{page}/documents", data={"csrf_token": csrf_token(client, page),
                                                  "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _report_evidence(client, world, name, data):
    url = f"/my/contracts/{world.contract}/milestones/{world.free_milestone}/report"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "achieved": "1",
                                  "evidence_text": "Nachweis anbei.", "files": [(io.BytesIO(data), name)]},
                       content_type="multipart/form-data")


ENDPOINTS = {
    "proposal attachment": ("owner", _proposal_upload),
    "contract document": ("admin", _contract_document),
    "report evidence": ("owner", _report_evidence),
}


def _stored(app) -> tuple[int, int, int, int]:
    """Rows of uploaded files and reports, and files on disk."""
    db.session.expire_all()
    on_disk = sum(len(files) for _, _, files in os.walk(app.config["UPLOAD_FOLDER"]))
    return (db.session.scalar(select(func.count(Attachment.id))),
            db.session.scalar(select(func.count(ContractFile.id))),
            db.session.scalar(select(func.count(ProgressReport.id))), on_disk)


def _message(app, key: str, locale: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return str(UPLOAD_MESSAGES[key])


@pytest.mark.parametrize("item", list(CORPUS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_bad_upload_is_refused_with_a_clear_message(app, world, clients, endpoint, item):
    role, send = ENDPOINTS[endpoint]
    name, make, key = CORPUS[item]
    before = _stored(app)
    response = send(clients[role], world, name, make())
    assert response.status_code in (200, 422), response.status_code
    message = _message(app, key, "de")
    assert message != _message(app, key, "en")  # the German page shows the translation
    assert message in html.unescape(response.get_data(as_text=True))
    assert _stored(app) == before


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_request_above_the_size_limit_is_answered_413(app, world, clients, endpoint):
    role, send = ENDPOINTS[endpoint]
    before = _stored(app)
    response = send(clients[role], world, "riesig.pdf", PDF + b"0" * (13 * MB))
    assert response.status_code == 413
    assert _stored(app) == before


def test_traversal_name_of_a_good_file_is_reduced_to_its_base_name(app, world, clients):
    """A path in a file name never reaches the disk: the file is kept under an opaque key."""
    upload_root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    response = _proposal_upload(clients["owner"], world, "..\\..\\../../Absichtserklärung.pdf", PDF)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
    assert stored.display_name == "Absichtserklärung.pdf"
    assert all(path.resolve().is_relative_to(upload_root) for path in upload_root.rglob("*"))
    clients["owner"].post(f"/proposals/{world.draft}/attachments/{stored.id}/delete",
                          data={"csrf_token": csrf_token(clients["owner"])})
