"""Labels and lazily formatted values for contract pages, mails and messages."""

from __future__ import annotations

from decimal import Decimal

from app.core.formatting import format_kpi, format_money, format_ratio
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l

STATUS_LABELS = {
    "preliminary_planning": _l("preliminary planning"),
    "planning": _l("planning"),
    "implementation": _l("implementation"),
    "completed": _l("completed"),
}

RULE_LABELS = {
    "binary": _l("binary (all or nothing)"),
    "pro_rata": _l("pro rata"),
}

REPORT_STATUS_LABELS = {
    "submitted": _l("awaiting verification"),
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
}

PAYMENT_KIND_LABELS = {
    "fixed": _l("fixed tranche"),
    "milestone": _l("milestone"),
}

AMENDMENT_SUBJECT_LABELS = {
    "terms": _l("Contract terms"),
    "operators": _l("Operators"),
    "funding_shares": _l("Funding shares"),
    "milestone_added": _l("Milestone added"),
    "milestone_changed": _l("Milestone changed"),
    "amounts": _l("Amounts"),
}

# Translated labels of the calculation steps of app.contracts.payments, keyed by Step.key.
STEP_LABELS = {
    "rule": _l("Rule"),
    "baseline": _l("Baseline b"),
    "target": _l("Target t"),
    "achieved": _l("Achieved value x"),
    "attainment": _l("Attainment r"),
    "target_reached": _l("Target reached"),
    "minimum_level": _l("Minimum level θ"),
    "minimum_reached": _l("Minimum level reached"),
    "cap": _l("Cap c"),
    "factor": _l("Share of the tranche paid"),
    "tranche": _l("Tranche a"),
    "payment": _l("Payment (rounded half-up to the cent)"),
}


def percent_of(ratio: Decimal) -> Decimal:
    """A ratio such as 0.5 as percent (50)."""
    return (ratio * 100).normalize()


def step_value(step) -> str:
    """A calculation step's value for display in the UI language."""
    if step.kind == "money_cents":
        return format_money(step.value)
    if step.kind == "bool":
        return _("yes") if step.value else _("no")
    if step.kind == "ratio":
        return format_ratio(Decimal(step.value))
    if step.kind == "number":
        return format_kpi(Decimal(step.value))
    if step.key == "rule":
        return str(RULE_LABELS.get(step.value, step.value))
    return str(step.value)
