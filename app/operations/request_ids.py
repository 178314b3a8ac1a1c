"""A request id for every request and job: taken from the proxy's X-Request-ID or made here, carried into jobs."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
# Accept the proxy's id only if it is short and plain, so it can never forge log lines.
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Outside a request (a job, a command) the id travels in a context variable.
_job_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("job_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request or job being handled, if any."""
    if has_request_context():
        return g.get("request_id")
    return _job_request_id.get()


def set_job_request_id(value: str | None) -> contextvars.Token:
    """Adopt the id of the request that queued a job (returns a token to reset it)."""
    return _job_request_id.set(value)


def reset_job_request_id(token: contextvars.Token) -> None:
    """Forget the job's id once the job ended."""
    _job_request_id.reset(token)


def _assign_request_id() -> None:
    offered = request.headers.get(HEADER, "")
    g.request_id = offered if _VALID.fullmatch(offered) else uuid.uuid4().hex


def _echo_request_id(response):
    if g.get("request_id"):
        response.headers[HEADER] = g.request_id
    return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (empty outside requests and jobs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the id; never drops a record."""
        record.request_id = current_request_id() or ""
        return True


def init_app(app: Flask) -> None:
    """Give each request its id first and echo it in the response."""
    app.before_request_funcs.setdefault(None, []).insert(0, _assign_request_id)
    app.after_request(_echo_request_id)
