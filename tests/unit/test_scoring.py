"""Pure parts of scoring: the scale, score parsing and the jurors' pseudonym letters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from app.core.errors import DomainError
from app.jury.pseudonyms import assign_letters, letter
from app.jury.scoring import canonical, parse_score, scale_values


def _competition(low="0", high="5", step="0.5"):
    return SimpleNamespace(scale_min=Decimal(low), scale_max=Decimal(high), scale_step=Decimal(step))


@pytest.fixture
def in_request(app):
    """Error messages are translated when raised, so parse inside a request (German)."""
    with app.test_request_context(), force_locale("de"):
        yield


def test_default_scale_has_eleven_half_points():
    values = scale_values(_competition())
    assert len(values) == 11 and values[0] == 0 and values[-1] == 5
    assert [canonical(v) for v in values[:3]] == ["0", "0.5", "1"]


def test_scale_with_whole_steps_from_one_to_ten():
    assert [canonical(v) for v in scale_values(_competition("1", "10", "1"))] == [str(n) for n in range(1, 11)]


def test_canonical_has_no_trailing_zeros_or_exponent():
    assert canonical(Decimal("4.50")) == "4.5"
    assert canonical(Decimal("10.00")) == "10"


@pytest.mark.parametrize("raw,expected", [
    ("4.5", Decimal("4.50")), ("4,5", Decimal("4.50")), ("0", Decimal("0")), ("5", Decimal("5")),
    (" 3 ", Decimal("3")), (Decimal("2.5"), Decimal("2.5")), ("", None), (None, None), ("  ", None),
])
def test_parse_score_accepts_values_on_the_scale(in_request, raw, expected):
    assert parse_score(_competition(), raw) == expected


@pytest.mark.parametrize("raw,fragment", [
    ("4.3", "Schritten von 0,5"),
    ("4.55", "Schritten von 0,5"),
    ("5.5", "zwischen 0 und 5"),
    ("-0.5", "zwischen 0 und 5"),
    ("abc", "Bewertung auf der Skala"),
    ("NaN", "Bewertung auf der Skala"),
    ("Infinity", "Bewertung auf der Skala"),
])
def test_parse_score_refuses_values_off_the_scale(in_request, raw, fragment):
    with pytest.raises(DomainError) as caught:
        parse_score(_competition(), raw, "score_7")
    assert fragment in str(caught.value.message)
    assert caught.value.field == "score_7"


def test_parse_score_on_a_scale_not_starting_at_zero(in_request):
    competition = _competition("1", "4", "0.5")
    assert parse_score(competition, "1.5") == Decimal("1.5")
    with pytest.raises(DomainError):
        parse_score(competition, "0.5")


@pytest.mark.parametrize("index,expected", [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"),
                                            (52, "BA"), (701, "ZZ"), (702, "AAA")])
def test_letters_run_like_spreadsheet_columns(index, expected):
    assert letter(index) == expected


def test_negative_index_is_an_error():
    with pytest.raises(ValueError):
        letter(-1)


def test_letters_follow_first_appearance_with_ties_by_id():
    t0 = datetime(2002, 6, 1, 10, tzinfo=UTC)
    seen = [(30, t0 + timedelta(hours=2)), (10, t0 + timedelta(hours=1)), (20, t0 + timedelta(hours=1)),
            (30, t0)]  # user 30 posted before anyone reviewed: their earliest time counts
    assert assign_letters(seen) == {30: "A", 10: "B", 20: "C"}


def test_letters_do_not_change_when_someone_joins_later():
    t0 = datetime(2002, 6, 1, 10, tzinfo=UTC)
    before = assign_letters([(5, t0), (9, t0 + timedelta(minutes=1))])
    after = assign_letters([(5, t0), (9, t0 + timedelta(minutes=1)), (1, t0 + timedelta(days=1))])
    assert {k: after[k] for k in before} == before and after[1] == "C"


def test_no_participants_no_letters():
    assert assign_letters([]) == {}
