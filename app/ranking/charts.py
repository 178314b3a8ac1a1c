"""Geometry of the ranking pictures, drawn as server-side SVG by the _chart_*.html templates.

Plain functions from numbers to positions (no Flask, no database), so the pictures are
deterministic and testable. Text (names, formatted numbers) is added by the templates,
each of which also gives the picture a title, a description and a data table or text
alternative next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 230
RIGHT_MARGIN = 24
TOP = 28
ROW_HEIGHT = 24
BOTTOM = 34


@dataclass(frozen=True)
class Tick:
    """An axis tick at x (or y) with the value it stands for."""

    pos: float
    value: float


def _scale(lo: float, hi: float, left: float, right: float):
    """A linear map from [lo, hi] to [left, right]."""
    span = (hi - lo) or 1.0
    return lambda v: left + (v - lo) / span * (right - left)


def _nice_step(span: float, target: int = 6) -> float:
    """A 1/2/5 x 10^n tick step giving about `target` ticks."""
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


# -------------------------------------------------------------- rank intervals


@dataclass(frozen=True)
class IntervalMark:
    """One proposal's 90 % rank interval and its rank."""

    y: float
    x_low: float
    x_high: float
    x_rank: float
    rank: int
    rank_label: str
    title: str
    low: int
    high: int


@dataclass(frozen=True)
class IntervalChart:
    """Rank intervals of the first proposals, with the line after rank K."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    marks: tuple[IntervalMark, ...]
    ticks: tuple[Tick, ...]
    k: int
    k_x: float | None
    shown: int
    total: int


def rank_interval_chart(rows: Sequence, total: int, k: int, limit: int = 30) -> IntervalChart | None:
    """Positions for the rank intervals of the first `limit` rows (None without intervals)."""
    shown = [r for r in rows[:limit] if r.rank_low is not None]
    if not shown:
        return None
    highest = max(max(r.rank_high for r in shown), max(r.rank for r in shown), min(k + 1, total), 2)
    left, right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    x = _scale(1, highest, left, right)
    marks = tuple(
        IntervalMark(TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2, x(r.rank_low), x(r.rank_high), x(r.rank), r.rank,
                     r.rank_label, r.title, r.rank_low, r.rank_high)
        for i, r in enumerate(shown)
    )
    step = max(1, int(_nice_step(highest - 1)))
    ticks = tuple(Tick(x(v), v) for v in sorted({1, *range(step, highest + 1, step)}))
    bottom = TOP + len(shown) * ROW_HEIGHT
    k_x = x(k + 0.5) if 0 < k < highest else None
    return IntervalChart(WIDTH, int(bottom + BOTTOM), left, right, TOP, bottom, marks, ticks, k, k_x, len(shown),
                         total)


# -------------------------------------------------------------------- leniency


@dataclass(frozen=True)
class Bar:
    """A horizontal bar from x to x + width on row y, with its value and label."""

    y: float
    x: float
    width: float
    value: float
    label: str
    negative: bool


@dataclass(frozen=True)
class LeniencyChart:
    """Weighted juror leniency as bars left (strict) or right (lenient) of zero."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    zero_x: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    bar_height: float


def leniency_chart(items: Sequence[tuple[str, float]]) -> LeniencyChart | None:
    """Bars for (juror label, weighted leniency) pairs (None when there are none)."""
    if not items:
        return None
    extent = max(max(abs(v) for _, v in items), 0.1)
    step = _nice_step(2 * extent, 6)
    extent = math.ceil(extent / step) * step
    left, right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    x = _scale(-extent, extent, left, right)
    zero = x(0.0)
    bars = tuple(
        Bar(TOP + i * ROW_HEIGHT + 4, min(zero, x(v)), abs(x(v) - zero), v, label, v < 0)
        for i, (label, v) in enumerate(items)
    )
    count = round(2 * extent / step)
    ticks = tuple(Tick(x(-extent + i * step), round(-extent + i * step, 10)) for i in range(count + 1))
    bottom = TOP + len(items) * ROW_HEIGHT
    return LeniencyChart(WIDTH, int(bottom + BOTTOM), left, right, TOP, bottom, zero, bars, ticks, ROW_HEIGHT - 8)


