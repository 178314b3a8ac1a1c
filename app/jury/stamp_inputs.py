"""The jury's rows that are inputs of the competition's stamps (app/competitions/stamps.py).

What counts (see ranking/data.py and jury/progress_page.py):
- a review that is submitted, becomes submitted or stops being submitted, and the scores of
  a submitted review move both stamps; draft autosaves change nothing the ranking reads, so
  they never touch the competition row and concurrent jurors never wait for each other on it;
- a draft started or removed moves the progress stamp only (the draft count);
- consensus reports and their scores and conflicts of interest move both;
- assignments, jury seats and a juror's name move the progress stamp only.
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.accounts.models import User
from app.competitions.stamps import BOTH, PROGRESS, register_stamp_inputs
from app.jury.models import Assignment, Conflict, Consensus, ConsensusScore, JuryMembership, Review, Score


def _review_counts(session, review: Review | None, deleted: bool = False) -> bool:
    """True if a change to this review (or to one of its scores) can move the ranking."""
    if review is None:
        return True  # unknown: be safe
    if deleted or review in session.new:
        return review.status == "submitted"
    return review.status == "submitted" or inspect(review).attrs.status.history.has_changes()


def _score_review(session, score: Score) -> Review | None:
    """The review of a score without loading anything new where possible."""
    state = inspect(score)
    if "review" not in state.unloaded:
        return score.review
    return session.get(Review, score.review_id) if score.review_id is not None else None


def _review(session, obj: Review, change, written) -> None:
    if _review_counts(session, obj, change.deleted):
        written.mark(BOTH, owner="proposal", owner_id=obj.proposal_id)
    elif change.new or change.deleted:  # a draft started or removed: the draft count changes
        written.mark((PROGRESS,), owner="proposal", owner_id=obj.proposal_id)


def _score(session, obj: Score, change, written) -> None:
    review = _score_review(session, obj)
    if _review_counts(session, review):
        written.mark(BOTH, owner="proposal", owner_id=review.proposal_id if review is not None else None)


def _by_proposal(session, obj: Conflict | Consensus, change, written) -> None:
    written.mark(BOTH, owner="proposal", owner_id=obj.proposal_id)


def _consensus_score(session, obj: ConsensusScore, change, written) -> None:
    consensus = obj.consensus if "consensus" not in inspect(obj).unloaded else (
        session.get(Consensus, obj.consensus_id))
    written.mark(BOTH, owner="proposal", owner_id=consensus.proposal_id if consensus is not None else None)


def _assignment(session, obj: Assignment, change, written) -> None:
    written.mark((PROGRESS,), owner="proposal", owner_id=obj.proposal_id)


def _seat(session, obj: JuryMembership, change, written) -> None:
    written.mark((PROGRESS,), obj.competition_id)


def _user(session, obj: User, change, written) -> None:
    if obj.id is None or not inspect(obj).attrs.stored_name.history.has_changes():
        return
    # The progress page lists jurors by name.
    for competition_id in session.scalars(select(JuryMembership.competition_id)
                                          .where(JuryMembership.user_id == obj.id)):
        written.mark((PROGRESS,), competition_id)


def register() -> None:
    """Register these models as inputs of the competition's stamps."""
    register_stamp_inputs(_review, Review)
    register_stamp_inputs(_score, Score)
    register_stamp_inputs(_by_proposal, Conflict, Consensus)
    register_stamp_inputs(_consensus_score, ConsensusScore)
    register_stamp_inputs(_assignment, Assignment)
    register_stamp_inputs(_seat, JuryMembership)
    register_stamp_inputs(_user, User)
