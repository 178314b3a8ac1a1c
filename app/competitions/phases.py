"""Phase changes of a competition: explicit, checked, audited.

Each move to the next phase has preconditions. Packages higher up the life of a
competition (proposals, jury, ranking, contracts) add their own checks with
`register_requirement`, so this package never imports them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from app.competitions.models import PHASES, Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l

# A requirement returns a list of unmet conditions (translated strings); empty means met.
Requirement = Callable[[Competition], list]

_requirements: dict[str, list[Requirement]] = defaultdict(list)

PHASE_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open for submissions"),
    "precheck": _l("Formal pre-check"),
    "review": _l("Review (scoring)"),
    "consensus": _l("Consensus"),
    "decision": _l("Decision"),
    "contracting": _l("Contracting"),
    "closed": _l("Closed"),
}


def register_requirement(target_phase: str, requirement: Requirement) -> Requirement:
    """Add a precondition for entering target_phase (usable as a decorator factory target)."""
    if target_phase not in PHASES:
        raise ValueError(f"unknown phase {target_phase!r}")
    if requirement not in _requirements[target_phase]:
        _requirements[target_phase].append(requirement)
    return requirement


def next_phase(competition: Competition) -> str | None:
    """The phase after the current one, or None when closed."""
    index = competition.phase_index()
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def unmet_requirements(competition: Competition, target_phase: str) -> list:
    """Everything that keeps the competition from entering target_phase."""
    problems: list = []
    for requirement in _requirements[target_phase]:
        problems.extend(requirement(competition))
    return problems


def advance_phase(competition: Competition, target_phase: str, actor) -> None:
    """Move the competition to the next phase after checking its preconditions."""
    if target_phase != next_phase(competition):
        raise DomainError(_l("The competition can only move on to the next phase."))
    problems = unmet_requirements(competition, target_phase)
    if problems:
        raise DomainError(_l("The next phase cannot start yet: %(problems)s",
                             problems="; ".join(str(p) for p in problems)))
    before = competition.phase
    competition.phase = target_phase
    record_event("competition.phase_changed", competition, before={"phase": before},
                 after={"phase": target_phase}, actor=actor)
