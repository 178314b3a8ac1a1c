"""The jobs themselves: module-level functions that RQ imports by name and runs in the worker."""

from __future__ import annotations

import logging

from app.jobs.context import job_context

log = logging.getLogger(__name__)

WORKER_BATCH = 1000


def deliver_outbox() -> int:
    """Deliver every pending outbox mail (the outbox is the source of truth; a crashed run leaves them pending)."""
    from app.core.outbox import deliver_pending

    with job_context():
        # One pass over a large batch: a failing mail server must not use up a mail's attempts in one run.
        return deliver_pending(WORKER_BATCH)


def send_reminders() -> int:
    """The daily reminders: contract reports due or overdue, and jurors' pending reviews; then deliver."""
    from app.contracts.reminders import send_reminders as send_contract_reminders
    from app.extensions import db
    from app.jury.progress import send_due_reminders

    with job_context():
        counts = send_contract_reminders(None)
        db.session.commit()
        sent = send_due_reminders(None)
        db.session.commit()
        log.info("reminders queued: %s contract, %s jury", sum(counts.values()), len(sent))
    return deliver_outbox()


def build_document(kind: str, competition_id: int, key: str, locale: str) -> bool:
    """Build one heavy document into the file store (skipped if it is there already)."""
    from app.jobs.documents import build_and_store

    with job_context():
        return build_and_store(kind, competition_id, key, locale)


def prune_storage() -> int:
    """Weekly: delete stored objects no row refers to and older than a week (outdated documents, orphans)."""
    from datetime import timedelta

    from app.core.time import utcnow
    from app.storage import get_storage
    from app.storage.prune import prune

    with job_context():
        return len(prune(get_storage(), timedelta(days=7), utcnow()))
