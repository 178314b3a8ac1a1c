"""The app and request id around a job that runs in the worker."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask, has_app_context

from app.operations.request_ids import reset_job_request_id, set_job_request_id

_worker_app: Flask | None = None


def use_app(app: Flask) -> None:
    """The worker command hands its app to the jobs it runs (forked work horses inherit it)."""
    global _worker_app
    _worker_app = app


@contextlib.contextmanager
def job_context() -> Iterator[None]:
    """An app context with the queuing request's id; inline jobs reuse the request's context."""
    from rq import get_current_job

    job = get_current_job()
    # Log lines of the job carry the id of the request that queued it (or the job's own id).
    token = set_job_request_id(job.meta.get("request_id") or job.id) if job is not None else None
    try:
        if has_app_context():
            with _rolled_back_on_error():
                yield
            return
        with _app().app_context():
            from app.extensions import db

            # A forked work horse must not share its parent's database connections.
            db.engine.dispose(close=False)
            try:
                with _rolled_back_on_error():
                    yield
            finally:
                db.session.remove()
    finally:
        if token is not None:
            reset_job_request_id(token)


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    return _worker_app


@contextlib.contextmanager
def _rolled_back_on_error() -> Iterator[None]:
    """A failed job leaves nothing half-done in the session."""
    from app.extensions import db

    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
