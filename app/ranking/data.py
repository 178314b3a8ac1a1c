"""Loads a competition's submitted scores as plain rows for aggregate.py.

This is the one place where review data leaves the database for the ranking maths, so it
is also where the jury's permission rule applies: `visible_proposal_ids` tells a viewer
which proposals' rows, numbers and exports they may see.
"""

from __future__ import annotations

from sqlalchemy import Float, cast, select

from app.competitions.models import Competition
from app.extensions import db
from app.jury.models import Consensus, ConsensusScore, Review, Score
from app.jury.permissions import hidden_from_signed_juror
from app.jury.queries import counted_review
from app.proposals.models import Proposal
from app.ranking import aggregate


def criteria_for(competition: Competition) -> list[aggregate.Criterion]:
    """The competition's criteria as the maths sees them (weights may be overridden for what-if)."""
    return [aggregate.Criterion(id=c.id, weight=float(c.weight), threshold=float(c.threshold), priority=c.priority)
            for c in competition.criteria]


def jury_pool_ids(competition_id: int) -> list[int]:
    """Proposals that went to the jury: submitted and found eligible in the pre-check."""
    return list(db.session.scalars(
        select(Proposal.id).where(Proposal.competition_id == competition_id, Proposal.in_jury_pool)
        .order_by(Proposal.id)
    ))


def score_rows(competition_id: int) -> list[aggregate.ScoreRow]:
    """Every score of every submitted review of the competition's jury pool (one query).

    Reviews of a juror who has an active conflict with the proposal never count, even when
    they were submitted before the conflict became known.
    """
    statement = (
        select(Review.proposal_id, Review.user_id, Score.criterion_id, cast(Score.value, Float))
        .join(Score, Score.review_id == Review.id)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.competition_id == competition_id, Proposal.in_jury_pool, counted_review(),
               Score.value.is_not(None))
        .order_by(Review.proposal_id, Review.user_id, Score.criterion_id)
    )
    # ~50,000 rows at scale: the value is cast to a float in SQL and the driver's plain tuples are taken
    # as they are (building a SQLAlchemy Row for each cost four times the query itself).
    db.session.flush()  # as session.execute would: pending changes count
    result = db.session.connection().execute(statement)
    try:
        return list(map(aggregate.ScoreRow._make, result.cursor.fetchall()))
    finally:
        result.close()


def consensus_scores(competition_id: int) -> dict[tuple[int, int], float]:
    """Agreed scores of approved consensus reports, keyed by (proposal, criterion)."""
    result = db.session.execute(
        select(Consensus.proposal_id, ConsensusScore.criterion_id, ConsensusScore.value)
        .join(ConsensusScore, ConsensusScore.consensus_id == Consensus.id)
        .join(Proposal, Proposal.id == Consensus.proposal_id)
        .where(Proposal.competition_id == competition_id, Consensus.status == "approved",
               ConsensusScore.value.is_not(None))
    )
    return {(p, c): float(v) for p, c, v in result}


def visible_proposal_ids(viewer, competition: Competition, proposal_ids) -> set[int]:
    """The proposals whose rows and figures a viewer may see: all for admins, none conflicted for jurors."""
    if viewer is None or not viewer.is_authenticated:
        return set()
    if viewer.is_admin:
        return set(proposal_ids)
    hidden = hidden_from_signed_juror(viewer, competition.id)
    if hidden is None:
        return set()
    return set(proposal_ids) - hidden
