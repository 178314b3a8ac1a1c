"""Pure helpers of the ranking pages: sorting and paging, chart geometry."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from werkzeug.datastructures import MultiDict

from app.ranking import charts
from app.ranking.aggregate import Method
from app.ranking.forms import ListPage, sort_rows, table_options


@dataclass
class Row:
    rank: int
    title: str
    total: float
    p_top_k: float | None = None
    sector: str = ""
    requested_cents: int = 0
    reviews: int = 3
    spread: float = 0.0
    rank_low: int | None = None
    rank_high: int | None = None
    scores: dict | None = None

    @property
    def rank_label(self) -> str:
        return str(self.rank)


def test_table_options_read_the_query_and_fall_back_to_defaults():
    options = table_options(MultiDict({"method": "median", "sort": "c7", "dir": "desc", "page": "2"}), [7])
    assert (options.method, options.sort, options.direction, options.page) == (Method.MEDIAN, "c7", "desc", 2)
    fallback = table_options(MultiDict({"method": "x", "sort": "c8", "dir": "up", "page": "-1"}), [7])
    assert (fallback.method, fallback.sort, fallback.direction, fallback.page) == (Method.MEAN, "rank", "asc", 1)
    assert fallback.by_rank and fallback.aria_sort("rank") == "ascending" and fallback.aria_sort("total") is None
    assert fallback.sort_args("rank")["dir"] == "desc"  # clicking the active header toggles
    assert fallback.sort_args("total")["dir"] == "desc"  # a number column starts with the highest


def test_sort_rows_keeps_rank_order_for_equal_values_and_missing_last():
    rows = [Row(1, "b", 10.0, 0.5), Row(2, "A", 12.0, None), Row(3, "c", 10.0, 0.9)]
    by_total = sort_rows(rows, table_options(MultiDict({"sort": "total", "dir": "desc"}), []))
    assert [r.rank for r in by_total] == [2, 1, 3]
    by_title = sort_rows(rows, table_options(MultiDict({"sort": "title", "dir": "asc"}), []))
    assert [r.title for r in by_title] == ["A", "b", "c"]
    by_p = sort_rows(rows, table_options(MultiDict({"sort": "p_top_k", "dir": "asc"}), []))
    assert [r.rank for r in by_p] == [1, 3, 2]


def test_list_page_slices_and_lists_page_numbers():
    page = ListPage(list(range(950)), page=5, per_page=100)
    assert (page.pages, page.items[0], len(page.items)) == (10, 400, 100)
    assert list(page.iter_pages()) == [1, 2, 3, 4, 5, 6, 7, None, 9, 10]
    assert ListPage([], page=3).page == 1


def test_rank_interval_chart_geometry():
    rows = [Row(1, "Eins", 13, rank_low=1, rank_high=2), Row(2, "Zwei", 11, rank_low=1, rank_high=3),
            Row(3, "Drei", 9, rank_low=2, rank_high=3)]
    chart = charts.rank_interval_chart(rows, total=3, k=2)
    first, second, _ = chart.marks
    assert first.x_low == chart.left and second.x_high == chart.right  # ranks 1..3 span the plot
    assert first.x_low == first.x_rank < first.x_high and second.x_low < second.x_rank < second.x_high
    assert chart.left < chart.k_x < chart.right  # the line after rank K = 2
    assert second.y > first.y and chart.height > chart.bottom
    assert charts.rank_interval_chart([Row(1, "x", 1)], total=1, k=1) is None  # no intervals: no picture


def test_leniency_chart_puts_strict_jurors_left_of_zero():
    chart = charts.leniency_chart([("Streng", -0.5), ("Mild", 0.25)])
    strict, mild = chart.bars
    assert strict.negative and strict.x + strict.width == pytest.approx(chart.zero_x)
    assert not mild.negative and mild.x == pytest.approx(chart.zero_x)
    assert strict.width == pytest.approx(2 * mild.width)
    assert charts.leniency_chart([]) is None


def test_score_chart_stacks_equal_scores():
    chart = charts.score_chart([("Qualität", [4, 4, 5], 4.33, 3.0)], 0, 5)
    dots = chart.rows[0].dots
    assert dots[0].x == dots[1].x and dots[0].y != dots[1].y
    assert chart.rows[0].threshold_x == pytest.approx(chart.left + 0.6 * (chart.right - chart.left))
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4, 5]


def test_histogram_has_a_column_for_every_scale_value():
    chart = charts.histogram({4.0: 3, 5.0: 1}, 0, 5, 0.5)
    assert [c.value for c in chart.columns] == [i / 2 for i in range(11)]
    tall = next(c for c in chart.columns if c.value == 4.0)
    short = next(c for c in chart.columns if c.value == 5.0)
    assert tall.height == pytest.approx(3 * short.height)
    assert next(c for c in chart.columns if c.value == 0).height == 0
