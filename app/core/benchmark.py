"""Benchmark mode: counts SQL statements per request and serves the floor page.

Enabled only with BENCHMARK_MODE=1 (bench/run.py sets it); in normal operation none of
this is registered, so it costs nothing.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template
from sqlalchemy import event, select

from app.extensions import db

bp = Blueprint("bench", __name__)


@bp.route("/bench/floor")
def floor():
    """The floor: the site layout and one simple query, as a baseline for every other page."""
    from app.accounts.models import User

    first_user = db.session.scalar(select(User.id).limit(1))
    return render_template("core/bench_floor.html", first_user=first_user)


def register_benchmark_mode(app: Flask) -> None:
    """Count statements per request into the X-SQL-Statements header and add the floor page."""
    app.register_blueprint(bp)

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        try:
            g.sql_statements = g.get("sql_statements", 0) + 1
        except RuntimeError:  # outside a request (CLI, startup)
            pass

    @app.after_request
    def _header(response):
        response.headers["X-SQL-Statements"] = str(g.get("sql_statements", 0))
        return response
