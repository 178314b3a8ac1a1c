"""End a request's read-only transaction with COMMIT instead of ROLLBACK.

Why: PostgreSQL spends more time planning our statements (1-1.5 ms each for the joined ones)
than running them. psycopg prepares a statement once it has run it a few times on a
connection, so the plan is reused -- but it discards every prepared statement on ROLLBACK,
and a request that only read ends with one (the session is closed with its transaction
still open). Committing a transaction that wrote nothing changes nothing in the database,
and it keeps the connection's prepared statements for the next request.

A transaction counts as read-only when every statement sent in it began with SELECT (or
was a savepoint command); anything else -- INSERT, UPDATE, DELETE, a WITH that might
write -- marks it, and it ends as before: committed by the view or rolled back.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from app.extensions import db

_READ_PREFIXES = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
WROTE = "transaction_wrote"


def init_app(app: Flask) -> None:
    """Watch statements on the app's engine and end read-only request transactions with COMMIT."""
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.info[WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _watch(conn, cursor, statement, parameters, context, executemany) -> None:
        # Only the head is upper-cased: this runs for every statement, some of them several kB long.
        if not statement.lstrip()[:24].upper().startswith(_READ_PREFIXES):
            conn.info[WROTE] = True

    @app.teardown_appcontext
    def _end_read_only(exc: BaseException | None) -> None:
        # Registered after Flask-SQLAlchemy's teardown, so it runs before the session is removed.
        session = db.session()  # the request's Session (Flask-SQLAlchemy removes it right after)
        if exc is not None or not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        connection = session.connection()
        if connection.info.get(WROTE, True):
            return  # wrote (or cannot tell): leave it to the usual rollback
        session.commit()
