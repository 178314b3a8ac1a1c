"""The storage interface: one suite for the local folder and the S3 backend (moto's server over HTTP)."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask_babel import force_locale
from sqlalchemy import select

from app.core.backup import create_backup, restore_backup
from app.core.time import utcnow
from app.core.uploads import STORE_UNAVAILABLE, read_stored, store_bytes
from app.proposals.models import Attachment
from app.storage import StorageUnavailable, get_storage
from app.storage.local import LocalFolderStorage
from app.storage.prune import prune
from tests import s3_server
from tests.factories import ProposalFactory, UserFactory
from tests.s3_server import s3_settings, s3_storage
from tests.web import csrf_token

s3_endpoint = s3_server.s3_endpoint  # the session's S3 server, as a fixture of this module

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(params=["local", "s3"])
def storage(request, app, tmp_path):
    """The app's uploads go to a fresh folder or a fresh bucket for this test."""
    if request.param == "local":
        backend = LocalFolderStorage(tmp_path / "uploads")
    else:
        backend = s3_storage(request.getfixturevalue("s3_endpoint"))
    original = app.extensions["file_storage"]
    app.extensions["file_storage"] = backend
    yield backend
    app.extensions["file_storage"] = original


@pytest.fixture
def draft(login_as):
    return ProposalFactory(applicant=login_as(UserFactory()))


def _upload(client, proposal_id: int, content: bytes, name: str):
    token = csrf_token(client, f"/proposals/{proposal_id}/edit/attachments")
    return client.post(f"/proposals/{proposal_id}/attachments",
                       data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_bytes_round_trip_and_are_listed(storage):
    key = store_bytes(b"first")
    other = store_bytes(b"second")
    assert read_stored(key) == b"first" and read_stored(other) == b"second"
    assert storage.exists(key)
    assert list(storage.keys()) == sorted([key, other])


def test_a_key_is_never_overwritten(storage):
    key = store_bytes(b"original")
    with pytest.raises(FileExistsError):
        storage.put(key, b"replacement")
    assert read_stored(key) == b"original"


def test_delete_removes_and_tolerates_a_missing_key(storage):
    key = store_bytes(b"gone soon")
    storage.delete(key)
    storage.delete(key)
    assert not storage.exists(key)
    with pytest.raises(FileNotFoundError):
        storage.get(key)


@pytest.mark.parametrize("key", ["../etc/passwd", "ABC", "", "a" * 65, "ab/cd"])
def test_keys_that_are_not_hex_tokens_never_reach_the_store(storage, key):
    with pytest.raises(ValueError):
        storage.get(key)


def test_uploaded_attachment_downloads_as_an_attachment(storage, client, db, draft):
    assert _upload(client, draft.id, PDF, "Absichtserklärung.pdf").status_code == 302
    attachment = db.session.scalar(select(Attachment))
    assert storage.exists(attachment.storage_key)
    response = client.get(f"/proposals/{draft.id}/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.get_data() == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_removing_an_attachment_deletes_its_object(storage, client, db, draft):
    _upload(client, draft.id, PDF, "weg.pdf")
    attachment = db.session.scalar(select(Attachment))
    key = attachment.storage_key
    token = csrf_token(client, f"/proposals/{draft.id}/edit/attachments")
    client.post(f"/proposals/{draft.id}/attachments/{attachment.id}/delete", data={"csrf_token": token})
    assert not storage.exists(key)


def test_backup_and_restore_include_the_stored_objects(storage, app, db, tmp_path):
    key = store_bytes(b"%PDF-1.4 evidence")
    archive = create_backup(tmp_path / "backup.tar.gz")
    storage.delete(key)
    restore_backup(archive)
    assert read_stored(key) == b"%PDF-1.4 evidence"


def test_an_unreachable_store_refuses_the_upload_clearly_and_keeps_nothing(app, client, db, draft):
    # Nothing listens on port 9 of loopback: every request to this store fails at once.
    dead = s3_storage_on_dead_port()
    original = app.extensions["file_storage"]
    app.extensions["file_storage"] = dead
    try:
        with pytest.raises(StorageUnavailable):
            dead.ping()
        response = _upload(client, draft.id, PDF, "Absichtserklärung.pdf")
    finally:
        app.extensions["file_storage"] = original
    assert response.status_code in (200, 422)  # the form again, with the refusal on the file field
    with app.test_request_context(), force_locale("de"):
        message = str(STORE_UNAVAILABLE)
    assert "Dateispeicher" in message
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Attachment)) is None


