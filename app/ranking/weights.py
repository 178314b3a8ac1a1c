"""What-if criterion weights: see the ranking move, then save the weights by an audited confirmation.

Criteria are otherwise locked once scoring starts (the competitions package refuses
edits). Changing the weights here is the one allowed exception: the jury sees the effect
first (nothing is saved by the preview), the confirmation is an explicit admin action,
and the audit trail records every weight before and after. It is refused once contracts
are being made or a proposal has been awarded, because the award rests on the ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.extensions import db
from app.ranking.forms import MAX_WEIGHT
from app.ranking.service import RankingView


@dataclass(frozen=True)
class Movement:
    """How one proposal's place changes under what-if weights."""

    proposal_id: int
    title: str
    rank_before: int
    rank_after: int
    label_before: str
    label_after: str
    total_before: float
    total_after: float
    passed_after: bool

    @property
    def places_up(self) -> int:
        """Places gained (negative: lost)."""
        return self.rank_before - self.rank_after


def compare(base: RankingView, what_if: RankingView) -> list[Movement]:
    """Each proposal's place and total now and under the what-if weights, in what-if order."""
    before = {r.proposal_id: r for r in base.rows}
    return [
        Movement(r.proposal_id, r.title, before[r.proposal_id].rank, r.rank, before[r.proposal_id].rank_label,
                 r.rank_label, before[r.proposal_id].total, r.total, r.passed)
        for r in what_if.rows if r.proposal_id in before
    ]


def normalised(weights: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The weights scaled to sum to 1, so totals stay on the score scale (T_p = Σ w_c · S_pc, METHOD.md)."""
    total = sum(weights.values(), Decimal("0"))
    if total == 1 or not total > 0:
        return dict(weights)
    return {cid: weight / total for cid, weight in weights.items()}


# Rules of higher packages that freeze the weights (the decisions package: once anything is awarded).
_weight_locks: list[Callable[[Competition], bool]] = []


def register_weight_lock(is_locked: Callable[[Competition], bool]) -> None:
    """Add a rule under which a competition's weights may no longer change."""
    if is_locked not in _weight_locks:
        _weight_locks.append(is_locked)


def can_change_weights(competition: Competition) -> bool:
    """Weights may change until contracting starts and as long as no registered rule freezes them."""
    return not competition.phase_at_least("contracting") and not any(lock(competition) for lock in _weight_locks)


def apply_weights(competition: Competition, weights: Mapping[int, Decimal], actor) -> None:
    """Save new criterion weights (all criteria at once), audited with before and after."""
    if not can_change_weights(competition):
        raise DomainError(_l("The weights can no longer be changed: contracting has started or a proposal has "
                             "been awarded."))
    criteria = {c.id: c for c in competition.criteria}
    if set(weights) != set(criteria):
        raise DomainError(_l("Please enter a weight for every criterion."))
    for cid, weight in weights.items():
        if weight is None or not Decimal("0") < weight <= MAX_WEIGHT or weight != weight.quantize(Decimal("0.001")):
            raise DomainError(_l("Each weight must be greater than 0 and at most 999.999, with at most three "
                                 "decimal places."), field=f"w_{cid}")
    before = {str(cid): str(c.weight) for cid, c in criteria.items()}
    after = {str(cid): str(weights[cid].quantize(Decimal("0.001"))) for cid in criteria}
    if all(Decimal(before[k]) == Decimal(after[k]) for k in before):
        raise DomainError(_l("The weights are unchanged; nothing was saved."))
    for cid, criterion in criteria.items():
        criterion.weight = weights[cid]
    db.session.flush()
    record_event("criteria.weights_changed", competition, actor=actor,
                 before={"weights": before}, after={"weights": after})
