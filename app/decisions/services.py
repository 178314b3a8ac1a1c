"""Decisions on proposals: shortlist, award, reserve list, rejection, each with its rationale.

Every decision and every change is audited with before and after. Awarding checks the
budget and the target number of winners; when a check fails the decision is refused
until the administrator confirms the warning explicitly, and the confirmation is
recorded in the audit event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.formatting import Money
from app.core.i18n import lazy_gettext as _l
from app.core.time import utcnow
from app.decisions.models import OUTCOMES, Decision
from app.extensions import db
from app.jury.permissions import is_in_jury_pool
from app.proposals.models import Proposal

OUTCOME_LABELS = {
    "shortlisted": _l("Shortlisted"),
    "awarded": _l("Awarded"),
    "reserve": _l("Reserve list"),
    "rejected": _l("Rejected"),
}

METHOD_LABELS = {
    "mean": _l("Mean"),
    "median": _l("Median"),
    "trimmed": _l("Trimmed mean"),
    "normalised": _l("Normalised (z-score per juror)"),
    "calibrated": _l("Calibrated (fixed effects)"),
    "consensus": _l("Consensus"),
}

# Decisions are taken by the jury from the consensus phase on; during contracting a
# reserve may still move up when a winner drops out.
DECISION_PHASES = ("consensus", "decision", "contracting")

DEFAULT_METHOD = "mean"


@dataclass(frozen=True)
class AwardWarning:
    """A failed award check: a code and figures for the audit trail, a message for people."""

    code: str
    message: Any
    data: dict[str, int] = field(default_factory=dict)

    def audit_view(self) -> dict[str, Any]:
        """The warning as recorded with the confirmed decision."""
        return {"code": self.code, "message": str(self.message), **self.data}


class WarningsNeedConfirmation(DomainError):
    """The award checks failed; the decision waits for an explicit confirmation."""

    def __init__(self, warnings: Sequence[AwardWarning]):
        super().__init__(_l("Please read the warnings and confirm that you want to proceed despite them."),
                         field="confirm_warnings")
        self.warnings = list(warnings)


class MissingRationales(DomainError):
    """Some selected rows of a bulk decision have no rationale; nothing was decided."""

    def __init__(self, proposal_ids: Sequence[int]):
        super().__init__(_l("Every selected proposal needs its own rationale. Nothing has been saved."),
                         field="rows")
        self.proposal_ids = list(proposal_ids)


@dataclass(frozen=True)
class RankAtDecision:
    """The place a proposal held in the ranking the jury decided on."""

    rank: int | None
    total: float | None
    method: str | None


# --------------------------------------------------------------------------- reading


def outcome_label(outcome: str) -> str:
    """The translated name of an outcome."""
    return str(OUTCOME_LABELS.get(outcome, outcome))


def decisions_by_proposal(competition: Competition) -> dict[int, Decision]:
    """All decisions of a competition keyed by proposal id (one query)."""
    rows = db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id)
    )
    return {d.proposal_id: d for d in rows}


def method_label(method: str) -> str:
    """The translated name of an aggregation method."""
    return str(METHOD_LABELS.get(method, method))


def today_in(competition: Competition) -> date:
    """Today's date in the competition's time zone (Europe/Berlin by default)."""
    return utcnow().astimezone(competition.zone).date()


def compute_ranking_view(competition: Competition, method: str = DEFAULT_METHOD, *, with_uncertainty: bool = False):
    """The competition's ranking from the ranking service (the one place it is computed)."""
    from app.ranking.service import compute_ranking

    return compute_ranking(competition, method=method, with_uncertainty=with_uncertainty)


def ranks_from(view) -> dict[int, RankAtDecision]:
    """Rank and total per proposal from a ranking view, for storing with a decision."""
    method = str(view.method)
    return {row.proposal_id: RankAtDecision(row.rank, float(row.total), method) for row in view.rows}


@dataclass(frozen=True)
class AwardSummary:
    """What the awards so far add up to against the budget and the target number of winners."""

    awarded_count: int
    awarded_cents: int
    budget_cents: int
    winners_min: int
    winners_max: int

    @property
    def over_budget(self) -> bool:
        """The awarded requests exceed the budget."""
        return self.awarded_cents > self.budget_cents

    @property
    def too_many(self) -> bool:
        """More winners than the call's maximum."""
        return self.awarded_count > self.winners_max

    @property
    def too_few(self) -> bool:
        """Fewer winners than the call's minimum (shown, never blocking: awards come one by one)."""
        return self.awarded_count < self.winners_min

    @property
    def remaining_cents(self) -> int:
        """Budget not yet awarded (negative when over budget)."""
        return self.budget_cents - self.awarded_cents


