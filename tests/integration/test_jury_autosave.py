"""Autosave of a draft review: every way an existing draft's save can end, as the juror sees it.

The ordinary save of an existing draft takes a short path (claim the version, write every score
in one statement); these tests pin that it answers exactly as the general path does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from app.core.models import AuditEvent
from app.extensions import db as _db
from app.jury.models import Review, Score
from app.jury.scoring import MAX_TEXT
from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import review_competition, review_payload
from tests.web import post_form


@pytest.fixture
def draft(db, client, login_as):
    """A logged-in juror with a saved draft (version 1) of an assigned pool proposal."""
    competition = review_competition()
    proposal = pool_proposal(competition)
    me = login_as(assigned_juror(proposal))
    url = f"/jury/proposals/{proposal.id}/review/autosave"
    first = post_form(client, url, review_payload(competition, ["3", "2"], ["Erst", "Zweit"]), token_from="/")
    assert first.status_code == 200 and first.get_json()["version"] == 1
    return {"competition": competition, "proposal": proposal, "me": me, "url": url}


def _stored(draft) -> Review:
    _db.session.expire_all()
    return _db.session.scalars(select(Review).where(Review.user_id == draft["me"].id,
                                                    Review.proposal_id == draft["proposal"].id)).one()


def _values(review: Review) -> list[tuple[Decimal | None, str]]:
    return [(s.value, s.justification) for s in sorted(review.scores, key=lambda s: s.criterion_id)]


def test_save_writes_every_score_comment_version_and_a_small_audit_event(client, draft):
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["4.5", None],
                                                              ["Neu eins", "Neu zwei"], version=1,
                                                              overall_comment="Gesamt"), token_from="/")
    assert response.status_code == 200
    assert response.get_json()["version"] == 2 and response.get_json()["review_id"] == _stored(draft).id
    review = _stored(draft)
    assert (review.version, review.status, review.overall_comment) == (2, "draft", "Gesamt")
    assert _values(review) == [(Decimal("4.5"), "Neu eins"), (None, "Neu zwei")]
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.draft_saved")
                                .order_by(AuditEvent.id.desc())).first()
    assert (event.object_type, event.object_id, event.actor_id) == ("reviews", review.id, draft["me"].id)
    assert event.before == {"version": 1} and event.after == {"version": 2, "autosave": True, "scored": 1}
    assert event.created_at is not None and event.ip == "127.0.0.1"  # as every other event records them


def test_stale_version_of_an_existing_draft_is_refused_with_409(client, draft):
    post_form(client, draft["url"], review_payload(draft["competition"], ["4", "4"], ["A", "B"], version=1),
              token_from="/")
    stale = post_form(client, draft["url"], review_payload(draft["competition"], ["1", "1"], ["X", "Y"], version=1),
                      token_from="/")
    assert stale.status_code == 409 and stale.get_json()["conflict"] is True
    review = _stored(draft)
    assert review.version == 2 and _values(review) == [(Decimal("4"), "A"), (Decimal("4"), "B")]


def test_invalid_score_is_refused_with_422_and_nothing_changes(client, draft):
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["3", "4.3"], ["A", "B"],
                                                              version=1), token_from="/")
    assert response.status_code == 422
    assert response.get_json()["field"] == f"score_{draft['competition'].criteria[1].id}"
    review = _stored(draft)
    assert review.version == 1 and _values(review) == [(Decimal("3"), "Erst"), (Decimal("2"), "Zweit")]


def test_too_long_comment_is_refused_with_422(client, draft):
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["3", "2"], ["A", "B"],
                                                              version=1, overall_comment="x" * (MAX_TEXT + 1)),
                         token_from="/")
    assert response.status_code == 422 and response.get_json()["field"] == "overall_comment"
    assert _stored(draft).version == 1


def test_submitted_review_is_locked_even_with_the_current_version(client, draft):
    review = _stored(draft)
    review.status = "submitted"
    _db.session.commit()
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["1", "1"], ["A", "B"],
                                                              version=1), token_from="/")
    assert response.status_code == 422 and "gesperrt" in response.get_json()["message"]
    assert _values(_stored(draft)) == [(Decimal("3"), "Erst"), (Decimal("2"), "Zweit")]


def test_no_saving_outside_the_review_phase(client, draft):
    draft["competition"].phase = "consensus"
    _db.session.commit()
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["1", "1"], ["A", "B"],
                                                              version=1), token_from="/")
    assert response.status_code == 422 and "Bewertungsphase" in response.get_json()["message"]
    assert _stored(draft).version == 1


def test_a_missing_score_row_is_added(client, draft):
    missing = draft["competition"].criteria[1].id
    _db.session.execute(delete(Score).where(Score.review_id == _stored(draft).id, Score.criterion_id == missing))
    _db.session.commit()
    response = post_form(client, draft["url"], review_payload(draft["competition"], ["5", "0.5"], ["A", "B"],
                                                              version=1), token_from="/")
    assert response.status_code == 200
    assert _values(_stored(draft)) == [(Decimal("5"), "A"), (Decimal("0.5"), "B")]

