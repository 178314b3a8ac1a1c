"""Run a job: on the RQ queue when REDIS_URL is set, else at once in this process (the embedded default)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from redis.exceptions import RedisError
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.jobs.connection import job_queue, queue_enabled, redis_connection
from app.operations.request_ids import current_request_id

log = logging.getLogger(__name__)

# A job whose worker died is retried once; a second failure stays in the failed registry for a person to see.
RETRIES = Retry(max=1)
JOB_TIMEOUT = 15 * 60


class QueueUnavailable(Exception):
    """Redis did not take the job; the caller decides what that means (mail: it stays in the outbox)."""


def run_job(func: Callable, *args, job_id: str | None = None) -> Job | None:
    """Queue `func(*args)` (a module-level function of app.jobs.tasks) or, without Redis, run it now.

    With a job_id the job is queued once: while a job of that id waits or runs, asking again returns it.
    """
    if not queue_enabled():
        func(*args)
        return None
    try:
        if job_id is not None:
            existing = _live_job(job_id)
            if existing is not None:
                return existing
        return job_queue().enqueue(func, *args, job_id=job_id, retry=RETRIES, job_timeout=JOB_TIMEOUT,
                                   meta={"request_id": current_request_id()}, failure_ttl=24 * 3600,
                                   result_ttl=3600)
    except RedisError as exc:
        log.warning("job %s not queued, Redis unavailable: %s", getattr(func, "__name__", func), exc)
        raise QueueUnavailable(str(exc)) from exc


def _live_job(job_id: str) -> Job | None:
    """The job of that id if it still waits, runs or succeeded; a failed or vanished one may be queued again."""
    try:
        job = Job.fetch(job_id, connection=redis_connection())
    except NoSuchJobError:
        return None
    status = job.get_status(refresh=False)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED, None):
        job.delete()
        return None
    return job


def job_status(job_id: str) -> str | None:
    """The RQ status of a job ('queued', 'started', 'finished', 'failed', …) or None if unknown."""
    try:
        job = Job.fetch(job_id, connection=redis_connection())
    except (NoSuchJobError, RedisError):
        return None
    status = job.get_status(refresh=False)
    return str(status.value) if status is not None else None
