"""Mail outbox: every message is stored first, then delivered by SMTP or logged."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, g, render_template
from flask_babel import force_locale
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.core.time import utcnow
from app.core.transactions import after_commit
from app.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
DELIVERY_BATCH = 100


def queue_mail(recipient: str, template: str, locale: str, user=None, **context) -> OutboxMessage:
    """Render a mail template in the recipient's language and store it in the outbox."""
    locale = locale if locale in current_app.config["LANGUAGES"] else "de"
    with force_locale(locale):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(
        recipient=recipient,
        recipient_user_id=user.id if user is not None else None,
        locale=locale,
        template=template,
        subject=subject,
        body=body,
    )
    db.session.add(message)
    if not g.get("outbox_dirty"):  # one delivery run per request, once its transaction committed
        g.outbox_dirty = True
        after_commit(request_delivery)
    return message


def request_delivery() -> None:
    """After a commit: deliver now (embedded default) or hand delivery to the worker (REDIS_URL set).

    If Redis does not answer, the mails simply stay queued in the outbox; the scheduler's next
    delivery run (every minute) or `flask outbox-deliver` sends them once Redis is back.
    """
    from app.jobs.connection import queue_enabled
    from app.jobs.runner import QueueUnavailable, run_job
    from app.jobs.tasks import deliver_outbox

    if not queue_enabled():
        deliver_pending()
        return
    try:
        run_job(deliver_outbox)
    except QueueUnavailable:
        log.warning("mail delivery deferred: the job queue is unavailable; the mails stay in the outbox")


def _send_smtp(message: OutboxMessage) -> None:
    """Deliver one message through the configured SMTP server."""
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def deliver_pending(limit: int = DELIVERY_BATCH) -> int:
    """Deliver queued messages (or log them when no mail server is set); return the count."""
    pending = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxMessage.STATUS_QUEUED, OutboxMessage.STATUS_FAILED]))
        .where(OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
        # Two delivery runs at once (two hosts, two workers) each take other rows: no mail goes out twice.
        .with_for_update(skip_locked=True)
    ).all()
    for message in pending:
        message.attempts += 1
        if not current_app.config.get("MAIL_SERVER"):
            log.info("mail (not sent, no MAIL_SERVER) to=%s subject=%s", message.recipient, message.subject)
            message.status = OutboxMessage.STATUS_LOGGED
            message.sent_at = utcnow()
            continue
        try:
            _send_smtp(message)
        except (OSError, smtplib.SMTPException) as exc:
            # Kept as failed so the next delivery run retries it; nothing is lost.
            message.status = OutboxMessage.STATUS_FAILED
            message.error = str(exc)[:500]
            log.warning("mail delivery failed id=%s: %s", message.id, exc)
        else:
            message.status = OutboxMessage.STATUS_SENT
            message.sent_at = utcnow()
            message.error = None
    db.session.commit()
    return len(pending)
