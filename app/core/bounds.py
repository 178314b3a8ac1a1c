"""The ranges numbers must lie in to fit their columns on SQLite and PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal

# PostgreSQL's INTEGER; SQLite would store more, so the smaller range is the rule for both.
INTEGER_MAX = 2**31 - 1
# The largest amount any money field accepts: 10 billion euros (BIGINT cents hold far more).
MONEY_MAX_EUROS = Decimal("10000000000")


def bounded_int(raw) -> int:
    """int() for request values, refusing (ValueError) what an INTEGER column cannot hold."""
    text = str(raw).strip()
    if len(text) > len(str(INTEGER_MAX)) + 1:
        raise ValueError("too long")  # before int() reads thousands of digits
    value = int(text)
    if not -INTEGER_MAX <= value <= INTEGER_MAX:
        raise ValueError("out of range")
    return value


def parse_version(raw) -> int | None:
    """A posted version number, or None when missing, tampered with or outside the INTEGER column."""
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None  # also spares int() thousands of digits
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= INTEGER_MAX else None


def numeric_maximum(precision: int, scale: int) -> Decimal:
    """The largest value a NUMERIC(precision, scale) column holds, e.g. 99.99 for NUMERIC(4, 2)."""
    return Decimal(10) ** (precision - scale) - Decimal(1).scaleb(-scale)