def award_summary(competition: Competition) -> AwardSummary:
    """Count and requested funding of the awarded proposals (one query)."""
    count, cents = db.session.execute(
        select(func.count(Decision.id), func.coalesce(func.sum(Proposal.requested_funding_cents), 0))
        .join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id, Decision.outcome == "awarded")
    ).one()
    return AwardSummary(int(count), int(cents), competition.budget_cents, competition.winners_min,
                        competition.winners_max)


def award_warnings(competition: Competition, newly_awarded: Sequence[Proposal]) -> list[AwardWarning]:
    """Budget and winner-count checks for awarding these proposals on top of the existing awards."""
    if not newly_awarded:
        return []
    current = award_summary(competition)
    already = {d.proposal_id for d in db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id, Decision.outcome == "awarded"))}
    extra = [p for p in newly_awarded if p.id not in already]
    if not extra:
        return []  # re-saving an existing award adds nothing; the summary still shows the totals
    count = current.awarded_count + len(extra)
    cents = current.awarded_cents + sum(p.requested_funding_cents or 0 for p in extra)
    warnings = []
    if cents > competition.budget_cents:
        warnings.append(AwardWarning(
            "over_budget",
            _l("The awarded proposals would request %(total)s in total, %(excess)s more than the budget of "
               "%(budget)s.", total=Money(cents), excess=Money(cents - competition.budget_cents),
               budget=Money(competition.budget_cents)),
            {"awarded_cents": cents, "budget_cents": competition.budget_cents},
        ))
    if count > competition.winners_max:
        warnings.append(AwardWarning(
            "too_many_winners",
            _l("This would make %(count)s winners, more than the call's target of %(low)s to %(high)s.",
               count=count, low=competition.winners_min, high=competition.winners_max),
            {"winners": count, "winners_min": competition.winners_min, "winners_max": competition.winners_max},
        ))
    return warnings


def decision_view(decision: Decision) -> dict[str, Any]:
    """The fields of a decision recorded in the audit trail."""
    return {
        "proposal_id": decision.proposal_id,
        "outcome": decision.outcome,
        "rationale": decision.rationale,
        "meeting_note": decision.meeting_note,
        "award_date": decision.award_date.isoformat() if decision.award_date else None,
        "rank_at_decision": decision.rank_at_decision,
        "total_at_decision": decision.total_at_decision,
        "method_at_decision": decision.method_at_decision,
        "letter_sent_at": decision.letter_sent_at.isoformat() if decision.letter_sent_at else None,
    }


# --------------------------------------------------------------------------- writing


def _check_can_decide(competition: Competition, proposal: Proposal) -> None:
    """Decisions need the right phase and a proposal that went to the jury."""
    if competition.phase not in DECISION_PHASES:
        raise DomainError(_l("Decisions can be recorded from the consensus phase until contracting."))
    if proposal.competition_id != competition.id or not is_in_jury_pool(proposal):
        raise DomainError(_l("Only submitted proposals found eligible in the pre-check can be decided."))


def _clean_outcome(outcome: str) -> str:
    """The outcome if it is one of the four known ones, else a form error."""
    if outcome not in OUTCOMES:
        raise DomainError(_l("Please choose an outcome."), field="outcome")
    return outcome


def _apply(decision: Decision, *, outcome: str, rationale: str, award_date: date | None,
           meeting_note: str | None, rank: RankAtDecision | None, actor) -> None:
    """Write the new values onto a decision; a changed outcome needs a new letter."""
    if decision.outcome != outcome:
        decision.letter_sent_at = None
    decision.outcome = outcome
    decision.rationale = rationale
    if meeting_note is not None:
        decision.meeting_note = meeting_note
    decision.award_date = award_date if outcome == "awarded" else None
    if rank is not None:
        decision.rank_at_decision = rank.rank
        decision.total_at_decision = f"{rank.total:.6f}" if rank.total is not None else None
        decision.method_at_decision = rank.method
    decision.decided_at = utcnow()
    decision.decided_by_id = actor.id if actor is not None else None


