"""Locale-aware formatting of money, dates and numbers for templates and mails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel import Locale
from flask import Flask
from flask_babel import format_currency, format_decimal, get_locale, to_user_timezone
from markupsafe import Markup


@dataclass(frozen=True)
class _NumberStyle:
    """A locale's number symbols and money layout, taken from Babel once.

    Why: Babel parses the pattern and looks up the locale data on every call, which cost
    ~0.1 ms per number; a ranking page shows over a thousand numbers. The fast path below
    gives exactly Babel's output (tests/unit/test_formatting.py compares them) for the
    fixed-decimals patterns this app uses.
    """

    separators: dict[int, str]
    minus: str
    money: dict[str, tuple[str, str, str, str]]  # currency -> (prefix, suffix, negative prefix, negative suffix)


@lru_cache(maxsize=16)
def _number_style(locale_name: str) -> _NumberStyle:
    locale = Locale.parse(locale_name)
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    return _NumberStyle(separators=str.maketrans({",": symbols["group"], ".": symbols["decimal"]}),
                        minus=symbols["minusSign"], money={})


def _money_layout(locale_name: str, currency: str) -> tuple[str, str, str, str] | None:
    """Where Babel puts the currency sign around a number, for positive and negative amounts."""
    style = _number_style(locale_name)
    if currency not in style.money:
        from babel.numbers import format_currency as babel_currency

        number = _fixed(Decimal("1234.5"), 2, style)
        positive = babel_currency(Decimal("1234.5"), currency, locale=locale_name)
        negative = babel_currency(Decimal("-1234.5"), currency, locale=locale_name)
        if positive.count(number) != 1 or negative.count(number) != 1:
            style.money[currency] = None  # an unusual layout: leave it to Babel
        else:
            style.money[currency] = (*positive.split(number), *negative.split(number))
    return style.money[currency]


def _fixed(value: float | Decimal | int, digits: int, style: _NumberStyle) -> str:
    """The number rounded half-even to `digits` decimals with grouping, in the locale's symbols."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(rounded):,.{digits}f}".translate(style.separators)
    return f"{style.minus}{text}" if rounded.is_signed() else text


def format_money(cents: int | None, currency: str = "EUR") -> str:
    """Format integer cents as money in the current locale (1.234,56 € / €1,234.56)."""
    if cents is None:
        return "–"
    amount = Decimal(cents) / 100
    locale_name = str(get_locale())
    layout = _money_layout(locale_name, currency) if currency == "EUR" else None
    if layout is None:
        return format_currency(amount, currency)
    prefix, suffix, negative_prefix, negative_suffix = layout
    number = _fixed(abs(amount), 2, _number_style(locale_name))
    return f"{negative_prefix}{number}{negative_suffix}" if amount < 0 else f"{prefix}{number}{suffix}"


@lru_cache(maxsize=16)
def _month_abbreviations(locale_name: str) -> dict[int, str]:
    """Abbreviated month names as Babel's "MMM" gives them (May, Jun, ...)."""
    return dict(Locale.parse(locale_name).months["format"]["abbreviated"])


def _day(value: date, locale_name: str) -> str:
    """The date as Babel's "dd.MM.yyyy" (German) or "d MMM yyyy" (other languages) gives it."""
    if locale_name == "de":
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return f"{value.day} {_month_abbreviations(locale_name)[value.month]} {value.year:04d}"


# The day and time are composed here rather than by Babel's pattern engine, which parses the
# pattern and looks up the locale on every call (~20 µs; lists show dozens of dates).
# tests/integration/test_number_formatting.py checks that the output equals Babel's.


def format_date_local(value: date | datetime | None) -> str:
    """Format a date as 24.05.2002 (German) or 24 May 2002 (English)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return _day(value, get_locale().language)


def format_datetime_local(value: datetime | None) -> str:
    """Format a UTC datetime in the funder's zone: 24.05.2002, 14:30 Uhr / 24 May 2002, 14:30."""
    if value is None:
        return "–"
    local = to_user_timezone(value)
    language = get_locale().language
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return f"{_day(local, language)}, {clock} Uhr" if language == "de" else f"{_day(local, language)}, {clock}"


def format_number(value: float | Decimal | int | None, digits: int = 2) -> str:
    """Format a number with a fixed count of decimals in the current locale."""
    if value is None:
        return "–"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return _fixed(value, digits, _number_style(str(get_locale())))


def format_quantity(value: float | Decimal | int | None, max_digits: int = 3) -> str:
    """Format a number with as many decimals as it has, up to `max_digits` (Babel's "#,##0.###"): 20, 12,5."""
    if value is None:
        return "–"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or number.adjusted() > 20:  # beyond every stored quantity: Babel knows best
        return format_decimal(number, format="#,##0." + "#" * max_digits)
    rounded = number.quantize(Decimal(1).scaleb(-max_digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(rounded):,.{max_digits}f}".rstrip("0").rstrip(".") if max_digits else f"{abs(rounded):,.0f}"
    style = _number_style(str(get_locale()))
    text = text.translate(style.separators)
    return f"{style.minus}{text}" if rounded.is_signed() else text


def format_time_of_day(value: datetime) -> str:
    """A UTC datetime's clock time in the funder's zone, as Babel's "HH:mm" gives it: 14:30."""
    local = to_user_timezone(value)
    return f"{local.hour:02d}:{local.minute:02d}"


def format_percent(value: float | Decimal | None, digits: int = 0) -> str:
    """Format a percentage given in percent units (75 -> '75 %' / '75%')."""
    if value is None:
        return "–"
    number = format_number(value, digits)
    return f"{number}\u00a0%" if str(get_locale()) == "de" else f"{number}%"


def register_filters(app: Flask) -> None:
    """Make the formatters available as Jinja filters."""
    app.jinja_env.filters.update(
        money=format_money,
        date_local=format_date_local,
        datetime_local=format_datetime_local,
        number=format_number,
        percent=format_percent,
        markdown=render_markdown,
    )
    register_globals(app)


def page_url(number: int) -> str:
    """The current URL with another page number, keeping the filters."""
    from flask import request, url_for

    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def current_locale() -> str:
    """The active UI language code, for <html lang>."""
    return str(get_locale())


# Markdown from admins (call texts) is rendered, then cleaned: only harmless tags survive.
_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "code",
                 "pre", "hr", "table", "thead", "tbody", "tr", "th", "td"}


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML (no scripts, no event handlers, safe links only)."""
    import markdown
    import nh3

    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    # Safe (bandit B704): sanitised by nh3 just above.
    return Markup(clean)  # noqa: S704  # nosec B704


def register_globals(app: Flask) -> None:
    """Template helpers that are functions rather than filters."""
    app.jinja_env.globals.update(page_url=page_url, current_locale=current_locale)
