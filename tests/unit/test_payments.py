"""Unit tests for payment by results (METHOD.md, "Payment by results" and the worked example)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.contracts.payments import (
    Milestone,
    PaymentLimitExceeded,
    attainment,
    milestone_payment,
    payable_now,
    round_half_up,
    split_by_shares,
    validate_contract_amount,
)

D = Decimal
EUR = 100  # cents per euro
SHARES = {"ERDF": D("75"), "city": D("25")}


def pro_rata(achieved: int | str, **kwargs: object) -> Milestone:
    """Build the worked example's milestone with a different achieved value."""
    values: dict = {
        "rule": "pro_rata",
        "baseline": D(5),
        "target": D(25),
        "achieved": D(achieved),
        "tranche_cents": 60_000 * EUR,
    }
    values.update(kwargs)
    return Milestone(**values)


class TestWorkedExample:
    """METHOD.md worked example, reproduced exactly."""

    def test_contract_adds_up(self) -> None:
        """240,000 = 40,000 fixed + tranches (60,000 for the milestone, 140,000 others)."""
        assert validate_contract_amount(40_000 * EUR, [60_000 * EUR, 140_000 * EUR], 240_000 * EUR) == []

    def test_achieved_20_pays_45000_split_75_25(self) -> None:
        """Baseline 5, target 25, achieved 20 → r = 0.75 → 45,000.00 → 33,750.00 / 11,250.00."""
        calc = milestone_payment(pro_rata(20))
        assert calc.attainment == D("0.75")
        assert calc.threshold_met is True
        assert calc.amount_cents == 4_500_000
        assert split_by_shares(calc.amount_cents, SHARES) == {"ERDF": 3_375_000, "city": 1_125_000}

    def test_achieved_9_pays_nothing(self) -> None:
        """Achieved 9 → r = 0.2 < θ = 0.5 → 0.00, split 0.00 / 0.00."""
        calc = milestone_payment(pro_rata(9))
        assert calc.attainment == D("0.2")
        assert calc.threshold_met is False
        assert calc.amount_cents == 0
        assert split_by_shares(calc.amount_cents, SHARES) == {"ERDF": 0, "city": 0}

    def test_explanation_lists_every_step(self) -> None:
        """The explanation lets a reader recompute the figure from b, t, x, θ, c and a."""
        calc = milestone_payment(pro_rata(20))
        steps = {step.key: step for step in calc.steps}
        assert list(steps) == [
            "rule", "baseline", "target", "achieved", "attainment", "minimum_level",
            "minimum_reached", "cap", "factor", "tranche", "payment",
        ]  # fmt: skip
        assert steps["attainment"].value == D("0.75")
        assert "(20 − 5) / (25 − 5) = 0.75" in steps["attainment"].formula
        assert steps["payment"].value == 4_500_000
        assert steps["payment"].kind == "money_cents"
        assert "60000.00 · 0.75 = 45000.00" in steps["payment"].formula
        rows = dict(calc.rows())
        assert rows["Payment (rounded half-up to the cent)"].startswith("45000.00")


class TestBinary:
    """Binary rule: the whole tranche when the target is reached, else nothing."""

    def test_reached(self) -> None:
        """x == t pays the tranche; θ and cap do not apply."""
        calc = milestone_payment(pro_rata(25, rule="binary"))
        assert calc.amount_cents == 6_000_000
        assert calc.threshold_met is True

    def test_exceeded_pays_tranche_once(self) -> None:
        """x > t still pays exactly the tranche."""
        assert milestone_payment(pro_rata(40, rule="binary")).amount_cents == 6_000_000

    def test_not_reached(self) -> None:
        """Almost reached (24.99) pays nothing."""
        calc = milestone_payment(pro_rata("24.99", rule="binary"))
        assert calc.amount_cents == 0
        assert calc.threshold_met is False

    def test_falling_target(self) -> None:
        """Falling target: reached means x ≤ t."""
        falling = {"rule": "binary", "baseline": D(100), "target": D(60), "tranche_cents": 1000}
        assert milestone_payment(Milestone(achieved=D(60), **falling)).amount_cents == 1000
        assert milestone_payment(Milestone(achieved=D(55), **falling)).amount_cents == 1000
        assert milestone_payment(Milestone(achieved=D(61), **falling)).amount_cents == 0


