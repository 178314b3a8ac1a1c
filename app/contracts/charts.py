"""Geometry of the contract page's charts, computed on plain data (no Flask, no database).

The templates draw these as server-rendered SVG (role="img" with <title> and <desc>) and
show the same figures in a data table next to each chart, so nothing depends on seeing
the picture or on JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# Colours for funding sources and states; each has at least 3:1 contrast on white (WCAG 1.4.11).
PALETTE = ("#0a58ca", "#b35900", "#198754", "#6f42c1", "#a61e4d", "#495057")
LABEL_WIDTH = 230
CHART_WIDTH = 760
RIGHT_PAD = 24
ROW_HEIGHT = 30
AXIS_HEIGHT = 34
TICK_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120)


def colour(index: int) -> str:
    """The palette colour for the n-th series."""
    return PALETTE[index % len(PALETTE)]


# --- timeline: plan vs actual -------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """A planned date and, once done, the actual date of an approval step or milestone."""

    label: str
    kind: str  # "step" | "milestone"
    planned: date | None
    actual: date | None


@dataclass(frozen=True)
class TimelineRow:
    """One drawn row of the timeline."""

    item: TimelineItem
    y: float
    planned_x: float | None
    actual_x: float | None
    late: bool


@dataclass(frozen=True)
class Tick:
    """An axis tick at x for a date."""

    x: float
    day: date


@dataclass
class TimelineChart:
    """The timeline's drawing: rows, month/quarter ticks, the contract period and today."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    rows: list[TimelineRow] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    period: tuple[float, float] | None = None
    today_x: float | None = None


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def timeline_chart(items: Sequence[TimelineItem], start: date, end: date, today: date) -> TimelineChart:
    """Lay out planned (hollow) and actual (filled) dates of each item on one time axis."""
    dates = [d for item in items for d in (item.planned, item.actual) if d is not None] + [start, end]
    first = date(min(dates).year, min(dates).month, 1)
    last_day = max(dates)
    last = date(last_day.year + (last_day.month // 12), last_day.month % 12 + 1, 1)
    span = max((last - first).days, 1)
    left, right = LABEL_WIDTH, CHART_WIDTH - RIGHT_PAD

    def x_of(day: date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    chart = TimelineChart(width=CHART_WIDTH, height=AXIS_HEIGHT + ROW_HEIGHT * max(len(items), 1) + 10,
                          plot_left=left, plot_right=right)
    months = _months_between(first, last)
    # At most about ten labelled ticks, whatever the span (a contract of 2002 viewed today spans decades).
    step = next((s for s in TICK_STEPS if months / s <= 10), TICK_STEPS[-1])
    for offset in range(0, months + 1, step):
        month_index = first.month - 1 + offset
        day = date(first.year + month_index // 12, month_index % 12 + 1, 1)
        chart.ticks.append(Tick(x=x_of(day), day=day))
    chart.period = (x_of(start), x_of(end))
    chart.today_x = x_of(today) if first <= today <= last else None
    for index, item in enumerate(items):
        done_late = item.actual is not None and item.planned is not None and item.actual > item.planned
        still_open_late = item.actual is None and item.planned is not None and today > item.planned
        late = done_late or still_open_late
        chart.rows.append(TimelineRow(item=item, y=AXIS_HEIGHT + ROW_HEIGHT * index + ROW_HEIGHT / 2,
                                      planned_x=x_of(item.planned) if item.planned else None,
                                      actual_x=x_of(item.actual) if item.actual else None, late=late))
    return chart


# --- KPI attainment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiItem:
    """A milestone's KPI: baseline, target, accepted value (if any), minimum level, rule."""

    label: str
    unit: str
    baseline: Decimal
    target: Decimal
    achieved: Decimal | None
    minimum_level: Decimal
    rule: str


@dataclass(frozen=True)
class KpiBar:
    """One bar: attainment in percent of the way from baseline to target."""

    item: KpiItem
    y: float
    attainment_percent: Decimal | None
    bar_width: float
    threshold_x: float | None
    met: bool


@dataclass
class KpiChart:
    """Target vs achieved as attainment bars on a common percent scale."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    max_percent: int
    target_x: float
    bars: list[KpiBar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)


def kpi_chart(items: Sequence[KpiItem]) -> KpiChart:
    """Attainment r = (x − b) / (t − b) of each KPI as a bar; 100 % is the target line."""
    attainments: list[Decimal | None] = []
    for item in items:
        if item.achieved is None:
            attainments.append(None)
        else:
            r = (item.achieved - item.baseline) / (item.target - item.baseline)
            attainments.append((r * 100).quantize(Decimal("0.1")))
    highest = max([a for a in attainments if a is not None] + [Decimal(100)])
    max_percent = int(min(max(highest, Decimal(100)), Decimal(200)) // 25 * 25 + 25)
    left, right = LABEL_WIDTH, CHART_WIDTH - RIGHT_PAD

    def x_of(percent: Decimal | int) -> float:
        clipped = min(max(Decimal(percent), Decimal(0)), Decimal(max_percent))
        return round(left + (right - left) * float(clipped) / max_percent, 1)

    chart = KpiChart(width=CHART_WIDTH, height=AXIS_HEIGHT + ROW_HEIGHT * max(len(items), 1) + 10, plot_left=left,
                     plot_right=right, max_percent=max_percent, target_x=x_of(100))
    chart.ticks = [(x_of(p), p) for p in range(0, max_percent + 1, 25 if max_percent <= 150 else 50)]
    for index, (item, percent) in enumerate(zip(items, attainments, strict=True)):
        threshold = None if item.rule == "binary" else x_of(item.minimum_level * 100)
        needed = Decimal(100) if item.rule == "binary" else item.minimum_level * 100
        chart.bars.append(KpiBar(item=item, y=AXIS_HEIGHT + ROW_HEIGHT * index + 6, attainment_percent=percent,
                                 bar_width=(x_of(percent) - left) if percent is not None else 0,
                                 threshold_x=threshold, met=percent is not None and percent >= needed))
    return chart


# --- payments by source over time ---------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A funding source's cumulative amount in one bar."""

    source: str
    colour: str
    y: float
    height: float
    cents: int


@dataclass(frozen=True)
class PaymentBar:
    """The cumulative payments after one release date."""

    day: date
    x: float
    width: float
    total_cents: int
    segments: list[Segment]


@dataclass
class PaymentsChart:
    """Cumulative payments by source, stacked, against the contract amount."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    amount_y: float
    sources: list[tuple[str, str]] = field(default_factory=list)
    bars: list[PaymentBar] = field(default_factory=list)
    gridlines: list[tuple[float, int]] = field(default_factory=list)


def payments_chart(payments: Sequence[tuple[date, dict[str, int]]], sources: Sequence[str],
                   amount_cents: int) -> PaymentsChart:
    """Stack the cumulative paid amount of each source after each release day."""
    top, bottom, left, right = 16, 236, 110, CHART_WIDTH - RIGHT_PAD
    by_day: dict[date, dict[str, int]] = {}
    for day, parts in sorted(payments, key=lambda p: p[0]):
        bucket = by_day.setdefault(day, {})
        for source, cents in parts.items():
            bucket[source] = bucket.get(source, 0) + cents
    all_sources = list(sources) + sorted({s for parts in by_day.values() for s in parts} - set(sources))
    ceiling = max(amount_cents, 1)

    def y_of(cents: int) -> float:
        return round(bottom - (bottom - top) * cents / ceiling, 1)

    chart = PaymentsChart(width=CHART_WIDTH, height=bottom + 30, plot_top=top, plot_bottom=bottom, plot_left=left,
                          amount_y=y_of(amount_cents),
                          sources=[(s, colour(i)) for i, s in enumerate(all_sources)])
    chart.gridlines = [(y_of(ceiling * q // 4), ceiling * q // 4) for q in range(5)]
    slot = (right - left) / max(len(by_day), 1)
    width = min(slot * 0.6, 80)
    running = dict.fromkeys(all_sources, 0)
    for index, (day, parts) in enumerate(by_day.items()):
        for source, cents in parts.items():
            running[source] += cents
        segments, base = [], 0
        for source_index, source in enumerate(all_sources):
            cents = running[source]
            if cents:
                segments.append(Segment(source=source, colour=colour(source_index), y=y_of(base + cents),
                                        height=round(y_of(base) - y_of(base + cents), 1), cents=cents))
            base += cents
        chart.bars.append(PaymentBar(day=day, x=round(left + slot * index + (slot - width) / 2, 1),
                                     width=round(width, 1), total_cents=base, segments=segments))
    return chart
