"""Helpers of the security tests: outcome classes, URLs in the world, a database fingerprint."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from tests.security.route_args import url_args


def outcome(response) -> str:
    """The outcome class of a response (see route_policy.py)."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        return "login" if urlsplit(response.location).path == "/login" else "ok"
    if 200 <= code < 300:
        return "ok"
    return str(code)


def url_in_world(app, endpoint: str, world) -> str:
    """The endpoint's URL with its arguments taken from the world."""
    with app.test_request_context():
        return url_for(endpoint, **url_args(endpoint, world))


def post_only(app, endpoint: str) -> bool:
    """Whether the endpoint accepts POST but not GET."""
    methods = set().union(*(rule.methods for rule in app.url_map.iter_rules(endpoint)))
    return "GET" not in methods


def fingerprint() -> tuple[int, ...]:
    """Row counts of every table (the audit trail included): equal fingerprints mean nothing was recorded."""
    db.session.expire_all()
    counts = [select(func.count()).select_from(table).scalar_subquery() for table in db.metadata.sorted_tables]
    return tuple(db.session.execute(select(*counts)).one())
