"""Rules for a competition's settings and criteria, checked on plain values.

Nothing here touches the database: the services call these checks before they change a
row, so a refused value leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core.errors import DomainError
from app.core.formatting import Quantity
from app.core.i18n import lazy_gettext as _l

HUNDRED = Decimal("100")
# Numeric(4, 2) columns hold at most 99.99.
SCALE_LIMIT = Decimal("99.99")
WEIGHT_LIMIT = Decimal("999.999")


def zone_or_error(zone_name: str, field: str = "timezone") -> ZoneInfo:
    """The ZoneInfo for a name, or a DomainError when the name is unknown."""
    try:
        return ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(_l("Unknown time zone."), field) from exc


def local_to_utc(local: datetime | None, zone_name: str, field: str | None = None) -> datetime | None:
    """Read a wall-clock time typed in the competition's zone and return it in UTC.

    A time skipped when the clocks go forward (e.g. 02:30 on the last Sunday of March in
    Berlin) does not exist and is refused; a time that occurs twice when the clocks go back
    means its first occurrence (summer time).
    """
    if local is None:
        return None
    if local.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    zone = zone_or_error(zone_name)
    utc = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local:
        raise DomainError(_l("This time does not exist in the time zone %(zone)s because the clocks "
                             "are put forward then. Please choose another time.", zone=zone_name), field)
    return utc


def utc_to_local(value: datetime | None, zone_name: str) -> datetime | None:
    """The wall-clock time in the competition's zone (naive), for pre-filling a form."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def check_deadline_order(opens: datetime | None, deadline: datetime | None, review: datetime | None) -> None:
    """Submission opens before the deadline, and the review deadline comes after it."""
    if opens is not None and deadline is not None and opens >= deadline:
        raise DomainError(_l("Submissions must open before the submission deadline."), "submission_opens_at")
    if review is not None and deadline is not None and review <= deadline:
        raise DomainError(_l("The review deadline must come after the submission deadline."), "review_deadline")


def _share(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("0")


def funding_share_total(sources: Iterable[dict[str, Any]]) -> Decimal:
    """The sum of the shares (in percent) of stored funding sources."""
    return sum((_share(source.get("share")) for source in sources), Decimal("0"))


def _plain(value: Decimal) -> str:
    """75.00 -> "75", 24.50 -> "24.5" (never "1E+2")."""
    return format(value.normalize(), "f")


def clean_funding_sources(rows: Sequence[tuple[str | None, Decimal | None]]) -> list[dict[str, str]]:
    """Turn the form's (name, share) rows into stored sources; shares must sum to exactly 100 %.

    Empty rows are ignored; no source at all is allowed while the call is a draft (opening
    the call requires the shares to sum to 100 %).
    """
    sources: list[dict[str, str]] = []
    seen: set[str] = set()
    for raw_name, share in rows:
        name = (raw_name or "").strip()
        if not name and share is None:
            continue
        if not name:
            raise DomainError(_l("Please name every funding source that has a share."), "funding_sources")
        if share is None:
            raise DomainError(_l("Please give the share of %(name)s.", name=name), "funding_sources")
        if share <= 0 or share > HUNDRED:
            raise DomainError(_l("The share of %(name)s must be more than 0 %% and at most 100 %%.", name=name),
                              "funding_sources")
        if share != share.quantize(Decimal("0.01")):
            raise DomainError(_l("Shares may have at most two decimals."), "funding_sources")
        if name.casefold() in seen:
            raise DomainError(_l("The funding source %(name)s is listed twice.", name=name), "funding_sources")
        seen.add(name.casefold())
        sources.append({"name": name, "share": _plain(share)})
    total = funding_share_total(sources)
    if sources and total != HUNDRED:
        raise DomainError(_l("The funding shares must add up to exactly 100 %% (now: %(total)s %%).",
                             total=Quantity(total)), "funding_sources")
    return sources


def check_scale(scale_min: Decimal, scale_max: Decimal, scale_step: Decimal) -> None:
    """A score scale runs from min to max in whole steps, e.g. 0–5 in steps of 0.5."""
    if scale_min < 0:
        raise DomainError(_l("The lowest score must not be negative."), "scale_min")
    if scale_max <= scale_min:
        raise DomainError(_l("The highest score must be greater than the lowest."), "scale_max")
    if scale_max > SCALE_LIMIT:
        raise DomainError(_l("The highest score must be below 100."), "scale_max")
    if scale_step <= 0:
        raise DomainError(_l("The step must be greater than 0."), "scale_step")
    for value, field in ((scale_min, "scale_min"), (scale_max, "scale_max"), (scale_step, "scale_step")):
        if value != value.quantize(Decimal("0.01")):
            raise DomainError(_l("Please use at most two decimals."), field)
    if (scale_max - scale_min) % scale_step != 0:
        raise DomainError(_l("The range from lowest to highest score must be a whole number of steps."),
                          "scale_step")


def check_positive_counts(*, winners_min: int, winners_max: int, reviews_per_proposal: int,
                          contract_months: int, budget_cents: int) -> None:
    """Counts that the schema also guards, refused here with a message users understand."""
    if winners_min < 1:
        raise DomainError(_l("At least one winner is needed."), "winners_min")
    if winners_max < winners_min:
        raise DomainError(_l("The largest number of winners must not be below the smallest."), "winners_max")
    if reviews_per_proposal < 1:
        raise DomainError(_l("Each proposal needs at least one review."), "reviews_per_proposal")
    if contract_months < 1:
        raise DomainError(_l("The contract must last at least one month."), "contract_months")
    if budget_cents < 0:
        raise DomainError(_l("The value must not be negative."), "budget")


def check_criterion_values(*, weight: Decimal, threshold: Decimal, priority: int,
                           scale_min: Decimal, scale_max: Decimal, taken_priorities: Iterable[int]) -> None:
    """Weight above 0, threshold on the scale, priority unique within the competition."""
    if weight <= 0:
        raise DomainError(_l("The weight must be greater than 0."), "weight")
    if weight > WEIGHT_LIMIT or weight != weight.quantize(Decimal("0.001")):
        raise DomainError(_l("The weight must be below 1,000 with at most three decimals."), "weight")
    if not scale_min <= threshold <= scale_max:
        raise DomainError(_l("The threshold must lie within the scale (%(low)s to %(high)s).",
                             low=Quantity(scale_min), high=Quantity(scale_max)), "threshold")
    if threshold != threshold.quantize(Decimal("0.01")):
        raise DomainError(_l("Please use at most two decimals."), "threshold")
    if priority < 1:
        raise DomainError(_l("The priority must be 1 or more."), "priority")
    if priority in set(taken_priorities):
        raise DomainError(_l("Another criterion already has priority %(priority)s. Each priority is used once, "
                             "so that ties can be broken.", priority=priority), "priority")