def _write_decision(proposal: Proposal, *, outcome: str, rationale: str, award_date: date | None,
                    meeting_note: str | None, rank: RankAtDecision | None, actor,
                    confirmed: list[AwardWarning], existing: Decision | None) -> Decision:
    """Create or change one decision and audit it with before and after."""
    decision = existing
    before = decision_view(decision) if decision is not None else None
    if decision is None:
        decision = Decision(proposal=proposal, proposal_id=proposal.id, meeting_note="")
        db.session.add(decision)
    _apply(decision, outcome=outcome, rationale=rationale, award_date=award_date, meeting_note=meeting_note,
           rank=rank, actor=actor)
    after = decision_view(decision)
    if before is not None and _same(before, after):
        return decision  # nothing changed: no new event, the earlier one still tells the truth
    if confirmed:
        after = {**after, "confirmed_warnings": [w.audit_view() for w in confirmed]}
    record_event("decision.changed" if before is not None else "decision.recorded", decision,
                 before=before, after=after, actor=actor)
    return decision


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """True when a re-save changed nothing the decision means (its ranking snapshot aside)."""
    keys = ("outcome", "rationale", "meeting_note", "award_date")
    return all(before[k] == after[k] for k in keys)


def record_decision(proposal: Proposal, *, outcome: str, rationale: str, actor, award_date: date | None = None,
                    meeting_note: str | None = None, confirm_warnings: bool = False,
                    rank: RankAtDecision | None = None) -> Decision:
    """Record or change the decision on one proposal (rationale required; awards checked)."""
    competition = proposal.competition
    _check_can_decide(competition, proposal)
    outcome = _clean_outcome(outcome)
    rationale = (rationale or "").strip()
    if not rationale:
        raise DomainError(_l("Please give a rationale for the decision."), field="rationale")
    note = meeting_note.strip() if meeting_note is not None else None
    if outcome == "awarded" and award_date is None:
        award_date = today_in(competition)
    confirmed = _confirm_awards(competition, [proposal] if outcome == "awarded" else [], confirm_warnings)
    existing = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    return _write_decision(proposal, outcome=outcome, rationale=rationale, award_date=award_date,
                           meeting_note=note, rank=rank, actor=actor, confirmed=confirmed, existing=existing)


def record_decisions(competition: Competition, *, outcome: str, rationales: Mapping[int, str], actor,
                     award_date: date | None = None, confirm_warnings: bool = False,
                     ranks: Mapping[int, RankAtDecision] | None = None) -> list[Decision]:
    """Set one outcome for several proposals, each keeping its own rationale; all or nothing."""
    outcome = _clean_outcome(outcome)
    if not rationales:
        raise DomainError(_l("Please select at least one proposal."), field="rows")
    missing = [pid for pid, text in rationales.items() if not (text or "").strip()]
    if missing:
        raise MissingRationales(missing)
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(list(rationales)), Proposal.competition_id == competition.id)
    ).all()
    if len(proposals) != len(rationales):
        raise DomainError(_l("Only proposals of this competition can be decided here."), field="rows")
    for proposal in proposals:
        _check_can_decide(competition, proposal)
    if outcome == "awarded" and award_date is None:
        award_date = today_in(competition)
    confirmed = _confirm_awards(competition, proposals if outcome == "awarded" else [], confirm_warnings)
    existing = decisions_by_proposal(competition)
    ranks = ranks or {}
    return [
        _write_decision(p, outcome=outcome, rationale=rationales[p.id].strip(), award_date=award_date,
                        meeting_note=None, rank=ranks.get(p.id), actor=actor, confirmed=confirmed,
                        existing=existing.get(p.id))
        for p in sorted(proposals, key=lambda p: p.id)
    ]


def _confirm_awards(competition: Competition, awarding: Sequence[Proposal], confirmed: bool) -> list[AwardWarning]:
    """Refuse awards that fail a check unless confirmed; return the warnings that were confirmed."""
    warnings = award_warnings(competition, awarding)
    if warnings and not confirmed:
        raise WarningsNeedConfirmation(warnings)
    return warnings


def has_award(competition: Competition) -> bool:
    """True once any proposal of the competition has been awarded (the weights are then frozen)."""
    return db.session.scalar(
        select(Decision.id).join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id, Decision.outcome == "awarded").limit(1)
    ) is not None
