"""Security tests share one fixture world per module instead of a fresh database per test."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.extensions import limiter
from tests.security.world import ROLES, build_world, clear_database
from tests.web import login


@pytest.fixture(autouse=True)
def db(app):
    """Like the root fixture, but rows stay until the module's world is torn down."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    yield _db
    _db.session.rollback()
    _db.session.remove()
    ctx.pop()


@pytest.fixture(scope="module")
def world(app):
    """The fixture world, built once per module on an empty database and removed afterwards."""
    with app.app_context():
        clear_database()
        built = build_world()
        _db.session.remove()
    yield built
    with app.app_context():
        clear_database()
        _db.session.remove()


@pytest.fixture(scope="module")
def clients(app, world):
    """One logged-in test client per role (anonymous has none logged in)."""
    result = {}
    with app.app_context():
        limiter.reset()
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                login(client, world.emails[role])
            result[role] = client
    return result


@pytest.fixture
def fresh(db):
    """For modules that build their own rows with factories: delete them after each test."""
    clear_database()
    yield
    clear_database()
