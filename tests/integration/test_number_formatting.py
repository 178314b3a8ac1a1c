"""The fast number, money and date formatting gives exactly what Babel gives, in German and English."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_currency, format_decimal
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formatting import (
    format_date_local,
    format_datetime_local,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    format_time_of_day,
)

EDGES = [0, 0.0, -0.0, 0.005, 0.015, 0.025, 2.675, 2.665, -0.001, -0.004, -0.005, 1234.5, -1234.5, 999.995,
         1e-9, 12345678.125, Decimal("0.125"), Decimal("-0.125"), Decimal("1E+3"), Decimal("4.333333"), 7, -7,
         10 ** 12]


def _babel_number(value, digits: int, locale: str) -> str:
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0", locale=locale)


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_numbers_match_babel_on_rounding_edges(app, locale, digits):
    with app.test_request_context(), force_locale(locale):
        for value in EDGES:
            assert format_number(value, digits) == _babel_number(value, digits, locale), value


@pytest.mark.parametrize("locale", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
                       st.decimals(min_value=-10 ** 9, max_value=10 ** 9, allow_nan=False, places=4),
                       st.integers(min_value=-10 ** 12, max_value=10 ** 12)),
       digits=st.integers(min_value=0, max_value=3))
def test_numbers_match_babel(app, locale, value, digits):
    with app.test_request_context(), force_locale(locale):
        assert format_number(value, digits) == _babel_number(value, digits, locale)


@pytest.mark.parametrize("locale", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=-10 ** 13, max_value=10 ** 13))
def test_money_matches_babel(app, locale, cents):
    with app.test_request_context(), force_locale(locale):
        assert format_money(cents) == format_currency(Decimal(cents) / 100, "EUR", locale=locale)


@pytest.mark.parametrize("locale", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.decimals(min_value=-10 ** 9, max_value=10 ** 9, allow_nan=False, places=7),
                       st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from(EDGES)),
       max_digits=st.sampled_from([1, 2, 3, 6]))
def test_quantities_match_babel(app, locale, value, max_digits):
    """KPI values and ratios show as many decimals as they have, up to a limit, exactly as Babel would."""
    with app.test_request_context(), force_locale(locale):
        assert format_quantity(value, max_digits) == format_decimal(value, format="#,##0." + "#" * max_digits,
                                                                    locale=locale)


def test_examples_users_see(app):
    with app.test_request_context(), force_locale("de"):
        assert (format_money(-4_500_000), format_number(4.3333), format_percent(75)) == (
            "-45.000,00\u00a0€", "4,33", "75\u00a0%")
        assert (format_quantity(Decimal("12.50")), format_quantity(Decimal("20")), format_quantity(1234.5678)) == (
            "12,5", "20", "1.234,568")
    with app.test_request_context(), force_locale("en"):
        assert (format_money(-4_500_000), format_number(1234.5, 1), format_money(None)) == (
            "-€45,000.00", "1,234.5", "–")


@pytest.mark.parametrize("locale", ["de", "en"])
@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 12, 31),
                           timezones=st.sampled_from([None, UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")])))
def test_dates_and_times_match_babel(app, locale, moment):
    from flask_babel import format_date, format_datetime

    day, clock = ("dd.MM.yyyy", "dd.MM.yyyy, HH:mm 'Uhr'") if locale == "de" else ("d MMM yyyy", "d MMM yyyy, HH:mm")
    with app.test_request_context(), force_locale(locale):
        assert format_datetime_local(moment) == format_datetime(moment, clock)
        assert format_date_local(moment) == format_datetime(moment, day)
        assert format_date_local(moment.date()) == format_date(moment.date(), day)
        if moment.tzinfo is not None:  # (a saved-at time is always an aware UTC time)
            assert format_time_of_day(moment) == format_datetime(moment, "HH:mm")
