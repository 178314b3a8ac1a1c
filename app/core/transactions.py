"""One transaction per request: commit when the view answered with success, roll back otherwise.

Views and services never commit. After a view returned a response with a status below 400, the
request's session commits; after an exception or a 4xx/5xx answer it rolls back, so a refused or
failed request changes nothing. A failing commit raises out of the after-request step, and Flask
answers with the normal 500 page (whose after-request step rolls back) instead of the success page.

Every successful request commits, also one that only read: psycopg discards its prepared
statements on ROLLBACK, so ending reads with COMMIT keeps their plans for the next request.

Actions that must only happen once the data is durable (delivering queued mail, deleting a stored
file whose row was removed) are registered with `after_commit` and run right after the commit;
a rolled-back request drops them.

Streamed responses (downloads) commit before the first byte is sent, which is fine because they
only read; what their generator still reads runs in a new transaction that Flask-SQLAlchemy's
teardown ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, g

from app.extensions import db

log = logging.getLogger(__name__)

_AFTER_COMMIT = "after_commit_actions"


def after_commit(action: Callable[[], None]) -> None:
    """Run `action` after this request's transaction committed; drop it if the request rolls back."""
    g.setdefault(_AFTER_COMMIT, []).append(action)


def commit_outside_request() -> None:
    """Commit and run the after-commit actions, for CLI commands that use the same services as the views."""
    actions = g.pop(_AFTER_COMMIT, [])
    db.session.commit()
    for action in actions:
        action()


def end_transaction(response):
    """Commit the request's session for a successful response, else roll it back."""
    actions = g.pop(_AFTER_COMMIT, [])
    if response.status_code >= 400:
        db.session.rollback()
        return response
    db.session.commit()  # an error here becomes the 500 page; the actions below never run
    for action in actions:
        try:
            action()
        except Exception:  # the change is committed; a failing follow-up must not turn it into an error
            db.session.rollback()
            log.exception("after-commit action failed")
    return response


def init_app(app: Flask) -> None:
    """End every request's transaction in one place (registered before other after-request steps)."""
    # Flask runs after-request functions in reverse order of registration, so being registered
    # first makes this the last step: whatever another step writes is part of the transaction.
    app.after_request(end_transaction)
