"""Form fields shared by the domain packages: money and decimals in the user's locale."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from wtforms import Field, IntegerField
from wtforms.widgets import TextInput

from app.core.bounds import INTEGER_MAX, MONEY_MAX_EUROS, numeric_maximum
from app.core.formatting import format_exact, format_number
from app.core.i18n import lazy_gettext as _l

# No amount or measured value anyone types is longer; longer text is refused before it is parsed.
MAX_NUMBER_LENGTH = 40
# The widest NUMERIC column a LocaleDecimalField writes to (KPI values, NUMERIC(14, 3)).
DEFAULT_MAXIMUM = numeric_maximum(14, 3)


def parse_locale_decimal(text: str, locale: str | None = None) -> Decimal:
    """Parse "1.234,56" (de) or "1,234.56" (en) strictly; raise ValueError on anything else."""
    locale = locale or str(get_locale() or "de")
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    if not cleaned:
        raise ValueError("empty")
    # Exponents, NaN and Infinity are no amounts; thousands of digits are none either.
    if len(cleaned) > MAX_NUMBER_LENGTH or any(ch.isalpha() for ch in cleaned):
        raise ValueError("not a plain number")
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError as exc:
        raise ValueError(str(exc)) from exc
    if not value.is_finite():
        raise ValueError("not finite")
    return value


def cents_from_decimal(value: Decimal) -> int:
    """Round a euro amount half-up to whole cents."""
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class LocaleDecimalField(Field):
    """A number typed in the user's locale; empty means None."""

    widget = TextInput()
    error_message = _l("Please enter a number, e.g. 1,234.5.")

    def __init__(self, label=None, validators=None, places: int = 2, minimum: Decimal | None = None,
                 maximum: Decimal = DEFAULT_MAXIMUM, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.minimum = minimum
        self.maximum = maximum  # set it so that the value fits the field's column
        self.raw_text: str | None = None

    def _value(self) -> str:
        if self.raw_text is not None:
            return self.raw_text  # show what the user typed, even when it was refused
        if self.data is None:
            return ""
        return format_exact(self.data, self.places)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.raw_text = valuelist[0]
        if not self.raw_text.strip():
            self.data = None
            return
        try:
            self.data = parse_locale_decimal(self.raw_text)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(self.error_message)) from exc
        if self.minimum is not None and self.data < self.minimum:
            self.data = None
            raise ValueError(str(_l("The value must not be negative.")))
        if abs(self.data) > self.maximum:
            self.data = None
            limit = format_exact(self.maximum, self.places)
            raise ValueError(str(_l("Please enter a value of at most %(max)s.", max=limit)))


class MoneyField(LocaleDecimalField):
    """Euro amounts typed in the user's locale; data is integer cents (or None)."""

    error_message = _l("Please enter an amount in euros, e.g. 1,234.56.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("minimum", Decimal("0"))
        kwargs.setdefault("maximum", MONEY_MAX_EUROS)
        super().__init__(label, validators, places=2, **kwargs)

    def _value(self) -> str:
        if self.raw_text is not None:
            return self.raw_text
        if self.data is None:
            return ""
        return format_number(Decimal(self.data) / 100, 2)

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # nothing posted for this field: keep the stored cents as they are
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = cents_from_decimal(self.data)


class WholeNumberField(IntegerField):
    """IntegerField that refuses overlong input before int() and the range check see it.

    Why: int() reads thousands of digits, and NumberRange then fails converting them to float.
    Give every use a NumberRange that fits its INTEGER column (app.core.bounds.INTEGER_MAX at most).
    """

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip()) > len(str(INTEGER_MAX)) + 1:
            self.data = None
            raise ValueError(str(_l("Please enter a whole number.")))
        super().process_formdata(valuelist)
