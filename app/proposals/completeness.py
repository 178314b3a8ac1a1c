"""What a proposal needs before it can be submitted: a pure rule set over its fields.

The rules take any object shaped like a Proposal (attributes, and lists of partners,
measures and KPIs), so they are tested on plain data. Each gap is reported with the
form section and the id of the field to jump to (the ids the section forms render,
e.g. "partners-1-organisation").
"""

from __future__ import annotations

from typing import Any, NamedTuple

from app.core.i18n import lazy_gettext as _l

# The form sections in the order the applicant fills them.
SECTIONS: tuple[str, ...] = ("basics", "lead", "partners", "concept", "measures", "kpis", "finances", "attachments")

SECTION_LABELS = {
    "basics": _l("Network"),
    "lead": _l("Lead organisation"),
    "partners": _l("Partner companies"),
    "concept": _l("Cluster potential and objectives"),
    "measures": _l("Catalogue of measures"),
    "kpis": _l("KPIs"),
    "finances": _l("Duration and funding"),
    "attachments": _l("Attachments"),
}


class Gap(NamedTuple):
    """One missing part: the section, the field anchor to link to, and what is missing."""

    section: str
    anchor: str
    message: Any  # a lazily translated string


def _blank(value: Any) -> bool:
    """Empty text, whitespace or None count as missing; 0 is a value."""
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


def _required_fields(proposal, section: str, rules: tuple[tuple[str, Any], ...]) -> list[Gap]:
    return [Gap(section, name, message) for name, message in rules if _blank(getattr(proposal, name, None))]


def _rows(section: str, rows: list, rules: tuple[tuple[str, Any], ...], none_message) -> list[Gap]:
    """At least one row, and the required fields of every row."""
    if not rows:
        return [Gap(section, f"{section}-0-{rules[0][0]}", none_message)]
    gaps = []
    for index, row in enumerate(rows):
        for name, message in rules:
            if _blank(getattr(row, name, None)):
                gaps.append(Gap(section, f"{section}-{index}-{name}", message(index + 1)))
    return gaps


# Row messages take the row number (1-based) as the applicant counts.
_PARTNER_RULES = (
    ("organisation", lambda n: _l("Partner %(number)s: organisation missing", number=n)),
    ("town", lambda n: _l("Partner %(number)s: town missing", number=n)),
)
_MEASURE_RULES = (
    ("title", lambda n: _l("Measure %(number)s: title missing", number=n)),
    ("cost", lambda n: _l("Measure %(number)s: cost missing", number=n)),
)
_KPI_RULES = (
    ("indicator", lambda n: _l("KPI %(number)s: indicator missing", number=n)),
    ("unit", lambda n: _l("KPI %(number)s: unit missing", number=n)),
    ("baseline", lambda n: _l("KPI %(number)s: baseline missing", number=n)),
    ("target", lambda n: _l("KPI %(number)s: target missing", number=n)),
)


class _MeasureView:
    """Measures store cost in cents; the form field (and anchor) is called "cost"."""

    def __init__(self, measure):
        self.title = getattr(measure, "title", "")
        self.cost = getattr(measure, "cost_cents", None)


def missing_parts(proposal) -> list[Gap]:
    """Everything that keeps the proposal from being submitted, in form order; empty when complete."""
    gaps: list[Gap] = []
    gaps += _required_fields(proposal, "basics", (
        ("network_name", _l("Name of the network missing")),
        ("sector", _l("Sector missing")),
        ("initiative_kind", _l("Kind of initiative missing")),
    ))
    gaps += _required_fields(proposal, "lead", (
        ("lead_name", _l("Name of the lead organisation missing")),
        ("lead_town", _l("Town of the lead organisation missing")),
        ("lead_contact_name", _l("Contact person of the lead organisation missing")),
        ("lead_contact_email", _l("Email address of the contact person missing")),
    ))
    gaps += _rows("partners", list(proposal.partners), _PARTNER_RULES,
                  _l("At least one partner company with organisation and town is required"))
    gaps += _required_fields(proposal, "concept", (
        ("cluster_analysis", _l("Analysis of the cluster potential missing")),
        ("objectives", _l("Objectives missing")),
    ))
    gaps += _rows("measures", [_MeasureView(m) for m in proposal.measures], _MEASURE_RULES,
                  _l("At least one measure with title and cost is required"))
    gaps += _rows("kpis", list(proposal.kpis), _KPI_RULES,
                  _l("At least one KPI with indicator, unit, baseline and target is required"))
    gaps += _required_fields(proposal, "finances", (
        ("duration_months", _l("Duration missing")),
    ))
    if getattr(proposal, "requested_funding_cents", None) is None:
        gaps.append(Gap("finances", "requested_funding", _l("Requested funding missing")))
    return gaps


def complete_sections(gaps: list[Gap]) -> dict[str, bool]:
    """For the section navigation: True for every section without a gap."""
    incomplete = {gap.section for gap in gaps}
    return {section: section not in incomplete for section in SECTIONS}