class TestProRata:
    """Pro-rata rule: minimum level, cap, falling targets, rounding."""

    def test_cap_limits_overachievement(self) -> None:
        """Achieved above target → r = 1.5 but capped at 1.0 → whole tranche."""
        calc = milestone_payment(pro_rata(35))
        assert calc.attainment == D("1.5")
        assert calc.factor == D(1)
        assert calc.amount_cents == 6_000_000

    def test_lower_cap(self) -> None:
        """A cap below 1 limits the payment to a · c."""
        assert milestone_payment(pro_rata(25, cap=D("0.8"))).amount_cents == 4_800_000

    def test_minimum_level_boundary_pays(self) -> None:
        """r == θ pays (15 → r = 0.5)."""
        calc = milestone_payment(pro_rata(15))
        assert calc.attainment == D("0.5")
        assert calc.threshold_met is True
        assert calc.amount_cents == 3_000_000

    def test_just_below_minimum_level_pays_nothing(self) -> None:
        """r just under θ pays nothing."""
        assert milestone_payment(pro_rata("14.9999")).amount_cents == 0

    def test_custom_minimum_level(self) -> None:
        """θ = 0 pays any progress; negative progress still pays nothing."""
        assert milestone_payment(pro_rata(6, minimum_level=D(0))).amount_cents == 300_000
        assert milestone_payment(pro_rata(4, minimum_level=D(0))).amount_cents == 0

    def test_falling_target(self) -> None:
        """Baseline 100, target 60, achieved 70 → r = 0.75."""
        assert attainment(D(100), D(60), D(70)) == D("0.75")
        calc = milestone_payment(
            Milestone(rule="pro_rata", baseline=D(100), target=D(60), achieved=D(70), tranche_cents=10_000)
        )
        assert calc.attainment == D("0.75")
        assert calc.amount_cents == 7_500

    def test_falling_target_got_worse(self) -> None:
        """Moving away from a falling target gives r < 0 and pays nothing."""
        assert attainment(D(100), D(60), D(110)) == D("-0.25")
        calc = milestone_payment(
            Milestone(rule="pro_rata", baseline=D(100), target=D(60), achieved=D(110), tranche_cents=10_000)
        )
        assert calc.amount_cents == 0

    def test_rounding_half_up_at_half_cent(self) -> None:
        """1 cent · 0.5 = 0.5 cent → 1 cent (half-up, not banker's rounding to 0)."""
        calc = milestone_payment(pro_rata(15, tranche_cents=1))
        assert calc.unrounded_cents == D("0.5")
        assert calc.amount_cents == 1
        # 2.5 cents → 3 (banker's rounding would give 2).
        assert milestone_payment(pro_rata(15, tranche_cents=5)).amount_cents == 3

    def test_rounding_uses_exact_ratio(self) -> None:
        """a = 3 cents, r = 5/6 → exactly 2.5 cents → 3 (a rounded r would give 2.4999… → 2)."""
        calc = milestone_payment(Milestone(rule="pro_rata", baseline=D(0), target=D(6), achieved=D(5), tranche_cents=3))
        assert calc.amount_cents == 3
        assert calc.unrounded_cents == D("2.5")

    def test_rounding_below_half_goes_down(self) -> None:
        """0.4999 cent → 0 cents; halves go away from zero like Decimal ROUND_HALF_UP."""
        assert round_half_up(Fraction("0.4999")) == 0
        assert round_half_up(Fraction(1, 2)) == 1
        assert round_half_up(Fraction(-1, 2)) == -1


class TestInputValidation:
    """Undefined or unsafe inputs are refused."""

    def test_target_equals_baseline(self) -> None:
        """t == b: attainment undefined → ValueError (documented behaviour)."""
        with pytest.raises(ValueError):
            attainment(D(5), D(5), D(7))
        with pytest.raises(ValueError):
            pro_rata(7, target=D(5))

    def test_float_refused(self) -> None:
        """Floats are inexact and never accepted as numbers or money."""
        with pytest.raises(TypeError):
            attainment(5.0, D(25), D(20))  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            pro_rata(20, tranche_cents=60000.0)

    def test_bad_rule_cap_and_level(self) -> None:
        """Unknown rule, cap outside (0, 1], negative θ, negative tranche are refused."""
        for bad in ({"rule": "linear"}, {"cap": D("1.5")}, {"cap": D(0)}, {"minimum_level": D("-0.1")},
                    {"tranche_cents": -1}):  # fmt: skip
            with pytest.raises(ValueError):
                pro_rata(20, **bad)

    def test_strings_and_ints_are_converted(self) -> None:
        """Numeric strings (form input) and ints become Decimal."""
        m = Milestone(rule="pro_rata", baseline="5", target=25, achieved="20.0", tranche_cents=100)  # type: ignore[arg-type]
        assert m.baseline == D(5) and isinstance(m.target, Decimal)
        assert milestone_payment(m).amount_cents == 75


