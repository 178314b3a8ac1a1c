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
    if has_app_context():
        try:
            yield
        except BaseException:
            _rollback()  # a failed job leaves nothing half-done in the session it shares
            raise
        return
    from rq import get_current_job

    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    job = get_current_job()
    token = set_job_request_id((job.meta.get("request_id") if job else None) or (job.id if job else None))
    try:
        with _worker_app.app_context():
            from app.extensions import db

            # A forked work horse must not share its parent's database connections.
            db.engine.dispose(close=False)
            try:
                yield
            except BaseException:
                _rollback()
                raise
            finally:
                db.session.remove()
    finally:
        reset_job_request_id(token)


def _rollback() -> None:
    from app.extensions import db

    db.session.rollback()
