"""The `postgres` marker: such tests skip on SQLite and may never skip on PostgreSQL, so a CI pass cannot lose them."""

from __future__ import annotations

import os

import pytest


def on_postgresql() -> bool:
    """Whether this session's test database is PostgreSQL (TEST_DATABASE_URL)."""
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def pytest_runtest_setup(item):
    """Tests marked `postgres` skip on SQLite, saying why."""
    if item.get_closest_marker("postgres") and not on_postgresql():
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql://... (the CI's PostgreSQL pass does)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On PostgreSQL a `postgres` test that skips fails instead."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("postgres") and on_postgresql():
        report.outcome = "failed"
        report.longrepr = f"a postgres test skipped on PostgreSQL: {report.longrepr}"
