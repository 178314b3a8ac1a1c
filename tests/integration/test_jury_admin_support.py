"""Builders for the jury administration tests: a competition in review with a pool and signed jurors.

The other jury admin test modules import these helpers; the tests below check that the
builders create what those tests assume.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from app.core.time import utcnow
from app.jury.models import Review, Score
from app.jury.permissions import is_in_jury_pool
from tests.factories import (
    CompetitionFactory,
    CriterionFactory,
    JuryMembershipFactory,
    ProposalFactory,
    UserFactory,
)

_receipts = count(1)


def review_competition(**kwargs):
    """A competition whose submissions are closed and which is in the review phase."""
    kwargs.setdefault("phase", "review")
    kwargs.setdefault("reviews_per_proposal", 2)
    return CompetitionFactory(submission_opens_at=utcnow() - timedelta(days=40),
                              submission_deadline=utcnow() - timedelta(days=10),
                              review_deadline=utcnow() + timedelta(days=20), **kwargs)


def pool_proposal(competition, **kwargs):
    """A submitted proposal found eligible in the pre-check (so it is in the jury's pool)."""
    number = next(_receipts)
    kwargs.setdefault("network_name", f"Netzwerk Pool {number}")
    kwargs.setdefault("eligibility", "eligible")
    return ProposalFactory(competition=competition, status="submitted", receipt_number=f"J-{number:04d}",
                           submitted_at=utcnow() - timedelta(days=12),
                           snapshot={"network_name": kwargs["network_name"]}, **kwargs)


def juror(competition, *, signed=True, **user_kwargs):
    """A user with an active seat on the competition's jury (declaration signed unless told)."""
    user = UserFactory(**user_kwargs)
    JuryMembershipFactory(competition=competition, user=user,
                          declaration_signed_at=utcnow() if signed else None)
    return user


def add_review(db, proposal, user, *, status="submitted", values=(4,)):
    """A review with one score per criterion of the proposal's competition (or the given values)."""
    criteria = proposal.competition.criteria or [CriterionFactory(competition=proposal.competition)]
    review = Review(proposal_id=proposal.id, user_id=user.id, status=status,
                    submitted_at=utcnow() if status == "submitted" else None)
    for criterion, value in zip(criteria, list(values) * len(criteria), strict=False):
        review.scores.append(Score(criterion_id=criterion.id, value=Decimal(value), justification="Begründung"))
    db.session.add(review)
    db.session.commit()
    return review


def test_builders_make_a_review_phase_competition_with_a_pool_and_signed_jurors(db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    signed, unsigned = juror(competition), juror(competition, signed=False)
    review = add_review(db, proposal, signed)

    assert competition.phase == "review"
    assert is_in_jury_pool(proposal)
    assert signed.id != unsigned.id
    stored = db.session.scalar(select(Review).where(Review.id == review.id))
    assert stored.status == "submitted" and len(stored.scores) == 1
