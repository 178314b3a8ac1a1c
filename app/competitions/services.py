"""Competition state changes: set up the call, manage criteria, move through phases.

Every function checks its rule first, then changes rows, writes an audit event and
flushes; the view commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select

from app.competitions import rules
from app.competitions.defaults import DEFAULT_TIMEZONE, default_criteria
from app.competitions.models import PHASES, REVIEW_VISIBILITY, Competition, Criterion
from app.competitions.phases import advance_phase
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.time import utcnow
from app.extensions import db

CENTS = Decimal("0.01")


@dataclass
class CompetitionSettings:
    """Everything an administrator sets on a competition; times are wall-clock times in `timezone`."""

    title: str
    programme: str = ""
    measure: str = ""
    call_text: str = ""
    eligibility_rules: str = ""
    legal_remedies_de: str = ""
    legal_remedies_en: str = ""
    sectors: list[str] = field(default_factory=list)
    timezone: str = DEFAULT_TIMEZONE
    submission_opens_local: datetime | None = None
    submission_deadline_local: datetime | None = None
    review_deadline_local: datetime | None = None
    winners_min: int = 3
    winners_max: int = 5
    budget_cents: int = 0
    funding_rows: list[tuple[str | None, Decimal | None]] = field(default_factory=list)
    contract_months: int = 24
    scale_min: Decimal = Decimal("0")
    scale_max: Decimal = Decimal("5")
    scale_step: Decimal = Decimal("0.5")
    reviews_per_proposal: int = 3
    blind_review: bool = False
    other_reviews_visibility: str = "after_own"
    eu_fund: str = ""  # empty: ERDF
    eu_funding_source: str = ""  # empty: EFRE
    specific_objective: str = ""
    intervention_type: str = ""


@dataclass
class CriterionData:
    """The values of one criterion as typed by an administrator."""

    name_de: str
    name_en: str
    weight: Decimal
    threshold: Decimal
    priority: int
    rubric_de: str = ""
    rubric_en: str = ""


def _clean_lines(text: str) -> list[str]:
    """Non-empty, stripped lines, each once, in the order given."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        if line.strip():
            seen.setdefault(line.strip(), None)
    return list(seen)


def _checked_values(settings: CompetitionSettings) -> dict:
    """Validate the settings as a whole and return the column values to store."""
    if not settings.title.strip():
        raise DomainError(_l("Please enter a title."), "title")
    if settings.other_reviews_visibility not in REVIEW_VISIBILITY:
        raise DomainError(_l("Please choose a valid option."), "other_reviews_visibility")
    rules.zone_or_error(settings.timezone)
    opens = rules.local_to_utc(settings.submission_opens_local, settings.timezone, "submission_opens_at")
    deadline = rules.local_to_utc(settings.submission_deadline_local, settings.timezone, "submission_deadline")
    review = rules.local_to_utc(settings.review_deadline_local, settings.timezone, "review_deadline")
    rules.check_deadline_order(opens, deadline, review)
    rules.check_positive_counts(winners_min=settings.winners_min, winners_max=settings.winners_max,
                                reviews_per_proposal=settings.reviews_per_proposal,
                                contract_months=settings.contract_months, budget_cents=settings.budget_cents)
    rules.check_scale(settings.scale_min, settings.scale_max, settings.scale_step)
    funding_sources = rules.clean_funding_sources(settings.funding_rows)
    eu_source = settings.eu_funding_source.strip()
    if eu_source and funding_sources and eu_source not in {s["name"] for s in funding_sources}:
        raise DomainError(_l("Please name one of the funding sources."), "eu_funding_source")
    return {
        "eu_fund": settings.eu_fund.strip() or "ERDF", "eu_funding_source": eu_source or "EFRE",
        "specific_objective": settings.specific_objective.strip(),
        "intervention_type": settings.intervention_type.strip(),
        "title": settings.title.strip(), "programme": settings.programme.strip(),
        "measure": settings.measure.strip(), "call_text": settings.call_text.strip(),
        "eligibility_rules": "\n".join(_clean_lines(settings.eligibility_rules)),
        "legal_remedies_de": settings.legal_remedies_de.strip(),
        "legal_remedies_en": settings.legal_remedies_en.strip(),
        "sectors": list(settings.sectors), "timezone": settings.timezone,
        "submission_opens_at": opens, "submission_deadline": deadline, "review_deadline": review,
        "winners_min": settings.winners_min, "winners_max": settings.winners_max,
        "budget_cents": settings.budget_cents, "funding_sources": funding_sources,
        "contract_months": settings.contract_months, "scale_min": settings.scale_min.quantize(CENTS),
        "scale_max": settings.scale_max.quantize(CENTS), "scale_step": settings.scale_step.quantize(CENTS),
        "reviews_per_proposal": settings.reviews_per_proposal, "blind_review": settings.blind_review,
        "other_reviews_visibility": settings.other_reviews_visibility,
    }


