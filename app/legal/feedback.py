"""The feedback form of the accessibility statement (BITV 2.0 § 7): a message to the office through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.extensions import db


@dataclass
class AccessibilityFeedback:
    """What the person writes: a barrier they met, where, and how to reach them (optional)."""

    message: str
    page: str = ""
    name: str = ""
    email: str = ""


def _recipients() -> list[tuple[str, str, User | None]]:
    """(address, language, user) of the office: the configured address, else every active administrator."""
    configured = current_app.config.get("ACCESSIBILITY_FEEDBACK_EMAIL")
    if configured:
        return [(configured, current_app.config["BABEL_DEFAULT_LOCALE"], None)]
    admins = db.session.scalars(select(User).where(User.is_admin.is_(True), User.active.is_(True))
                                .order_by(User.id)).all()
    return [(admin.email, admin.locale, admin) for admin in admins]


def send_accessibility_feedback(feedback: AccessibilityFeedback) -> int:
    """Queue the message to the office; return how many mails were queued."""
    if not feedback.message.strip():
        raise DomainError(_l("Please describe the barrier."), "message")
    recipients = _recipients()
    if not recipients:
        raise DomainError(_l("The message could not be sent. Please write to the office by email or letter."))
    for address, locale, user in recipients:
        queue_mail(address, "accessibility_feedback", locale, user=user, feedback=feedback)
    # The audit trail records that feedback arrived, not what it said or who wrote it.
    record_event("accessibility.feedback_sent", object_type="legal_texts", object_id=None,
                 after={"length": len(feedback.message), "recipients": len(recipients)})
    return len(recipients)
