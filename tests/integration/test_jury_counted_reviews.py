"""One rule for which reviews count: submitted, by a juror without an active conflict on the proposal.

The ranking's score rows, a proposal's detail scores and the consensus approvers all apply it.
"""

from __future__ import annotations

from sqlalchemy import select

from app.jury.models import Review
from app.jury.permissions import consensus_approver_ids
from app.jury.queries import counted_review
from app.ranking import data, service
from tests.builders.jury import add_review, juror, pool_proposal, review_competition
from tests.factories import ConflictFactory, CriterionFactory


def test_only_submitted_reviews_without_an_active_conflict_count(db):
    """A draft and a review of a juror conflicted since are left out everywhere; a lifted conflict counts again."""
    competition = review_competition()
    CriterionFactory(competition=competition)
    proposal = pool_proposal(competition)
    counted, conflicted, drafting, lifted = (juror(competition) for _ in range(4))
    for user in (counted, conflicted, lifted):
        add_review(db, proposal, user, values=(4,))
    add_review(db, proposal, drafting, status="draft", values=(2,))
    ConflictFactory(proposal=proposal, user=conflicted)
    ConflictFactory(proposal=proposal, user=lifted, status="lifted")
    db.session.commit()
    expected = {counted.id, lifted.id}

    assert set(db.session.scalars(select(Review.user_id).where(Review.proposal_id == proposal.id,
                                                               counted_review()))) == expected
    assert {row.juror_id for row in data.score_rows(competition.id)} == expected
    criterion_ids = {c.id for c in competition.criteria}
    assert set(service._submitted_scores(proposal.id, criterion_ids)) == expected
    assert consensus_approver_ids(proposal, rapporteur_id=lifted.id) == {counted.id}