def sectors_from_text(text: str) -> list[str]:
    """The sectors typed one per line, without blanks and duplicates."""
    return _clean_lines(text)


def create_competition(settings: CompetitionSettings, actor, *, with_default_criteria: bool = True) -> Competition:
    """Create a draft competition, optionally with the default criteria."""
    values = _checked_values(settings)
    competition = Competition(phase="draft", created_by_id=actor.id, **values)
    db.session.add(competition)
    db.session.flush()
    record_event("competition.created", competition, after=competition.audit_view(), actor=actor)
    if with_default_criteria:
        for data in default_criteria():
            add_criterion(competition, CriterionData(**data), actor)
    return competition


# Higher packages name the open drafts of a competition (the proposals package), as display names.
_open_drafts: list[Callable[[Competition], list[str]]] = []


def register_open_drafts(lister: Callable[[Competition], list[str]]) -> None:
    """Add a function naming a competition's open drafts (asked before the deadline moves into the past)."""
    if lister not in _open_drafts:
        _open_drafts.append(lister)


def drafts_cut_off(competition: Competition, new_deadline: datetime | None, now: datetime | None = None) -> list[str]:
    """The open drafts a new submission deadline would shut out: it lies in the past, the current one does not."""
    now = now or utcnow()
    if new_deadline is None or new_deadline > now or new_deadline == competition.submission_deadline:
        return []
    if competition.submission_deadline is not None and competition.submission_deadline <= now:
        return []  # the drafts are shut out already
    return [name for lister in _open_drafts for name in lister(competition)]


def drafts_cut_off_by(competition: Competition, settings: CompetitionSettings) -> list[str]:
    """drafts_cut_off for the deadline typed into the form (empty when the settings are invalid anyway)."""
    try:
        deadline = rules.local_to_utc(settings.submission_deadline_local, settings.timezone, "submission_deadline")
    except DomainError:
        return []
    return drafts_cut_off(competition, deadline)


def update_competition(competition: Competition, settings: CompetitionSettings, actor, *,
                       drafts_confirmed: bool = False) -> None:
    """Change a competition's settings; the scale is fixed once scoring has started.

    A deadline moved into the past while drafts are open needs drafts_confirmed: those drafts can then no
    longer be submitted.
    """
    values = _checked_values(settings)
    cut_off = drafts_cut_off(competition, values["submission_deadline"])
    if cut_off and not drafts_confirmed:
        raise DomainError(ngettext(
            "The new submission deadline lies in the past: %(num)s open draft could then no longer be submitted. "
            "Please confirm this, or choose a later deadline.",
            "The new submission deadline lies in the past: %(num)s open drafts could then no longer be submitted. "
            "Please confirm this, or choose a later deadline.", len(cut_off)), "confirm_deadline")
    scale_changes = (values["scale_min"], values["scale_max"], values["scale_step"]) != (
        competition.scale_min, competition.scale_max, competition.scale_step)
    if scale_changes and competition.criteria_locked():
        raise DomainError(_l("The score scale cannot change once scoring has started."), "scale_min")
    if scale_changes:
        for criterion in competition.criteria:
            if not values["scale_min"] <= criterion.threshold <= values["scale_max"]:
                raise DomainError(_l("The threshold of the criterion %(name)s lies outside the new scale. "
                                     "Please change the criterion first.", name=criterion.name_de), "scale_max")
    before = competition.audit_view()
    for name, value in values.items():
        setattr(competition, name, value)
    competition.updated_at = utcnow()
    db.session.flush()
    after = competition.audit_view()
    if after != before:
        record_event("competition.updated", competition, before=before, after=after, actor=actor)


