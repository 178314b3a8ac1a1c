"""The one helper that writes audit events."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from app.core.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db


def _current_actor_id() -> int | None:
    """Return the logged-in user's id when called inside a request."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record_event(
    action: str,
    obj: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Add an audit event for a state change to the current transaction."""
    if obj is not None:
        db.session.flush()  # the object needs its id before we can point at it
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else _current_actor_id(),
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def insert_event(action: str, *, object_type: str, object_id: int, before: dict[str, Any] | None,
                 after: dict[str, Any] | None, actor: Any) -> None:
    """Write an audit event at once with one INSERT: the same row as record_event, for paths that run constantly.

    Why: record_event adds an ORM object that the commit's flush then inserts; for the autosave
    that flush was a sizeable share of a request that otherwise runs only prepared Core statements.
    """
    db.session.execute(insert(AuditEvent.__table__), {
        "created_at": utcnow(), "actor_id": actor.id if actor is not None else _current_actor_id(),
        "action": action, "object_type": object_type, "object_id": object_id, "before": before, "after": after,
        "ip": request.remote_addr if has_request_context() else None})
