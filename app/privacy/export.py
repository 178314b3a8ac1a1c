"""The person's own data as a ZIP (Art. 15 and 20 GDPR): one JSON file per kind of record and their own files."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from sqlalchemy import inspect

from app.accounts.models import User
from app.core.audit import record_event
from app.core.time import utcnow
from app.core.uploads import read_stored
from app.privacy import records

# Columns that name other people (by id), hold secrets, or are internal bookkeeping.
_LEFT_OUT = {"password_hash", "session_version", "storage_key", "version", "ranking_stamp", "progress_stamp",
             "precheck_checklist"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row(obj) -> dict[str, Any]:
    """A model row as plain JSON values, without secrets and without the ids of other people."""
    values = {}
    for attr in inspect(obj).mapper.column_attrs:
        key = attr.key
        if key in _LEFT_OUT or key.endswith("_by_id"):
            continue
        values["name" if key == "stored_name" else key] = _plain(getattr(obj, key))
    return values


def _proposal(proposal) -> dict[str, Any]:
    data = row(proposal)
    data["competition_title"] = proposal.competition.title
    data["partners"] = [row(p) for p in proposal.partners]
    data["measures"] = [row(m) for m in proposal.measures]
    data["kpis"] = [row(k) for k in proposal.kpis]
    data["attachments"] = [row(a) for a in proposal.attachments]
    return data


def _review(review) -> dict[str, Any]:
    data = row(review)
    data["proposal_title"] = review.proposal.title
    data["scores"] = [{**row(score), "criterion": score.criterion.name(str(get_locale()))} for score in review.scores]
    return data


def collect(user: User) -> dict[str, list[dict[str, Any]] | dict[str, Any]]:
    """Every record of the person, by kind (the ZIP's JSON files)."""
    return {
        "account": row(user),
        "consents": [c.export_view() for c in records.consents_of(user)],
        "proposals": [_proposal(p) for p in records.proposals_of(user)],
        "reviews": [_review(r) for r in records.reviews_of(user)],
        "declarations": {
            "jury_seats": [{**row(s), "competition_title": s.competition.title} for s in records.seats_of(user)],
            "conflicts": [{**row(c), "proposal_title": c.proposal.title} for c in records.conflicts_of(user)],
        },
        "reports": {
            "contracts": [row(c) for c in records.contracts_of(user)],
            "reports": [row(r) for r in records.reports_of(user)],
            "files": [row(f) for f in records.evidence_of(user)],
        },
        "messages": {
            "emails": [row(m) for m in records.messages_to(user)],
            "jury_discussion": [row(p) for p in records.posts_of(user)],
            "network_join_requests": [row(j) for j in records.join_requests_of(user)],
            "deletion_requests": [d.export_view() for d in records.deletion_requests_of(user)],
        },
    }


def _files(user: User) -> list[tuple[str, str]]:
    """(path in the ZIP, storage key) of the person's own uploads."""
    files = []
    for proposal in records.proposals_of(user):
        for attachment in proposal.attachments:
            files.append((f"files/proposal-{proposal.id}/{attachment.id}-{attachment.display_name}",
                          attachment.storage_key))
    for upload in records.evidence_of(user):
        files.append((f"files/contract-{upload.contract_id}/{upload.id}-{upload.display_name}", upload.storage_key))
    return files


def build_export(user: User, actor: User | None = None) -> bytes:
    """The ZIP of the person's data; the download is audited (actor: an administrator answering a letter)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, content in collect(user).items():
            archive.writestr(f"{kind}.json", json.dumps(content, ensure_ascii=False, indent=2))
        for path, key in _files(user):
            try:
                archive.writestr(path, read_stored(key))
            except (FileNotFoundError, ValueError):
                archive.writestr(path + ".missing.txt", "The stored file could not be found.")
        archive.writestr("README.txt", f"Export of {user.email}, created {utcnow().isoformat()}.\n"
                         "One JSON file per kind of record; files/ holds your own uploads.\n")
    record_event("user.data_exported", user, actor=actor or user,
                 after={"on_behalf": actor is not None and actor.id != user.id})
    return buffer.getvalue()
