"""Named queries of the decisions package for its decision and meeting pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.decisions.models import Decision
from app.extensions import db
from app.jury.models import Conflict, Consensus, Review
from app.proposals.models import Proposal


def pool_proposals_with_applicants(competition_id: int) -> dict[int, Proposal]:
    """The jury pool (Proposal.in_jury_pool) by id, with applicants loaded."""
    rows = db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition_id, Proposal.in_jury_pool)
        .options(selectinload(Proposal.applicant)).order_by(Proposal.id))
    return {p.id: p for p in rows}


def consensus_with_scores(proposal_id: int) -> Consensus | None:
    """The proposal's consensus report with its scores, if there is one."""
    return db.session.scalar(
        select(Consensus).where(Consensus.proposal_id == proposal_id).options(selectinload(Consensus.scores)))


def submitted_reviews_with_scores(proposal_id: int) -> list[Review]:
    """The proposal's submitted reviews with their scores, in the order they were created."""
    return list(db.session.scalars(
        select(Review).where(Review.proposal_id == proposal_id, Review.status == "submitted")
        .options(selectinload(Review.scores)).order_by(Review.id)))


def active_conflicts_with_jurors(proposal_id: int) -> list[Conflict]:
    """The proposal's active conflicts with the conflicted users loaded."""
    return list(db.session.scalars(
        select(Conflict).where(Conflict.proposal_id == proposal_id, Conflict.status == "active")
        .options(selectinload(Conflict.user))))


def applicant_decision_facts(proposal_ids: list[int]) -> dict[int, dict]:
    """The decision of each proposal with its letter, for the applicant's outcome view (proposals.outcomes)."""
    rows = db.session.execute(
        select(Decision.proposal_id, Decision.outcome, Decision.letter_sent_at, Decision.letter_id,
               Decision.award_date).where(Decision.proposal_id.in_(proposal_ids)))
    return {pid: {"decision": outcome, "decision_letter_sent_at": sent_at, "decision_letter_id": letter_id,
                  "award_date": award_date}
            for pid, outcome, sent_at, letter_id, award_date in rows}
