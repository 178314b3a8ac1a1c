"""Domain errors raised by services and the HTTP error pages that render them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from app.core.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused an action; the message is shown to the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    413: _l("File too large"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
}

ERROR_TEXTS = {
    400: _l("The request could not be processed. If you submitted a form, please reload the page and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("The page you asked for does not exist or is not available to you."),
    413: _l("The uploaded data is larger than allowed."),
    429: _l("Too many attempts in a short time. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. The error has been logged; please try again later."),
}


# Packages that answer in another format (the JSON API) register a renderer here; the first one
# that returns a response wins, so core needs to know nothing about them.
_ERROR_RENDERERS: list[Callable[[int, Exception | None], Any]] = []


def register_error_renderer(render: Callable[[int, Exception | None], Any]) -> None:
    """Let a package answer errors of its own requests in its own format (return None to pass)."""
    _ERROR_RENDERERS.append(render)


def render_error(code: int, exc: Exception | None = None, text=None):
    """Render the error page for an HTTP status inside the site layout."""
    for render in _ERROR_RENDERERS:
        response = render(code, exc)
        if response is not None:
            return response
    return (
        render_template(
            "errors/error.html", code=code, title=ERROR_TITLES[code], text=text or ERROR_TEXTS[code]
        ),
        code,
    )


def _limit_message(exc: HTTPException):
    """The message a rate limit names for itself (e.g. per account), if it has one."""
    limit = getattr(exc, "limit", None)
    message = getattr(limit, "error_message", None)
    return message() if callable(message) else message


def register_error_handlers(app: Flask) -> None:
    """Show 400, 403, 404, 413, 429 and 500 in the site layout."""

    def handle_http(exc: HTTPException):
        code = exc.code if exc.code in ERROR_TITLES else 500
        return render_error(code, exc, _limit_message(exc) if code == 429 else None)

    for code in (400, 403, 404, 413, 429):
        app.register_error_handler(code, handle_http)

    @app.errorhandler(500)
    def handle_500(exc):
        from app.extensions import db

        db.session.rollback()
        return render_error(500, exc)
