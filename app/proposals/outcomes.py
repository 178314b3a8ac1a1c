"""Where a proposal stands, as its applicant is shown it: one rule for the portal list and the proposal page.

The stage is derived from the proposal's own records (status, pre-check) and from what the
later packages know (decision and its letter, contract), which they register as fact loaders
(the proposals package sits below them). Two rules protect the applicant and the office: a
pre-check result is shown once the pre-check has ended (or its letter went out), because the
office may still revise it until then; a decision is shown only once its letter has been
sent, because the office publishes outcomes by letter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.i18n import lazy_gettext as _l
from app.proposals.models import Proposal

DECISION_OUTCOMES = ("awarded", "reserve", "rejected")
# The phase from which the pre-check result is final (reopening and re-checking end with the pre-check).
PRECHECK_FINAL_PHASE = "review"

STAGE_LABELS = {
    "draft": _l("Draft"),
    "reopened": _l("Reopened for corrections"),
    "withdrawn": _l("Withdrawn"),
    "submitted": _l("Submitted – formal pre-check pending"),
    "not_eligible": _l("Not eligible"),
    "under_review": _l("Eligible – under review by the jury"),
    "awarded": _l("Awarded"),
    "reserve": _l("Reserve list"),
    "rejected": _l("Not awarded"),
    "contracted": _l("Awarded – contract concluded"),
}

# Bootstrap badge classes with AA contrast for their text.
STAGE_BADGES = {
    "draft": "text-bg-secondary", "reopened": "text-bg-warning", "withdrawn": "text-bg-dark",
    "submitted": "text-bg-info", "not_eligible": "text-bg-danger", "under_review": "text-bg-primary",
    "awarded": "text-bg-success", "reserve": "text-bg-warning", "rejected": "text-bg-danger",
    "contracted": "text-bg-success",
}


@dataclass(frozen=True)
class LaterFacts:
    """What the decisions and contracts packages know about a proposal."""

    decision: str | None = None
    decision_letter_sent_at: datetime | None = None
    decision_letter_id: int | None = None
    award_date: date | None = None
    contract_id: int | None = None
    contract_number: str | None = None
    contract_status: object = None  # the status label, translated when shown


@dataclass(frozen=True)
class Outcome:
    """The applicant's view of a proposal: its stage and what may be shown of each step."""

    stage: str
    precheck_shown: bool
    decision_shown: bool
    facts: LaterFacts = field(default_factory=LaterFacts)

    @property
    def label(self):
        """The stage in the user's language."""
        return STAGE_LABELS[self.stage]

    @property
    def badge(self) -> str:
        """The badge class of the stage."""
        return STAGE_BADGES[self.stage]

    @property
    def has_contract(self) -> bool:
        """True once a contract has been recorded for the awarded proposal."""
        return self.decision_shown and self.facts.contract_id is not None


FactLoader = Callable[[list[int]], dict[int, dict]]
_loaders: list[FactLoader] = []


def register_fact_loader(loader: FactLoader) -> None:
    """A later package adds what it knows about proposals: loader(ids) -> {id: {LaterFacts field: value}}."""
    if loader not in _loaders:
        _loaders.append(loader)


def later_facts(proposal_ids: list[int]) -> dict[int, LaterFacts]:
    """The registered facts of the proposals, one LaterFacts each."""
    merged: dict[int, dict] = {pid: {} for pid in proposal_ids}
    if proposal_ids:
        for loader in _loaders:
            for pid, values in loader(proposal_ids).items():
                merged[pid].update(values)
    return {pid: LaterFacts(**values) for pid, values in merged.items()}


def derive_outcome(proposal: Proposal, facts: LaterFacts) -> Outcome:
    """The stage of one proposal from its records; the publication rules of the module docstring apply."""
    if proposal.status == "withdrawn":
        return Outcome("withdrawn", False, False, facts)
    if proposal.status == "draft":
        return Outcome("reopened" if proposal.is_reopened_for_correction else "draft", False, False, facts)
    decision_shown = facts.decision in DECISION_OUTCOMES and facts.decision_letter_sent_at is not None
    precheck_shown = proposal.eligibility is not None and (
        proposal.competition.phase_at_least(PRECHECK_FINAL_PHASE) or proposal.ineligibility_letter_sent_at is not None)
    if decision_shown:
        stage = "contracted" if facts.decision == "awarded" and facts.contract_id else facts.decision
    elif precheck_shown and proposal.eligibility == "not_eligible":
        stage = "not_eligible"
    elif precheck_shown:
        stage = "under_review"
    else:
        stage = "submitted"
    return Outcome(stage, precheck_shown, decision_shown, facts)


def outcomes_of(proposals: list[Proposal]) -> dict[int, Outcome]:
    """The outcome of each proposal, by id (one query per registered loader)."""
    facts = later_facts([p.id for p in proposals])
    return {p.id: derive_outcome(p, facts[p.id]) for p in proposals}
