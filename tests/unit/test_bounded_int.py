"""Request numbers beyond an INTEGER column are refused before they reach a query (app.core.bounds)."""

from __future__ import annotations

import pytest

from app.core.bounds import bounded_int


@pytest.mark.parametrize("raw,expected", [("2147483647", 2147483647), ("-2147483647", -2147483647), (" 7 ", 7)])
def test_numbers_an_integer_column_holds_pass(raw, expected):
    assert bounded_int(raw) == expected


@pytest.mark.parametrize("raw", ["2147483648", "-2147483648", "9" * 4000, "1e3", "sieben"])
def test_numbers_it_cannot_hold_or_that_are_no_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        bounded_int(raw)
