"""The administrators' cockpit of one competition: phase, deadlines, counts, what is overdue, the next step.

The counts belong to the packages further up the life of a competition (proposals, jury, decisions,
contracts); each registers one source with `register_cockpit_source` in its init_app, and each
source answers with one grouped statement, so the page costs a fixed number of statements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for

from app.competitions.models import PHASES, Competition
from app.competitions.phases import next_phase
from app.core.i18n import lazy_gettext as _l
from app.core.time import utcnow


@dataclass(frozen=True)
class Count:
    """One figure of the cockpit with its label and the page that lists what it counts."""

    label: str
    value: int
    url: str | None = None


@dataclass(frozen=True)
class Overdue:
    """Something that should have been done by now, with the page where it is done."""

    text: str
    url: str


@dataclass
class CockpitSection:
    """The figures one package contributes: a heading, its counts and its overdue items."""

    title: str
    counts: list[Count] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)


@dataclass(frozen=True)
class NextStep:
    """The task the current phase asks for, as a link."""

    label: str
    url: str


@dataclass
class Cockpit:
    """Everything the cockpit page shows."""

    competition: Competition
    sections: list[CockpitSection]
    next_step: NextStep | None
    upcoming_phase: str | None

    @property
    def overdue(self) -> list[Overdue]:
        """The overdue items of every section, in section order."""
        return [item for section in self.sections for item in section.overdue]


# A source takes the competition and the current time and returns its section (one statement).
CockpitSource = Callable[[Competition, datetime], CockpitSection]
_sources: list[CockpitSource] = []
# Phase -> (label, endpoint, name of its competition argument): the page where the phase's main task is done.
_next_steps: dict[str, tuple[object, str, str]] = {
    "draft": (_l("Complete the call and open it for submissions"), "competitions.admin_detail", "competition_id")}


def register_cockpit_source(source: CockpitSource) -> CockpitSource:
    """Add a package's figures to every competition's cockpit."""
    if source not in _sources:
        _sources.append(source)
    return source


def register_next_step(phase: str, label, endpoint: str, *, id_arg: str = "competition_id") -> None:
    """Name the page where the given phase's main task is done (its endpoint takes the competition as id_arg)."""
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}")
    _next_steps[phase] = (label, endpoint, id_arg)


def _next_step(competition: Competition, now: datetime) -> NextStep | None:
    if competition.phase == "open" and competition.deadline_passed(now):
        # Submissions are over: the pre-check phase is started on the competition's page.
        return NextStep(label=str(_l("Start the formal pre-check")),
                        url=url_for("competitions.admin_detail", competition_id=competition.id))
    step = _next_steps.get(competition.phase)
    if step is None:
        return None
    label, endpoint, id_arg = step
    return NextStep(label=str(label), url=url_for(endpoint, **{id_arg: competition.id}))


def build_cockpit(competition: Competition, now: datetime | None = None) -> Cockpit:
    """The cockpit of one competition: every registered section, the next step and the next phase."""
    now = now or utcnow()
    return Cockpit(competition=competition, sections=[source(competition, now) for source in _sources],
                   next_step=_next_step(competition, now), upcoming_phase=next_phase(competition))
