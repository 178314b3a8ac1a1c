"""Named queries of the core package, for its views."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db


def ping_database() -> None:
    """Ask the database the smallest question (raises when it does not answer)."""
    db.session.execute(select(1))


def audit_events(action: str | None = None, object_type: str | None = None, actor: str | None = None) -> Select:
    """Audit events, newest first; by action prefix, exact object type and part of the actor's e-mail."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.like(f"{action.strip()}%"))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type.strip())
    if actor:
        query = query.join(User, AuditEvent.actor_id == User.id).where(User.email.like(f"%{actor.strip().lower()}%"))
    return query


def outbox_messages(recipient: str | None = None, status: str | None = None) -> Select:
    """Stored mails, newest first; by part of the recipient and by delivery status."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if recipient:
        query = query.where(OutboxMessage.recipient.like(f"%{recipient.strip().lower()}%"))
    if status:
        query = query.where(OutboxMessage.status == status)
    return query


def outbox_backlog() -> int:
    """Mails not yet delivered (queued, or failed with attempts left)."""
    from app.core.outbox import MAX_ATTEMPTS

    return db.session.scalar(
        select(func.count(OutboxMessage.id))
        .where(OutboxMessage.status.in_([OutboxMessage.STATUS_QUEUED, OutboxMessage.STATUS_FAILED]))
        .where(OutboxMessage.attempts < MAX_ATTEMPTS)
    ) or 0
