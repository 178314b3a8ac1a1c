"""Settings rules of a competition on plain values: funding shares, local times, scale, criteria."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.competitions import rules
from app.competitions.defaults import default_criteria
from app.competitions.display import remaining_parts
from app.core.errors import DomainError

D = Decimal


@pytest.fixture(autouse=True)
def request_context(app):
    """Refusal messages are translated, which needs a request (German, the default)."""
    with app.test_request_context():
        yield


# --- funding shares ---------------------------------------------------------------------

def test_funding_shares_75_and_25_are_accepted_and_stored_plainly():
    sources = rules.clean_funding_sources([("EFRE", D("75")), ("Stadt", D("25.00")), ("", None)])
    assert sources == [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}]


def test_funding_shares_with_decimals_that_sum_to_100_are_accepted():
    sources = rules.clean_funding_sources([("EFRE", D("75.5")), ("Stadt", D("24.5"))])
    assert [s["share"] for s in sources] == ["75.5", "24.5"]
    assert rules.funding_share_total(sources) == 100


@pytest.mark.parametrize("rows", [
    [("EFRE", D("75")), ("Stadt", D("24.9"))],
    [("EFRE", D("75")), ("Stadt", D("25.01"))],
    [("EFRE", D("100")), ("Stadt", D("0.01"))],
    [("EFRE", D("50"))],
])
def test_funding_shares_not_summing_to_exactly_100_are_refused(rows):
    with pytest.raises(DomainError) as caught:
        rules.clean_funding_sources(rows)
    assert caught.value.field == "funding_sources"
    assert "100" in str(caught.value.message)


def test_funding_error_says_what_the_shares_add_up_to_in_german():
    with pytest.raises(DomainError) as caught:
        rules.clean_funding_sources([("EFRE", D("75")), ("Stadt", D("24.9"))])
    assert str(caught.value.message) == ("Die Finanzierungsanteile müssen zusammen genau 100 % ergeben "
                                         "(derzeit: 99,9 %).")


@pytest.mark.parametrize("rows", [
    [("", D("75")), ("Stadt", D("25"))],             # share without a name
    [("EFRE", None), ("Stadt", D("100"))],           # name without a share
    [("EFRE", D("0")), ("Stadt", D("100"))],         # zero share
    [("EFRE", D("120")), ("Stadt", D("-20"))],       # above 100
    [("EFRE", D("50")), ("efre ", D("50"))],         # the same source twice
    [("EFRE", D("33.333")), ("Stadt", D("66.667"))],  # more than two decimals
])
def test_bad_funding_rows_are_refused(rows):
    with pytest.raises(DomainError) as caught:
        rules.clean_funding_sources(rows)
    assert caught.value.field == "funding_sources"


def test_no_funding_source_at_all_is_allowed_while_drafting():
    assert rules.clean_funding_sources([("", None), (" ", None)]) == []


def test_share_total_ignores_garbage():
    assert rules.funding_share_total([{"name": "A", "share": "x"}, {"name": "B", "share": "40"}]) == 40


# --- wall-clock times in the competition's zone -----------------------------------------

@pytest.mark.parametrize("local,expected_utc", [
    (datetime(2030, 1, 15, 12, 0), datetime(2030, 1, 15, 11, 0, tzinfo=UTC)),    # winter: CET = UTC+1
    (datetime(2030, 7, 15, 12, 0), datetime(2030, 7, 15, 10, 0, tzinfo=UTC)),    # summer: CEST = UTC+2
    (datetime(2030, 3, 31, 3, 0), datetime(2030, 3, 31, 1, 0, tzinfo=UTC)),      # just after spring forward
    (datetime(2030, 10, 27, 2, 30), datetime(2030, 10, 27, 0, 30, tzinfo=UTC)),  # twice that night: the first
    (datetime(2030, 10, 27, 3, 30), datetime(2030, 10, 27, 2, 30, tzinfo=UTC)),  # after fall back: CET
])
def test_berlin_local_time_converts_to_utc_across_daylight_saving(local, expected_utc):
    converted = rules.local_to_utc(local, "Europe/Berlin")
    assert converted == expected_utc
    assert converted.utcoffset() == timedelta(0)


def test_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(DomainError) as caught:
        rules.local_to_utc(datetime(2030, 3, 31, 2, 30), "Europe/Berlin", "submission_deadline")
    assert caught.value.field == "submission_deadline"


def test_other_zones_and_round_trip_to_the_form():
    utc = rules.local_to_utc(datetime(2030, 7, 15, 12, 0), "Europe/London")
    assert utc == datetime(2030, 7, 15, 11, 0, tzinfo=UTC)
    assert rules.utc_to_local(utc, "Europe/London") == datetime(2030, 7, 15, 12, 0)
    assert rules.utc_to_local(utc, "Europe/Berlin") == datetime(2030, 7, 15, 13, 0)
    assert rules.local_to_utc(None, "Europe/Berlin") is None


def test_unknown_zone_is_refused():
    with pytest.raises(DomainError) as caught:
        rules.local_to_utc(datetime(2030, 7, 15, 12, 0), "Mars/Olympus")
    assert caught.value.field == "timezone"


def test_deadline_order():
    opens, deadline, review = (datetime(2030, 5, day, tzinfo=UTC) for day in (1, 10, 20))
    rules.check_deadline_order(opens, deadline, review)
    rules.check_deadline_order(None, None, None)
    with pytest.raises(DomainError) as caught:
        rules.check_deadline_order(deadline, opens, None)
    assert caught.value.field == "submission_opens_at"
    with pytest.raises(DomainError) as caught:
        rules.check_deadline_order(opens, review, deadline)
    assert caught.value.field == "review_deadline"


# --- scale and criteria -----------------------------------------------------------------

def test_default_scale_is_valid():
    rules.check_scale(D("0"), D("5"), D("0.5"))
    rules.check_scale(D("1"), D("10"), D("1"))


@pytest.mark.parametrize("low,high,step,field", [
    (D("-1"), D("5"), D("0.5"), "scale_min"),
    (D("5"), D("5"), D("0.5"), "scale_max"),
    (D("0"), D("100"), D("1"), "scale_max"),
    (D("0"), D("5"), D("0"), "scale_step"),
    (D("0"), D("5"), D("0.3"), "scale_step"),   # 5 is not a whole number of 0.3 steps
    (D("0"), D("5"), D("0.125"), "scale_step"),
])
def test_bad_scales_are_refused(low, high, step, field):
    with pytest.raises(DomainError) as caught:
        rules.check_scale(low, high, step)
    assert caught.value.field == field


def _criterion(**changes):
    values = {"weight": D("1"), "threshold": D("3"), "priority": 1, "scale_min": D("0"), "scale_max": D("5"),
              "taken_priorities": [2, 3]}
    values.update(changes)
    rules.check_criterion_values(**values)


def test_valid_criterion_values_pass():
    _criterion()
    _criterion(threshold=D("0"), weight=D("0.001"))
    _criterion(threshold=D("5"), priority=4)


@pytest.mark.parametrize("changes,field", [
    ({"weight": D("0")}, "weight"),
    ({"weight": D("-1")}, "weight"),
    ({"weight": D("0.0001")}, "weight"),
    ({"threshold": D("5.5")}, "threshold"),
    ({"threshold": D("-0.5")}, "threshold"),
    ({"priority": 0}, "priority"),
    ({"priority": 2}, "priority"),      # taken by another criterion
])
def test_bad_criterion_values_are_refused(changes, field):
    with pytest.raises(DomainError) as caught:
        _criterion(**changes)
    assert caught.value.field == field


def test_counts():
    rules.check_positive_counts(winners_min=3, winners_max=5, reviews_per_proposal=3, contract_months=24,
                                budget_cents=0)
    for changes, field in (({"winners_min": 0}, "winners_min"), ({"winners_max": 2}, "winners_max"),
                           ({"reviews_per_proposal": 0}, "reviews_per_proposal"),
                           ({"contract_months": 0}, "contract_months")):
        values = {"winners_min": 3, "winners_max": 5, "reviews_per_proposal": 3, "contract_months": 24,
                  "budget_cents": 0, **changes}
        with pytest.raises(DomainError) as caught:
            rules.check_positive_counts(**values)
        assert caught.value.field == field


# --- defaults ---------------------------------------------------------------------------

def test_default_criteria_are_complete_and_consistent():
    criteria = default_criteria()
    assert len(criteria) == 6
    assert sum(c["weight"] for c in criteria) == D("1")
    assert [c["priority"] for c in criteria] == list(range(1, 7))
    assert all(c["threshold"] == D("3") for c in criteria)
    assert criteria[0]["name_de"] == "Clusterpotenzial" and criteria[0]["name_en"] == "Cluster potential"
    for criterion in criteria:
        for language in ("de", "en"):
            lines = criterion[f"rubric_{language}"].splitlines()
            assert [line.split(" ")[0] for line in lines] == ["0", "1", "2", "3", "4", "5"]
        rules.check_criterion_values(weight=criterion["weight"], threshold=criterion["threshold"],
                                     priority=criterion["priority"], scale_min=D("0"), scale_max=D("5"),
                                     taken_priorities=[])


def test_default_criteria_are_fresh_copies():
    first = default_criteria()
    first[0]["name_de"] = "changed"
    assert default_criteria()[0]["name_de"] == "Clusterpotenzial"


# --- countdown --------------------------------------------------------------------------

def test_remaining_parts():
    now = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    assert remaining_parts(now + timedelta(days=2, hours=3, minutes=4, seconds=59), now) == (2, 3, 4)
    assert remaining_parts(now + timedelta(seconds=30), now) == (0, 0, 0)
    assert remaining_parts(now - timedelta(days=1), now) == (0, 0, 0)
