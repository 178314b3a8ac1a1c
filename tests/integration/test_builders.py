"""The shared builders in tests/builders/ create what their docstrings promise and the tests assume."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.jury.models import Conflict, JuryMembership, Review, Score
from app.jury.permissions import is_in_jury_pool
from tests.builders.decisions import decision_case
from tests.builders.jury import add_review, juror, pool_proposal, review_competition
from tests.builders.ranking import hand_computed


def test_jury_builders_make_a_review_phase_competition_with_a_pool_and_signed_jurors(db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    signed, unsigned = juror(competition), juror(competition, signed=False)
    review = add_review(db, proposal, signed)

    assert competition.phase == "review"
    assert is_in_jury_pool(proposal)
    signed_at = {m.user_id: m.declaration_signed_at for m in db.session.scalars(select(JuryMembership))}
    assert signed_at[signed.id] is not None and signed_at[unsigned.id] is None
    stored = db.session.scalar(select(Review).where(Review.id == review.id))
    assert stored.status == "submitted" and len(stored.scores) == 1


def test_pool_proposals_get_distinct_receipt_numbers_and_their_own_snapshot(db):
    competition = review_competition()
    first, second = pool_proposal(competition), pool_proposal(competition, network_name="Medienhof Plagwitz")

    assert first.receipt_number != second.receipt_number
    assert second.snapshot["network_name"] == "Medienhof Plagwitz"


def test_hand_computed_competition_is_built_as_documented(db):
    hc = hand_computed()
    assert db.session.scalar(select(func.count(Review.id)).where(Review.status == "submitted")) == 9
    assert db.session.scalar(select(func.count(Score.id))) == 18
    assert hc.competition.default_overall_threshold() == Decimal("9")
    assert db.session.scalar(select(Conflict.proposal_id).where(Conflict.user_id == hc.conflicted.id)) == hc.p2.id


def test_decision_case_is_built_as_documented(db):
    case = decision_case()
    assert len(db.session.scalars(select(Review).where(Review.status == "submitted")).all()) == 12
    assert case.competition.default_overall_threshold() == Decimal("9")
    assert case.auto.applicant.locale == "en" and case.virtual.applicant.locale == "de"
