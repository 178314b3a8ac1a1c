"""Builds the hand-computed ranking competition: jurors' reviews, approved consensus, conflicts.

The hand-computed competition (criteria A: weight 2, threshold 3, priority 1; B: weight 1,
threshold 3, priority 2; overall threshold H = 2·3 + 1·3 = 9; budget 1,000,000.00 EUR):

| proposal | A (j1, j2, j3) | B (j1, j2, j3) | mean A | mean B | T = 2A + B | passes | requested |
| -------- | -------------- | -------------- | ------ | ------ | ---------- | ------ | --------- |
| p1       | 4, 4, 5        | 4, 4, 5        | 4.333  | 4.333  | 13.00      | yes    | 800,000   |
| p2       | 5, 5, 5        | 2, 2, 3        | 5.000  | 2.333  | 12.33      | no (B) | 300,000   |
| p3       | 3, 4, 2        | 5, 5, 5        | 3.000  | 5.000  | 11.00      | yes    | 600,000   |

Mean ranking: p1, p3, p2 (p2 fails B and goes after every passing proposal). Funding
line: p1 (cumulative 800,000) is above it; p3 would bring the sum to 1,400,000 and closes
the line. Juror totals: p1 12/12/15 (spread 3), p2 12/12/13 (spread 1), p3 11/13/9 (spread
4; A ranges 2..4, so p3 is flagged for discussion). Juror j4 has a conflict with p2.
With the what-if weights A = 1, B = 3, p3 (3 + 15 = 18) overtakes p1 (4.333 + 13 = 17.33).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from app.core import cache
from app.core.time import utcnow
from app.extensions import db as _db
from app.jury.models import Conflict, Consensus, ConsensusScore, Review, Score
from tests.builders.jury import juror, pool_proposal
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory


def review(proposal, user, values: dict, status: str = "submitted"):
    """A review with one score per criterion ({criterion: value})."""
    item = Review(proposal_id=proposal.id, user_id=user.id, status=status,
                  submitted_at=utcnow() if status == "submitted" else None)
    item.scores = [Score(criterion_id=criterion.id, value=Decimal(str(value)), justification="Begründung")
                   for criterion, value in values.items()]
    _db.session.add(item)
    _db.session.commit()
    return item


def approved_consensus(proposal, values: dict):
    """An approved consensus report with agreed scores ({criterion: value})."""
    item = Consensus(proposal_id=proposal.id, status="approved", report="Einig.", approved_at=utcnow())
    item.scores = [ConsensusScore(criterion_id=criterion.id, value=Decimal(str(value))) for criterion, value
                   in values.items()]
    _db.session.add(item)
    _db.session.commit()
    return item


def conflict(user, proposal):
    """An active declared conflict of interest."""
    _db.session.add(Conflict(proposal_id=proposal.id, user_id=user.id, source="declared", reason="Partner"))
    _db.session.commit()


@dataclass
class HandComputed:
    """The competition of the module docstring."""

    competition: object
    a: object
    b: object
    p1: object
    p2: object
    p3: object
    jurors: list
    conflicted: object
    admin: object


SCORES = {
    "p1": {"a": (4, 4, 5), "b": (4, 4, 5)},
    "p2": {"a": (5, 5, 5), "b": (2, 2, 3)},
    "p3": {"a": (3, 4, 2), "b": (5, 5, 5)},
}


def hand_computed(phase: str = "decision") -> HandComputed:
    """Build the hand-computed competition (and start from an empty ranking cache)."""
    cache.clear()
    competition = CompetitionFactory(phase=phase, budget_cents=100_000_000, winners_min=1, winners_max=2,
                                     submission_opens_at=utcnow() - timedelta(days=90),
                                     submission_deadline=utcnow() - timedelta(days=30))
    a = CriterionFactory(competition=competition, name_de="Qualität", name_en="Quality", weight=Decimal("2"),
                         priority=1)
    b = CriterionFactory(competition=competition, name_de="Wirkung", name_en="Impact", weight=Decimal("1"),
                         priority=2)
    p1 = pool_proposal(competition, network_name="Autozulieferer West", requested_funding_cents=80_000_000)
    p2 = pool_proposal(competition, network_name="Medienhof Plagwitz", sector="Medien",
                       requested_funding_cents=30_000_000)
    p3 = pool_proposal(competition, network_name="Energie Lindenau", sector="Energie- und Umwelttechnik",
                       requested_funding_cents=60_000_000)
    jurors = [juror(competition, name=f"Jurorin {i}") for i in (1, 2, 3)]
    for key, proposal in (("p1", p1), ("p2", p2), ("p3", p3)):
        for i, user in enumerate(jurors):
            review(proposal, user, {a: SCORES[key]["a"][i], b: SCORES[key]["b"][i]})
    conflicted = juror(competition, name="Befangene Jurorin")
    conflict(conflicted, p2)
    return HandComputed(competition, a, b, p1, p2, p3, jurors, conflicted, AdminFactory())
