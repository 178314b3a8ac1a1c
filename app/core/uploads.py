"""Stored uploads: checked by content, kept in the configured store (app/storage) under opaque keys."""

from __future__ import annotations

import logging
import secrets
from typing import BinaryIO

from flask import current_app

from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.transactions import after_commit
from app.core.upload_checks import CheckedUpload, UploadRejected, check_upload
from app.storage import StorageUnavailable, get_storage

log = logging.getLogger(__name__)

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
STORE_UNAVAILABLE = _l("The file store cannot be reached at the moment, so the file was not saved. "
                       "Nothing was changed. Please try again in a few minutes.")


def check_file(filename: str, data: bytes | BinaryIO) -> CheckedUpload:
    """Check an upload; raise DomainError with a translated message when refused."""
    try:
        return check_upload(filename or "", data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    except UploadRejected as rejected:
        raise DomainError(UPLOAD_MESSAGES.get(rejected.message_key, UPLOAD_MESSAGES["upload.type_not_allowed"]),
                          "file") from rejected


def store_bytes(data: bytes) -> str:
    """Write checked bytes under a new opaque key and return the key; refuse clearly if the store is down."""
    key = secrets.token_hex(16)
    try:
        get_storage().put(key, data)
    except StorageUnavailable as exc:
        log.warning("file store unavailable: %s", exc)
        raise DomainError(STORE_UNAVAILABLE, "file") from exc
    return key


def delete_stored(key: str) -> None:
    """Remove a stored file (missing files are fine: the goal is that it is gone)."""
    get_storage().delete(key)


def delete_when_committed(key: str) -> None:
    """Delete a stored file once the request's transaction has committed; if it rolls back, the file stays."""
    after_commit(lambda: delete_stored(key))


def read_stored(key: str) -> bytes:
    """Return the bytes stored under a key."""
    return get_storage().get(key)


def send_stored(key: str, display_name: str, mime_type: str):
    """Send a stored file as a download (never rendered inline by the browser)."""
    return get_storage().download(key, display_name, mime_type)
