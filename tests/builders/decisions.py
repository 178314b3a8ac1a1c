"""Builds a small competition at its decision, for the decision, letter, protocol and export tests.

Criteria A (weight 2, threshold 3, priority 1) and B (weight 1, threshold 3, priority 2),
so H = 9; budget 1,000,000.00 EUR; one to two winners. Three jurors scored every
proposal; a fourth juror has a conflict with "Medienhof Plagwitz" and scored nothing.

| proposal                  | A (j1, j2, j3) | B (j1, j2, j3) | T = 2·mean A + mean B | passes | requested   |
| ------------------------- | -------------- | -------------- | --------------------- | ------ | ----------- |
| Autozulieferer West       | 4, 4, 5        | 4, 4, 5        | 13.00                 | yes    | 800,000 EUR |
| Virtuelle Produktentw.    | 4, 4, 4        | 3, 3, 3        | 11.00                 | yes    | 200,000 EUR |
| Energie Lindenau          | 3, 4, 2        | 4, 4, 4        | 10.00                 | yes    | 600,000 EUR |
| Medienhof Plagwitz        | 5, 5, 5        | 2, 2, 3        | 12.33                 | no (B) | 300,000 EUR |

Mean ranking: Autozulieferer, Virtuelle, Energie, Medienhof (fails B, ranked last).
The applicant of Autozulieferer West writes English, the others German.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from app.core import cache
from app.core.time import utcnow
from app.extensions import db as _db
from app.jury.models import Review, Score
from tests.builders.jury import juror, pool_proposal
from tests.builders.ranking import conflict
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, UserFactory

JUROR_NAMES = ("Prof. Jens Hartmann", "Monika Becker", "Dr. Thomas Schubert")

SCORES = {
    "auto": ((4, 4, 5), (4, 4, 5)),
    "virtual": ((4, 4, 4), (3, 3, 3)),
    "energy": ((3, 4, 2), (4, 4, 4)),
    "media": ((5, 5, 5), (2, 2, 3)),
}


@dataclass
class DecisionCase:
    """The competition of the module docstring and its people."""

    competition: object
    a: object
    b: object
    auto: object
    virtual: object
    energy: object
    media: object
    jurors: list
    conflicted: object
    admin: object

    @property
    def proposals(self) -> list:
        """In mean rank order."""
        return [self.auto, self.virtual, self.energy, self.media]


def scored_review(proposal, user, values: dict, justifications: dict):
    """A submitted review with a score and a justification per criterion."""
    item = Review(proposal_id=proposal.id, user_id=user.id, status="submitted", submitted_at=utcnow(),
                  overall_comment="Gesamturteil")
    item.scores = [Score(criterion_id=c.id, value=Decimal(str(v)), justification=justifications[c])
                   for c, v in values.items()]
    _db.session.add(item)
    _db.session.commit()
    return item


def decision_case(phase: str = "decision") -> DecisionCase:
    """Build the competition of the module docstring (starting from an empty ranking cache)."""
    cache.clear()
    competition = CompetitionFactory(phase=phase, budget_cents=100_000_000, winners_min=1, winners_max=2,
                                     submission_opens_at=utcnow() - timedelta(days=90),
                                     submission_deadline=utcnow() - timedelta(days=30))
    a = CriterionFactory(competition=competition, name_de="Qualität des Netzwerks", name_en="Network quality",
                         weight=Decimal("2"), priority=1)
    b = CriterionFactory(competition=competition, name_de="Wirkung im Programmgebiet", name_en="Local impact",
                         weight=Decimal("1"), priority=2)
    english = UserFactory(locale="en", name="Frank Lehmann")
    auto = pool_proposal(competition, network_name="Autozulieferer West", applicant=english,
                         requested_funding_cents=80_000_000)
    virtual = pool_proposal(competition, network_name="Virtuelle Produktentwicklung", sector="Produktentwicklung",
                            requested_funding_cents=20_000_000)
    energy = pool_proposal(competition, network_name="Energie Lindenau", sector="Energie- und Umwelttechnik",
                           requested_funding_cents=60_000_000)
    media = pool_proposal(competition, network_name="Medienhof Plagwitz", sector="Medien",
                          requested_funding_cents=30_000_000)
    jurors = [juror(competition, name=name) for name in JUROR_NAMES]
    for key, proposal in (("auto", auto), ("virtual", virtual), ("energy", energy), ("media", media)):
        values_a, values_b = SCORES[key]
        for i, user in enumerate(jurors):
            scored_review(proposal, user, {a: values_a[i], b: values_b[i]},
                          {a: f"Qualität {key} Gutachten {i + 1}", b: f"Wirkung {key} Gutachten {i + 1}"})
    conflicted = juror(competition, name="Befangene Jurorin")
    conflict(conflicted, media)
    return DecisionCase(competition, a, b, auto, virtual, energy, media, jurors, conflicted, AdminFactory())
