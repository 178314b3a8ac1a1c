"""Heavy documents (audit file, protocol PDF, reviews workbook): built once per data version, kept in the store.

A document's key is a hash of its kind, the competition, the competition's stamps, the newest audit
event (every state change writes one) and the language, so the same data never builds twice and any
change builds afresh. The bytes go to the file store (app/storage) under that key, where every app
host finds them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import func, select

from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.extensions import db
from app.storage import get_storage


@dataclass(frozen=True)
class DocumentKind:
    """One kind of heavy document: its label, file name, media type and builder."""

    name: str
    label: Callable[[], str]
    filename: Callable[[Competition], str]
    mime_type: str
    build: Callable[[Competition], bytes]
    audit_action: str | None = None  # recorded when it is downloaded


_KINDS: dict[str, DocumentKind] = {}


def register_document(kind: DocumentKind) -> None:
    """Packages register their heavy documents (decisions: audit file, protocol, reviews workbook)."""
    _KINDS[kind.name] = kind


def document_kind(name: str) -> DocumentKind | None:
    """The registered kind of that name."""
    return _KINDS.get(name)


def document_key(kind: DocumentKind, competition: Competition, locale: str) -> str:
    """The storage key of this document for the competition's data as it is now."""
    newest_event = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    version = "|".join([kind.name, str(competition.id), competition.ranking_stamp, competition.progress_stamp,
                        str(newest_event), locale])
    return hashlib.sha256(version.encode()).hexdigest()


def build_and_store(kind_name: str, competition_id: int, key: str, locale: str) -> bool:
    """Build the document and store it under key, unless it is there already; True if it was built now."""
    storage = get_storage()
    if storage.exists(key):
        return False
    kind = _KINDS[kind_name]
    competition = db.get_or_404(Competition, competition_id)
    with force_locale(locale):
        if has_request_context():
            data = kind.build(competition)
        else:  # in the worker: builders may make links and read the language like a page does
            with current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or "http://localhost"):
                data = kind.build(competition)
    try:
        storage.put(key, data)
    except FileExistsError:  # another worker finished the same document first: same data, same bytes
        return False
    return True