def change_phase(competition: Competition, target_phase: str, actor) -> None:
    """Move the competition on to target_phase after checking every registered precondition."""
    if target_phase not in PHASES:
        raise DomainError(_l("The competition can only move on to the next phase."))
    advance_phase(competition, target_phase, actor)
    db.session.flush()


def _ensure_criteria_editable(competition: Competition) -> None:
    if competition.criteria_locked():
        raise DomainError(_l("The criteria cannot be changed any more because scoring has started "
                             "(phase: review or later)."))


def _check_criterion(competition: Competition, data: CriterionData, criterion: Criterion | None = None) -> None:
    if not data.name_de.strip():
        raise DomainError(_l("Please enter the German name."), "name_de")
    if not data.name_en.strip():
        raise DomainError(_l("Please enter the English name."), "name_en")
    taken = [other.priority for other in competition.criteria if other is not criterion]
    rules.check_criterion_values(weight=data.weight, threshold=data.threshold, priority=data.priority,
                                 scale_min=competition.scale_min, scale_max=competition.scale_max,
                                 taken_priorities=taken)


def _apply_criterion(criterion: Criterion, data: CriterionData) -> None:
    criterion.name_de = data.name_de.strip()
    criterion.name_en = data.name_en.strip()
    criterion.rubric_de = data.rubric_de.strip()
    criterion.rubric_en = data.rubric_en.strip()
    # Stored with the columns' scale, so audit before/after compare like with like.
    criterion.weight = data.weight.quantize(Decimal("0.001"))
    criterion.threshold = data.threshold.quantize(CENTS)
    criterion.priority = data.priority


def add_criterion(competition: Competition, data: CriterionData, actor) -> Criterion:
    """Add a criterion, unless scoring has started."""
    _ensure_criteria_editable(competition)
    _check_criterion(competition, data)
    criterion = Criterion(competition=competition)
    _apply_criterion(criterion, data)
    db.session.add(criterion)
    db.session.flush()
    record_event("criterion.created", criterion, after=criterion.audit_view(), actor=actor)
    return criterion


def update_criterion(criterion: Criterion, data: CriterionData, actor) -> None:
    """Change a criterion, unless scoring has started."""
    competition = criterion.competition
    _ensure_criteria_editable(competition)
    _check_criterion(competition, data, criterion)
    before = criterion.audit_view()
    _apply_criterion(criterion, data)
    db.session.flush()
    record_event("criterion.updated", criterion, before=before, after=criterion.audit_view(), actor=actor)


def delete_criterion(criterion: Criterion, actor) -> None:
    """Remove a criterion, unless scoring has started."""
    competition = criterion.competition
    _ensure_criteria_editable(competition)
    record_event("criterion.deleted", criterion, before=criterion.audit_view(), actor=actor)
    competition.criteria.remove(criterion)
    db.session.delete(criterion)
    db.session.flush()


def next_free_priority(competition: Competition) -> int:
    """The priority a new criterion gets by default: one after the last."""
    return max((c.priority for c in competition.criteria), default=0) + 1


def public_calls() -> tuple[list[Competition], list[Competition]]:
    """Published calls: (open ones, nearest deadline first; past ones, latest first)."""
    query = select(Competition).where(Competition.phase != "draft").order_by(
        Competition.submission_deadline.desc(), Competition.id.desc())
    calls = list(db.session.scalars(query))
    current = [c for c in reversed(calls) if c.phase == "open"]
    past = [c for c in calls if c.phase != "open"]
    return current, past


def open_calls(limit: int = 3) -> list[Competition]:
    """Calls that accept proposals now, nearest deadline first (one query, for the home page)."""
    now = utcnow()
    query = (select(Competition)
             .where(Competition.phase == "open", Competition.submission_deadline > now,
                    or_(Competition.submission_opens_at.is_(None), Competition.submission_opens_at <= now))
             .order_by(Competition.submission_deadline).limit(limit))
    return list(db.session.scalars(query))
