"""Builds a competition in review, the proposals in its jury's pool, its jurors and their reviews."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

from app.core.time import utcnow
from app.extensions import db
from app.jury.models import Review, Score
from app.proposals.snapshot import build_snapshot
from tests.factories import (
    AssignmentFactory,
    CompetitionFactory,
    CriterionFactory,
    JuryMembershipFactory,
    ProposalFactory,
    UserFactory,
)

# One counter for every pool proposal, so receipt numbers never clash within a test.
_receipts = count(1)


def review_competition(**kwargs):
    """A competition whose submissions are closed and which is in the review phase (no criteria yet)."""
    kwargs.setdefault("phase", "review")
    kwargs.setdefault("reviews_per_proposal", 2)
    kwargs.setdefault("review_deadline", utcnow() + timedelta(days=20))
    return CompetitionFactory(submission_opens_at=utcnow() - timedelta(days=40),
                              submission_deadline=utcnow() - timedelta(days=10), **kwargs)


def pool_proposal(competition, **kwargs):
    """A submitted proposal found eligible in the pre-check (so it is in the jury's pool), with its snapshot."""
    number = next(_receipts)
    kwargs.setdefault("network_name", f"Netzwerk {number}")
    kwargs.setdefault("eligibility", "eligible")
    kwargs.setdefault("submitted_at", utcnow() - timedelta(days=21))
    proposal = ProposalFactory(competition=competition, status="submitted", receipt_number=f"J-{number:04d}",
                               snapshot={"network_name": kwargs["network_name"]}, **kwargs)
    proposal.snapshot = build_snapshot(proposal)
    db.session.commit()
    return proposal


def juror(competition, signed: bool = True, **user_kwargs):
    """A user with an active seat on the competition's jury (declaration signed unless told otherwise)."""
    user = UserFactory(**user_kwargs)
    JuryMembershipFactory(competition=competition, user=user,
                          declaration_signed_at=utcnow() if signed else None)
    return user


def assigned_juror(proposal, signed: bool = True, **user_kwargs):
    """A juror of the proposal's competition who is assigned to review it."""
    user = juror(proposal.competition, signed=signed, **user_kwargs)
    AssignmentFactory(proposal=proposal, user=user)
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
