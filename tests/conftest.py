"""Shared fixtures: one app per test session, a clean database per test, a logged-in client."""

from __future__ import annotations

import contextvars
import os

import pytest
from flask import has_app_context, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import delete

from app import create_app
from app.config import TestConfig
from app.core import cache as figures_cache
from app.extensions import db as _db
from app.extensions import limiter
from tests.web import login

# The postgres marker's rules and the Redis fixture live in their own plugins; pytester lets a test check them.
pytest_plugins = ("tests.postgres_marker", "tests.redis_server", "pytester")


class IsolatedClient(FlaskClient):
    """Runs every request in its own app context, as in production.

    Tests hold an app context for factories; without this, Flask would reuse it for
    requests and share `g` and the database session between them.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # redirects re-enter open() inside the empty context
            _db.session.expire_all()  # the test's objects must show what the request wrote
        return response


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application under test, with its schema created once."""
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_path_factory),
        UPLOAD_FOLDER=str(instance / "uploads"),
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """A clean database for every test: rows are deleted after it."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    figures_cache.clear()  # each test starts without figures of an earlier one (ids repeat on SQLite)
    yield _db
    _db.session.rollback()
    for table in reversed(_db.metadata.sorted_tables):
        _db.session.execute(delete(table))
    _db.session.commit()
    _db.session.remove()
    ctx.pop()


@pytest.fixture
def client(app):
    """A test client that sends German as the browser language unless told otherwise."""
    return app.test_client()


@pytest.fixture
def in_request(app):
    """A request around the test: services translate their messages (German) and build links for mails."""
    with app.test_request_context():
        yield


@pytest.fixture
def runner(app):
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Log in as the given user (created by a factory with the default password)."""

    def _login(user):
        login(client, user.email)
        return user

    return _login


@pytest.fixture
def rendered_templates(app):
    """(template name, context) of every template rendered while the test runs, in order."""
    rendered: list[tuple[str, dict]] = []

    def record(sender, template, context, **extra):
        rendered.append((template.name, context))

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)
