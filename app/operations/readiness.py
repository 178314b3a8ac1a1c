"""What /readyz checks: the database, Redis (if configured), the file store and the schema's migration head."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from app.extensions import db

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def check_database() -> None:
    """The database answers a trivial query."""
    from app.core.queries import ping_database

    ping_database()


def check_redis() -> None:
    """Redis answers PING (only when REDIS_URL is set: the embedded default runs without it)."""
    from app.jobs.connection import redis_connection

    redis_connection().ping()


def check_storage() -> None:
    """The file store answers (folder writable or bucket reachable)."""
    from app.storage import get_storage

    get_storage().ping()


def check_migrations() -> None:
    """The database carries the newest migration: a host with new code waits for `flask db upgrade`."""
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if current != heads:
        raise RuntimeError(f"database at {sorted(current)}, code expects {sorted(heads)}")


def readiness() -> dict[str, bool]:
    """Run every check; a failing one is logged with its reason and reported as false (no details leak)."""
    checks = {"database": check_database, "storage": check_storage, "migrations": check_migrations}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = check_redis
    results: dict[str, bool] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the reason goes to the log only
            db.session.rollback()
            log.warning("readiness check %s failed: %s", name, exc)
            results[name] = False
        else:
            results[name] = True
    return results
