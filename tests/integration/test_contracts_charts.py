"""The chart geometry (pure functions) behind the contract page's SVG charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.contracts.charts import KpiItem, TimelineItem, kpi_chart, payments_chart, timeline_chart


def test_timeline_marks_late_and_open_items_and_keeps_ticks_readable():
    items = [TimelineItem("Projektentscheidung", "step", date(2002, 11, 8), date(2002, 11, 15)),
             TimelineItem("Beschluss Ausschuss", "step", date(2002, 7, 4), date(2002, 7, 4)),
             TimelineItem("Mitglieder", "milestone", date(2003, 11, 1), None),
             TimelineItem("Portal", "milestone", date(2004, 9, 1), None)]
    chart = timeline_chart(items, date(2002, 6, 1), date(2004, 6, 1), today=date(2004, 1, 10))
    assert [row.late for row in chart.rows] == [True, False, True, False]
    assert chart.rows[0].actual_x > chart.rows[0].planned_x
    assert chart.rows[2].actual_x is None
    assert chart.period[0] < chart.period[1] and chart.today_x is not None
    long = timeline_chart(items, date(2002, 6, 1), date(2004, 6, 1), today=date(2026, 11, 1))
    assert len(long.ticks) <= 11 and long.today_x is None  # today outside the drawn span is not drawn
    assert all(chart.plot_left <= row.planned_x <= chart.plot_right for row in chart.rows)


def test_kpi_bars_show_attainment_for_rising_and_falling_targets():
    chart = kpi_chart([
        KpiItem("Mitglieder", "Unternehmen", Decimal(5), Decimal(25), Decimal(20), Decimal("0.5"), "pro_rata"),
        KpiItem("Leerstand", "%", Decimal(100), Decimal(50), Decimal(90), Decimal("0.5"), "pro_rata"),
        KpiItem("Portal", "Portal", Decimal(0), Decimal(1), None, Decimal("0.5"), "binary"),
    ])
    first, falling, missing = chart.bars
    assert first.attainment_percent == Decimal("75.0") and first.met
    assert falling.attainment_percent == Decimal("20.0") and not falling.met
    assert missing.attainment_percent is None and missing.threshold_x is None
    assert abs(first.bar_width - 3.75 * falling.bar_width) < 1
    assert chart.target_x > chart.plot_left + first.bar_width


def test_payments_are_stacked_cumulatively_by_source():
    chart = payments_chart([(date(2003, 1, 10), {"EFRE": 3_000_000, "Stadt": 1_000_000}),
                            (date(2003, 12, 1), {"EFRE": 3_375_000, "Stadt": 1_125_000})],
                           ["EFRE", "Stadt"], 24_000_000)
    assert [bar.total_cents for bar in chart.bars] == [4_000_000, 8_500_000]
    assert [(s.source, s.cents) for s in chart.bars[1].segments] == [("EFRE", 6_375_000), ("Stadt", 2_125_000)]
    assert chart.bars[1].segments[1].y < chart.bars[1].segments[0].y  # city stacked on top of ERDF
    assert chart.amount_y == chart.plot_top
