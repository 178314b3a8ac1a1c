"""A juror conflicted on a proposal above the funding line sees every page as if it had never been submitted.

Two worlds of one competition (the hand-computed one of tests/builders/ranking.py):
in both, the juror is conflicted on p2 (below the line), so both pages follow the written rule for
conflicted viewers (docs/security.md); in world A the juror is also conflicted on p1, which is above
the funding line. Deleting p1 gives world B. Every page and download the juror can reach must be
the same in both worlds, byte for byte apart from CSRF tokens.
"""

from __future__ import annotations

import difflib
import re

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.jury.models import Conflict, Review
from app.proposals.models import Proposal
from app.ranking.aggregate import Method
from tests.builders.ranking import conflict, hand_computed
from tests.web import login

pytestmark = pytest.mark.usefixtures("fresh")

TOKEN = re.compile(r'(csrf_token"(?: type="hidden")? value=")[^"]+"')
SORTS = ("rank", "title", "requested", "total", "spread")


def _forget_rendered() -> None:
    """Empty the cache of computed figures, so that world B is computed, not remembered."""
    from app.core import cache

    cache.clear()


def _pages(hc) -> list[str]:
    cid = hc.competition.id
    ranking = f"/admin/competitions/{cid}/ranking"
    pages = ["/", "/jury", "/calls", f"/calls/{cid}", "/profile", "/my/proposals",
             f"/jury/competitions/{cid}/declaration"]
    for method in Method:
        pages += [f"{ranking}?method={method.value}&sort={sort}&dir={direction}"
                  for sort in SORTS for direction in ("asc", "desc")]
        pages.append(f"{ranking}/proposals/{hc.p3.id}?method={method.value}")
    return pages + [f"/jury/competitions/{cid}/conflicts"]  # last: see the test


def _render(client, pages) -> dict[str, tuple[int, str, str]]:
    _forget_rendered()
    result = {}
    for page in pages:
        response = client.get(page)
        result[page] = (response.status_code, response.content_type,
                        TOKEN.sub(r"\1…", response.get_data(as_text=True)))
    return result


def _spaces(html: str) -> str:
    """Whitespace collapsed (the template loop leaves blank lines where a section was cut out)."""
    return re.sub(r"\s+", " ", html)


def _first_difference(a, b) -> str:
    """The first lines where two renderings differ (for the failure message)."""
    if a[:2] != b[:2]:
        return f"{a[:2]} != {b[:2]}"
    lines = difflib.unified_diff(a[2].splitlines(), b[2].splitlines(), lineterm="", n=1)
    return "\n".join(list(lines)[:40])


def _delete_proposal(proposal_id: int) -> None:
    """World B: the proposal was never submitted (its reviews and conflicts go with it), through the ORM."""
    for model in (Review, Conflict):
        for row in _db.session.scalars(select(model).where(model.proposal_id == proposal_id)):
            _db.session.delete(row)
    _db.session.flush()
    _db.session.delete(_db.session.get(Proposal, proposal_id))
    _db.session.commit()


def test_a_hidden_proposal_above_the_line_changes_nothing_the_conflicted_juror_sees(app):
    hc = hand_computed()
    conflict(hc.conflicted, hc.p1)  # p1: rank 1, above the funding line
    client = app.test_client()
    login(client, hc.conflicted.email)
    pages = _pages(hc)
    world_a = _render(client, pages)
    detail = pages[-2]
    assert world_a[detail][0] == 200 and "Energie Lindenau" in world_a[detail][2]
    # Allowed by the rule: the conflicts page lists every pool proposal (title, applicants, the juror's
    # own declaration) so that conflicts can be declared; it shows no score, rank or figure.
    conflicts = pages[-1]
    section = re.compile(rf'\s*<section aria-labelledby="h-p{hc.p1.id}".*?</section>\n', re.S)
    status, kind, body = world_a[conflicts]
    assert "Autozulieferer West" in body
    world_a[conflicts] = (status, kind, _spaces(section.sub("", body, count=1)))
    _delete_proposal(hc.p1.id)
    world_b = _render(client, pages)
    world_b[conflicts] = (*world_b[conflicts][:2], _spaces(world_b[conflicts][2]))
    differ = [page for page in pages if world_a[page] != world_b[page]]
    assert differ == [], _first_difference(world_a[differ[0]], world_b[differ[0]])


def test_the_unconflicted_juror_sees_the_difference(app):
    """The comparison can fail: a juror without conflicts sees p1 go."""
    hc = hand_computed()
    client = app.test_client()
    login(client, hc.jurors[0].email)
    pages = [f"/admin/competitions/{hc.competition.id}/ranking"]
    world_a = _render(client, pages)
    _delete_proposal(hc.p1.id)
    assert _render(client, pages) != world_a