def s3_storage_on_dead_port():
    from app.storage.s3 import S3Storage

    return S3Storage.from_config(s3_settings("http://127.0.0.1:9", "uploads"))


def test_signed_download_redirects_to_a_short_lived_url_that_serves_the_file(app, client, db, draft, s3_endpoint):
    signed = s3_storage(s3_endpoint, S3_SIGNED_DOWNLOADS=True, S3_SIGNED_URL_SECONDS=30)
    original = app.extensions["file_storage"]
    app.extensions["file_storage"] = signed
    try:
        _upload(client, draft.id, PDF, "Absichtserklärung.pdf")
        attachment = db.session.scalar(select(Attachment))
        response = client.get(f"/proposals/{draft.id}/attachments/{attachment.id}")
    finally:
        app.extensions["file_storage"] = original
    assert response.status_code == 302
    url = response.headers["Location"]
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["30"]
    fetched = requests.get(url, timeout=10)
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment")


def test_server_side_encryption_is_requested_when_configured(s3_endpoint):
    encrypted = s3_storage(s3_endpoint, S3_SERVER_SIDE_ENCRYPTION="AES256")
    encrypted.put("ab" * 16, b"secret")
    head = encrypted.client.head_object(Bucket=encrypted.bucket, Key="ab" * 16)
    assert head["ServerSideEncryption"] == "AES256"


def test_storage_migrate_copies_the_folder_into_the_bucket_and_checks_each_file(app, tmp_path, s3_endpoint):
    folder = LocalFolderStorage(tmp_path / "old-uploads")
    keys = [f"{n:02x}" * 16 for n in range(3)]
    for number, key in enumerate(keys):
        folder.put(key, f"file {number}".encode())
    target = s3_storage(s3_endpoint)
    target.put(keys[0], b"file 0")  # already copied by an earlier, interrupted run
    original = app.extensions["file_storage"]
    app.extensions["file_storage"] = target
    try:
        result = app.test_cli_runner().invoke(args=["storage-migrate", "--from-folder", str(folder.root)])
    finally:
        app.extensions["file_storage"] = original
    assert result.exit_code == 0, result.output
    assert "2 copied, 1 already present, 0 differ" in result.output
    for number, key in enumerate(keys):
        assert hashlib.sha256(target.get(key)).digest() == hashlib.sha256(f"file {number}".encode()).digest()


def test_storage_migrate_reports_an_object_that_differs(app, tmp_path, s3_endpoint):
    folder = LocalFolderStorage(tmp_path / "old-uploads")
    folder.put("cd" * 16, b"local content")
    target = s3_storage(s3_endpoint)
    target.put("cd" * 16, b"other content")
    original = app.extensions["file_storage"]
    app.extensions["file_storage"] = target
    try:
        result = app.test_cli_runner().invoke(args=["storage-migrate", "--from-folder", str(folder.root),
                                                    "--delete-local"])
    finally:
        app.extensions["file_storage"] = original
    assert result.exit_code != 0
    assert "cd" * 16 in result.output
    assert folder.exists("cd" * 16)  # nothing is deleted when a copy does not check out


def test_prune_deletes_old_unreferenced_objects_and_keeps_the_rest(storage, client, db, draft):
    _upload(client, draft.id, PDF, "bleibt.pdf")
    kept = db.session.scalar(select(Attachment)).storage_key
    orphan = store_bytes(b"document of an outdated data version")
    now = utcnow()
    assert prune(storage, timedelta(days=7), now) == []  # everything is younger than a week
    later = now + timedelta(days=8)
    assert prune(storage, timedelta(days=7), later, dry_run=True) == [orphan]
    assert storage.exists(orphan)  # a dry run deletes nothing
    assert prune(storage, timedelta(days=7), later) == [orphan]
    assert not storage.exists(orphan) and storage.exists(kept)


def test_the_default_store_is_the_local_upload_folder(app):
    assert isinstance(get_storage(), LocalFolderStorage)
    assert str(get_storage().root) == app.config["UPLOAD_FOLDER"]