# ------------------------------------------------------- one proposal's scores


@dataclass(frozen=True)
class Dot:
    """One juror's score on a criterion."""

    x: float
    y: float
    value: float


@dataclass(frozen=True)
class ScoreRow:
    """A criterion's row: individual scores, the aggregated score and the threshold."""

    label: str
    y: float
    dots: tuple[Dot, ...]
    aggregate_x: float | None
    aggregate: float | None
    threshold_x: float
    threshold: float


@dataclass(frozen=True)
class ScoreChart:
    """A proposal's score distribution per criterion on the competition's scale."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    rows: tuple[ScoreRow, ...]
    ticks: tuple[Tick, ...]
    row_height: float


SCORE_ROW_HEIGHT = 44


def score_chart(criteria: Sequence[tuple[str, Sequence[float], float | None, float]], scale_min: float,
                scale_max: float) -> ScoreChart | None:
    """Rows for (criterion label, individual scores, aggregated score, threshold)."""
    if not criteria:
        return None
    left, right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    x = _scale(scale_min, scale_max, left, right)
    rows = []
    for i, (label, values, agg, threshold) in enumerate(criteria):
        middle = TOP + i * SCORE_ROW_HEIGHT + SCORE_ROW_HEIGHT / 2
        seen: dict[float, int] = {}
        dots = []
        for v in sorted(values):
            # Equal scores stack upwards so that each juror's dot stays visible.
            n = seen.get(v, 0)
            seen[v] = n + 1
            dots.append(Dot(x(v), middle - 4 - 7 * n, v))
        rows.append(ScoreRow(label, middle, tuple(dots), x(agg) if agg is not None else None, agg, x(threshold),
                             threshold))
    step = _nice_step(scale_max - scale_min, 5)
    count = round((scale_max - scale_min) / step)
    ticks = tuple(Tick(x(scale_min + i * step), round(scale_min + i * step, 10)) for i in range(count + 1))
    bottom = TOP + len(rows) * SCORE_ROW_HEIGHT
    return ScoreChart(WIDTH, int(bottom + BOTTOM), left, right, TOP, bottom, tuple(rows), ticks, SCORE_ROW_HEIGHT)


# ------------------------------------------------------------------ histograms


@dataclass(frozen=True)
class Column:
    """A vertical bar of a histogram: how often one score value was given."""

    x: float
    y: float
    width: float
    height: float
    value: float
    count: int


@dataclass(frozen=True)
class Histogram:
    """How often each value of the scale was given on one criterion."""

    width: int
    height: int
    left: float
    right: float
    top: float
    baseline: float
    columns: tuple[Column, ...]
    y_ticks: tuple[Tick, ...]


HIST_WIDTH = 360
HIST_HEIGHT = 200


def histogram(counts: dict[float, int], scale_min: float, scale_max: float, step: float) -> Histogram:
    """Columns for every value of the scale (zero counts included, so gaps are visible)."""
    grid = {round(scale_min + i * step, 10) for i in range(round((scale_max - scale_min) / step) + 1)}
    # Values off the grid (a scale changed after scoring) still get their own column.
    values = sorted(grid | set(counts))
    left, right, top, baseline = 40.0, HIST_WIDTH - 10.0, 12.0, HIST_HEIGHT - 30.0
    slot = (right - left) / max(len(values), 1)
    highest = max(max(counts.values(), default=0), 1)
    y_step = max(1, int(_nice_step(highest, 4)))
    y_max = math.ceil(highest / y_step) * y_step
    y = _scale(0, y_max, baseline, top)
    columns = tuple(
        Column(left + i * slot + slot * 0.15, y(counts.get(v, 0)), slot * 0.7, baseline - y(counts.get(v, 0)), v,
               counts.get(v, 0))
        for i, v in enumerate(values)
    )
    ticks = tuple(Tick(y(v), v) for v in range(0, y_max + 1, y_step))
    return Histogram(HIST_WIDTH, HIST_HEIGHT, left, right, top, baseline, columns, ticks)
