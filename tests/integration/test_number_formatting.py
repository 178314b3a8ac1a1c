"""Money, numbers, percentages and dates as German and English users read them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.core.formatting import (
    Money,
    Percent,
    Quantity,
    format_date_local,
    format_datetime_local,
    format_exact,
    format_kpi,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    format_time_local,
)
from app.core.i18n import lazy_gettext


@pytest.mark.parametrize("locale,expected", [
    ("de", ["1.234,56\xa0€", "-45.000,00\xa0€", "0,05\xa0€", "–"]),
    ("en", ["€1,234.56", "-€45,000.00", "€0.05", "–"]),
])
def test_money(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert [format_money(c) for c in (123456, -4_500_000, 5, None)] == expected


@pytest.mark.parametrize("locale,expected", [
    ("de", ["4,33", "1.234,5", "2", "2,68", "–"]),
    ("en", ["4.33", "1,234.5", "2", "2.68", "–"]),
])
def test_computed_figures_have_fixed_decimals(app, locale, expected):
    """Means and totals keep a fixed count of decimals so a column lines up (half-even rounding)."""
    with app.test_request_context(), force_locale(locale):
        assert [format_number(4.3333), format_number(1234.5, 1), format_number(Decimal("2.5"), 0),
                format_number(Decimal("2.675")), format_number(None)] == expected


@pytest.mark.parametrize("locale,expected", [
    ("de", ["0,15", "2", "1,5", "0,125", "1.234,5678", "2,5", "1.234,568", "4,5", "–"]),
    ("en", ["0.15", "2", "1.5", "0.125", "1,234.5678", "2.5", "1,234.568", "4.5", "–"]),
])
def test_exact_values_show_the_places_they_have(app, locale, expected):
    """Weights, thresholds and scores are never rounded to a fixed count of places: 0.15 stays 0,15."""
    with app.test_request_context(), force_locale(locale):
        assert [format_exact(Decimal("0.150")), format_exact(Decimal("2.000")), format_exact(1.5),
                format_exact(Decimal("0.125")), format_exact(Decimal("1234.5678")), format_exact("2.50"),
                format_exact(Decimal("1234.5678"), 3), format_exact(Decimal("4.50"), 2), format_exact(None)] == expected


@pytest.mark.parametrize("locale,expected", [
    ("de", ["75\xa0%", "83,3\xa0%", "75,0\xa0%", "24,5\xa0%", "33,33\xa0%", "12,125\xa0%", "0,75 (75\xa0%)"]),
    ("en", ["75%", "83.3%", "75.0%", "24.5%", "33.33%", "12.125%", "0.75 (75%)"]),
])
def test_percentages(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert [format_percent(75), format_percent(83.333, 1), format_percent(75, 1), str(Percent(Decimal("24.50"))),
                str(Percent(Decimal("33.3333"))), str(Percent(Decimal("12.125"), max_places=None)),
                format_ratio(Decimal("0.75"))] == expected


@pytest.mark.parametrize("locale,expected", [
    ("de", ["12,5", "20", "1.234,568", "abc", "–", "12,5\xa0t"]),
    ("en", ["12.5", "20", "1,234.568", "abc", "–", "12.5\xa0t"]),
])
def test_kpi_values_and_quantities(app, locale, expected):
    """KPI values (snapshots keep them as text) show their decimals, up to three; unreadable text stays as typed."""
    with app.test_request_context(), force_locale(locale):
        assert [format_kpi("12.500"), format_kpi(Decimal("20")), format_kpi(1234.5678), format_kpi("abc"),
                format_kpi(""), str(Quantity(Decimal("12.50"), "t"))] == expected


@pytest.mark.parametrize("locale,expected", [
    ("de", ["24.05.2002", "24.05.2002, 16:30 Uhr", "01.01.2003, 00:30 Uhr", "16:30", "25.05.2002"]),
    ("en", ["24 May 2002", "24 May 2002, 16:30", "1 Jan 2003, 00:30", "16:30", "25 May 2002"]),
])
def test_dates_and_times_in_berlin(app, locale, expected):
    """Times are stored in UTC and shown in Europe/Berlin, summer (UTC+2) and winter (UTC+1) time."""
    summer = datetime(2002, 5, 24, 14, 30, tzinfo=UTC)
    with app.test_request_context(), force_locale(locale):
        assert [format_date_local(date(2002, 5, 24)), format_datetime_local(summer),
                format_datetime_local(datetime(2002, 12, 31, 23, 30, tzinfo=UTC)), format_time_local(summer),
                format_date_local(datetime(2002, 5, 24, 22, 30, tzinfo=UTC))] == expected


def test_messages_format_their_values_in_the_language_they_are_shown_in(app):
    """A message built once (e.g. in a service) shows its money and percentages in the reader's language."""
    message = lazy_gettext("%(amount)s, %(share)s", amount=Money(123456), share=Percent(Decimal("24.5")))
    with app.test_request_context():
        with force_locale("de"):
            assert str(message) == "1.234,56\xa0€, 24,5\xa0%"
        with force_locale("en"):
            assert str(message) == "€1,234.56, 24.5%"
