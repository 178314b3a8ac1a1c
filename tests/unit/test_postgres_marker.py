"""The postgres marker: skipped with a reason on SQLite, run on PostgreSQL, and a skip there fails the run."""

from __future__ import annotations

import pytest

TESTS = """
import pytest

@pytest.mark.postgres
def test_row_locks():
    pass

@pytest.mark.postgres
def test_gives_up():
    pytest.skip("no server")

def test_anywhere():
    pass
"""


@pytest.fixture
def run(pytester, monkeypatch):
    """Run the three tests above with the marker's plugin against the given database URL."""

    def _run(url: str | None):
        if url:
            monkeypatch.setenv("TEST_DATABASE_URL", url)
        else:
            monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
        pytester.makeini("[pytest]\nmarkers =\n    postgres: needs PostgreSQL\n")
        pytester.makepyfile(TESTS)
        return pytester.runpytest_inprocess("-p", "tests.postgres_marker", "-rs", "--strict-markers")

    return _run


def test_on_sqlite_postgres_tests_skip_and_say_why(run):
    result = run(None)
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*needs PostgreSQL*"])


def test_on_postgresql_postgres_tests_run_and_a_skip_fails(run):
    result = run("postgresql://postgres@127.0.0.1:5432/nowhere")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*a postgres test skipped on PostgreSQL*no server*"])
