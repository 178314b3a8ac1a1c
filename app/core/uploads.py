"""Stored uploads: checked by content, kept on disk under opaque keys, read back by key."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app, send_file

from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.transactions import after_commit
from app.core.upload_checks import CheckedUpload, UploadRejected, check_upload

# What users read for each refusal of upload_checks (translated here, at the edge).
UPLOAD_MESSAGES = {
    "upload.bad_name": _l("The file name is empty or unusable."),
    "upload.empty": _l("The file is empty."),
    "upload.too_large": _l("The file is larger than 10 MB."),
    "upload.type_not_allowed": _l("This file type is not allowed. Allowed are PDF, PNG, JPEG, WebP and "
                                  "office documents (DOCX, XLSX, PPTX, ODT, ODS)."),
    "upload.type_mismatch": _l("The file content does not match its extension."),
    "upload.executable": _l("Programs and scripts cannot be uploaded."),
    "upload.zip_bomb": _l("The document unpacks to an excessive size and was refused."),
    "upload.nested_archive": _l("Documents containing archives cannot be uploaded."),
    "upload.archive_invalid": _l("The document is damaged or not a valid office file."),
}


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _path_for(key: str) -> Path:
    """Keys are generated hex tokens; anything else never reaches the disk."""
    if not key or not all(c in "0123456789abcdef" for c in key):
        raise ValueError("invalid storage key")
    return _root() / key[:2] / key


def check_file(filename: str, data: bytes | BinaryIO) -> CheckedUpload:
    """Check an upload; raise DomainError with a translated message when refused."""
    try:
        return check_upload(filename or "", data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    except UploadRejected as rejected:
        raise DomainError(UPLOAD_MESSAGES.get(rejected.message_key, UPLOAD_MESSAGES["upload.type_not_allowed"]),
                          "file") from rejected


def store_bytes(data: bytes) -> str:
    """Write checked bytes under a new opaque key and return the key."""
    key = secrets.token_hex(16)
    path = _path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Exclusive create: a key collision can never overwrite another file.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return key


def delete_stored(key: str) -> None:
    """Remove a stored file (missing files are fine: the goal is that it is gone)."""
    try:
        _path_for(key).unlink()
    except FileNotFoundError:
        pass


def delete_when_committed(key: str) -> None:
    """Delete a stored file once the request's transaction has committed; if it rolls back, the file stays."""
    after_commit(lambda: delete_stored(key))


def read_stored(key: str) -> bytes:
    """Return the bytes stored under a key."""
    return _path_for(key).read_bytes()


def send_stored(key: str, display_name: str, mime_type: str):
    """Send a stored file as a download (never rendered inline by the browser)."""
    return send_file(_path_for(key), mimetype=mime_type, as_attachment=True, download_name=display_name,
                     max_age=0)
