"""The jury pool is one rule (Proposal.in_jury_pool): a proposal and a query never disagree on it."""

from __future__ import annotations

from itertools import product

from sqlalchemy import select

from app.proposals.models import ELIGIBILITY, PROPOSAL_STATUSES, Proposal
from tests.factories import CompetitionFactory, ProposalFactory


def test_pool_is_the_same_on_a_proposal_and_in_sql(db):
    """Only submitted, eligible proposals are in the pool, whether asked of the object or of the database."""
    competition = CompetitionFactory()
    combinations = list(product(PROPOSAL_STATUSES, (None, *ELIGIBILITY)))
    proposals = {ProposalFactory(competition=competition, status=status, eligibility=eligibility,
                                 receipt_number=f"P-{number}", snapshot={}).id: (status, eligibility)
                 for number, (status, eligibility) in enumerate(combinations)}
    in_sql = set(db.session.scalars(select(Proposal.id).where(Proposal.competition_id == competition.id,
                                                              Proposal.in_jury_pool)))
    on_objects = {proposal_id for proposal_id in proposals if db.session.get(Proposal, proposal_id).in_jury_pool}
    assert len(proposals) == len(combinations) == 9
    assert in_sql == on_objects
    assert [proposals[proposal_id] for proposal_id in in_sql] == [("submitted", "eligible")]
