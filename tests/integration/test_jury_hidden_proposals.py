"""What the ranking hides from a juror: the proposals of their active conflicts, or everything without a signed seat."""

from __future__ import annotations

from app.jury.permissions import hidden_from_signed_juror, hidden_proposal_ids
from app.ranking.data import visible_proposal_ids
from tests.builders.jury import juror, pool_proposal, review_competition
from tests.factories import ConflictFactory, UserFactory


def test_a_signed_juror_misses_exactly_the_proposals_of_their_active_conflicts(db):
    competition, elsewhere = review_competition(), review_competition()
    mine, lifted, open_one = (pool_proposal(competition) for _ in range(3))
    other_call = pool_proposal(elsewhere)
    me = juror(competition)
    ConflictFactory(proposal=mine, user=me)
    ConflictFactory(proposal=lifted, user=me, status="lifted")
    ConflictFactory(proposal=other_call, user=me)
    db.session.commit()
    everything = [mine.id, lifted.id, open_one.id]

    assert hidden_from_signed_juror(me, competition.id) == {mine.id} == hidden_proposal_ids(me.id, competition.id)
    assert visible_proposal_ids(me, competition, everything) == {lifted.id, open_one.id}


def test_unsigned_jurors_and_outsiders_see_no_proposal(db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    unsigned, outsider = juror(competition, signed=False), UserFactory()
    db.session.commit()

    for user in (unsigned, outsider):
        assert hidden_from_signed_juror(user, competition.id) is None
        assert visible_proposal_ids(user, competition, [proposal.id]) == set()