class TestSplit:
    """Splitting a payment by funding shares."""

    def test_shares_must_sum_to_100(self) -> None:
        """99.99 % or 100.01 % are refused, as are empty and negative shares."""
        for bad in ({"a": D("75"), "b": D("24.99")}, {"a": D("75"), "b": D("25.01")}, {},
                    {"a": D("110"), "b": D("-10")}):  # fmt: skip
            with pytest.raises(ValueError):
                split_by_shares(1000, bad)

    def test_rounding_cents_go_to_largest_share(self) -> None:
        """100 cents over 1/3 shares: 33.33 + 33.33 + 33.34 → the lost cent goes to the largest."""
        shares = {"a": D("33.33"), "b": D("33.34"), "c": D("33.33")}
        assert split_by_shares(100, shares) == {"a": 33, "b": 34, "c": 33}

    def test_tie_goes_to_first_declared(self) -> None:
        """Equal largest shares: the first declared one receives the rounding cent."""
        shares = {"x": D("20"), "y": D("40"), "z": D("40")}
        assert split_by_shares(1, shares) == {"x": 0, "y": 1, "z": 0}

    def test_half_cent_parts_round_up_and_surplus_is_taken_back(self) -> None:
        """1 cent 50/50: both parts round up to 1, the first (largest, declared first) gives it back."""
        assert split_by_shares(1, {"a": D(50), "b": D(50)}) == {"a": 0, "b": 1}

    def test_tiny_amount_never_negative(self) -> None:
        """2 cents over four 25 % shares: rounding gives 4, no part may become negative."""
        parts = split_by_shares(2, {"a": D(25), "b": D(25), "c": D(25), "d": D(25)})
        assert sum(parts.values()) == 2
        assert min(parts.values()) >= 0

    @given(
        amount=st.integers(min_value=0, max_value=10**12),
        basis_points=st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=7),
    )
    def test_split_always_adds_up(self, amount: int, basis_points: list[int]) -> None:
        """For any amount and any shares summing to 100 %, parts ≥ 0 and add up exactly."""
        # Turn arbitrary integers into basis points that sum to exactly 10,000 (= 100 %).
        cuts = sorted(min(bp, 10_000) for bp in basis_points)
        bounds = [0, *cuts, 10_000]
        shares = {f"s{i}": D(hi - lo) / 100 for i, (lo, hi) in enumerate(pairwise(bounds))}
        assert sum(shares.values()) == 100
        parts = split_by_shares(amount, shares)
        assert list(parts) == list(shares)
        assert sum(parts.values()) == amount
        assert all(part >= 0 for part in parts.values())
        for name, pct in shares.items():
            # Every part is within one cent per share of its exact value.
            assert abs(parts[name] - amount * pct / 100) <= len(shares)

    @given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=1, max_value=10**9))
    def test_off_by_one_basis_point_rejected(self, bp: int, amount: int) -> None:
        """Shares that sum to 100 % ± 0.01 % are refused."""
        with pytest.raises(ValueError):
            split_by_shares(amount, {"a": D(bp) / 100, "b": D(10_000 - bp + 1) / 100})


class TestContractAmountAndPayout:
    """A = A_fixed + Σ a_i, and the sum paid never exceeds A."""

    def test_mismatch_reported(self) -> None:
        """Parts that do not add up to A are reported."""
        assert validate_contract_amount(40_000 * EUR, [60_000 * EUR], 240_000 * EUR) == ["sum_mismatch"]

    def test_negative_parts_reported(self) -> None:
        """Negative fixed part or tranche, and a zero contract, are reported."""
        errors = validate_contract_amount(-1, [-5, 6], 0)
        assert errors == ["fixed_negative", "tranche_negative", "amount_not_positive"]

    def test_payable_within_amount(self) -> None:
        """Paying up to exactly A is allowed."""
        assert payable_now(4_500_000, 19_500_000, 24_000_000) == 4_500_000
        assert payable_now(0, 24_000_000, 24_000_000) == 0

    def test_payable_refuses_overrun(self) -> None:
        """One cent over A is refused and the remaining amount is reported."""
        with pytest.raises(PaymentLimitExceeded) as info:
            payable_now(4_500_001, 19_500_000, 24_000_000)
        assert info.value.remaining_cents == 4_500_000

    def test_payable_refuses_negative(self) -> None:
        """Negative amounts are refused."""
        with pytest.raises(ValueError):
            payable_now(-1, 0, 100)
