"""The autosave endpoint with hostile numbers and partial posts: a clear 409/422, never a 500 or lost text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.jury.models import Review
from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import review_competition, review_payload
from tests.web import login, post_form

pytestmark = pytest.mark.usefixtures("fresh")


@pytest.fixture
def draft(app):
    """A logged-in juror's client with a saved draft (version 1): scores 3 and 2, two justifications, a comment."""
    competition = review_competition()
    proposal = pool_proposal(competition)
    me = assigned_juror(proposal)
    client = app.test_client()
    login(client, me.email)
    url = f"/jury/proposals/{proposal.id}/review/autosave"
    first = post_form(client, url, review_payload(competition, ["3", "2"], ["Erst", "Zweit"],
                                                  overall_comment="Gesamt"), token_from="/")
    assert first.status_code == 200 and first.get_json()["version"] == 1
    return {"client": client, "competition": competition, "proposal": proposal, "me": me, "url": url}


def _stored(draft) -> tuple:
    _db.session.expire_all()
    review = _db.session.scalars(select(Review).where(Review.user_id == draft["me"].id,
                                                      Review.proposal_id == draft["proposal"].id)).one()
    scores = [(s.value, s.justification) for s in sorted(review.scores, key=lambda s: s.criterion_id)]
    return review.version, review.overall_comment, scores


BEFORE = (1, "Gesamt", [(Decimal("3"), "Erst"), (Decimal("2"), "Zweit")])


@pytest.mark.parametrize("version", [str(10**30), str(-10**30), str(2**31), str(2**63), "-1", "1e308", "NaN",
                                     "9" * 4000, "-0"])
def test_a_version_out_of_range_is_a_conflict_and_changes_nothing(draft, version):
    first = draft["competition"].criteria[0].id
    response = post_form(draft["client"], draft["url"], {"version": version, f"score_{first}": "4"},
                         token_from="/")
    assert response.status_code in (409, 422)
    assert "neu" in response.get_json()["message"]  # German: "Bitte laden Sie die Seite neu …"
    assert _stored(draft) == BEFORE


@pytest.mark.parametrize("value", ["1e308", "NaN", "Infinity", "-Infinity", "1e25", "99999999999999999999",
                                   "9" * 4000, "1" + "0" * 400 + ".5"])
def test_a_score_off_the_scale_is_refused_in_german_and_changes_nothing(draft, value):
    first = draft["competition"].criteria[0].id
    response = post_form(draft["client"], draft["url"], {"version": "1", f"score_{first}": value}, token_from="/")
    assert response.status_code == 422
    assert response.get_json()["field"] == f"score_{first}"
    assert "Bitte" in response.get_json()["message"] or "zwischen" in response.get_json()["message"]
    assert _stored(draft) == BEFORE


def test_a_partial_autosave_changes_only_the_fields_it_carries(draft):
    first, second = (c.id for c in draft["competition"].criteria)
    response = post_form(draft["client"], draft["url"], {"version": "1", f"score_{first}": "4"}, token_from="/")
    assert response.status_code == 200
    assert _stored(draft) == (2, "Gesamt", [(Decimal("4"), "Erst"), (Decimal("2"), "Zweit")])
    response = post_form(draft["client"], draft["url"], {"version": "2", f"justification_{second}": "Neu"},
                         token_from="/")
    assert response.status_code == 200
    assert _stored(draft) == (3, "Gesamt", [(Decimal("4"), "Erst"), (Decimal("2"), "Neu")])


def test_an_empty_value_still_clears_the_field(draft):
    first = draft["competition"].criteria[0].id
    response = post_form(draft["client"], draft["url"], {"version": "1", f"score_{first}": "",
                                                          "overall_comment": ""}, token_from="/")
    assert response.status_code == 200
    assert _stored(draft) == (2, "", [(None, "Erst"), (Decimal("2"), "Zweit")])
