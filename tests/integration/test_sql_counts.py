"""SQL statements per request of every benchmarked page: at most 15, and the same for a 3× bigger competition.

Not timed: a page whose statement count grows with the data (an N+1 query) fails here, in CI,
long before anyone runs the benchmark. The data comes from the benchmark's own generator.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, event

from bench.generate import PASSWORD, Spec, populate
from tests.web import login

MAX_STATEMENTS = 15
SMALL = Spec(proposals=12, jurors=6, contracts=2)
LARGE = Spec(proposals=36, jurors=18, contracts=6)

# (page, role, path template); the ranking is asked for twice, the second answer comes from the cache.
PAGES = [
    ("public call", None, "/calls/{competition_id}"),
    ("directory search", None, "/networks?q=Netzwerk"),
    ("applicant dashboard", "applicant", "/my/proposals"),
    ("juror dashboard", "juror", "/jury"),
    ("scoring form", "juror", "/jury/proposals/{draft_proposal_id}/review"),
    ("cockpit", "admin", "/admin/competitions/{competition_id}/cockpit"),
    ("proposal list", "admin", "/admin/competitions/{competition_id}/proposals"),
    ("progress page", "admin", "/admin/competitions/{competition_id}/progress"),
    ("ranking (cached)", "admin", "/admin/competitions/{competition_id}/ranking?method=mean"),
    ("contract page", "admin", "/admin/contracts/{contract_id}"),
    ("portfolio page", "admin", "/admin/contracts"),
]


def _clear(db) -> None:
    """Remove every row, as the db fixture does after a test."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def _count_statements(db, client, path: str) -> tuple[int, int]:
    """GET a page and count the SQL statements it sent; returns (status, count)."""
    counted = []

    def count(conn, cursor, statement, parameters, context, executemany):
        counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return response.status_code, len(counted)


def _counts_for(app, db, spec: Spec) -> dict[str, int]:
    """Build a competition of this size and count the statements of every page."""
    scenario = populate(spec)
    db.session.commit()
    juror = scenario["jurors"][0]
    values = {"competition_id": scenario["competition_id"], "contract_id": scenario["contract_id"],
              "draft_proposal_id": juror["draft_proposal_id"]}
    clients = {None: app.test_client()}
    for role, email in (("admin", scenario["admin"]), ("applicant", scenario["applicant"]),
                        ("juror", juror["email"])):
        clients[role] = app.test_client()
        login(clients[role], email, PASSWORD)
    counts = {}
    for name, role, template in PAGES:
        path = template.format(**values)
        if name.startswith("ranking"):
            clients[role].get(path)  # computed once; the measured request is served from the cache
        status, counts[name] = _count_statements(db, clients[role], path)
        assert status == 200, f"{name} answered {status}"
    _clear(db)
    return counts


@pytest.fixture(scope="module")
def counts(app):
    """Statement counts of every page for the small and the 3× bigger competition."""
    from app.extensions import db

    with app.app_context():
        _clear(db)
        small = _counts_for(app, db, SMALL)
        large = _counts_for(app, db, LARGE)
    return small, large


@pytest.mark.parametrize("page", [name for name, _, _ in PAGES])
def test_statement_count_is_bounded_and_independent_of_size(counts, page):
    """No page sends more than 15 statements, and a bigger competition does not add any (no N+1)."""
    small, large = counts
    assert small[page] <= MAX_STATEMENTS, f"{page}: {small[page]} statements"
    assert large[page] == small[page], f"{page}: {small[page]} statements at S, {large[page]} at 3× S"
