"""Locale-aware formatting of money, dates and numbers, on Flask-Babel's own functions.

Nothing here lays out a number by hand: each helper picks a pattern and lets Babel format
it in the current language. The small types (Money, Percent, Quantity) format themselves
when they are shown, so a message built at import time or in a service speaks the language
of the page or mail that finally renders it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import flask_babel
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

NONE_TEXT = "–"
# The funder's house style (GLOSSARY.md): 24.05.2002 and 14:30 Uhr in German, 24 May 2002 in English.
_DATE_PATTERNS = {"de": "dd.MM.yyyy"}
_DATE_PATTERN_OTHER = "d MMM yyyy"
_TIME_PATTERN = "HH:mm"
_CLOCK_SUFFIX = {"de": " 'Uhr'"}


def _language() -> str:
    return get_locale().language


def _decimal(value: float | Decimal | int | str) -> Decimal:
    """The value as a Decimal; floats through their shortest text, so 0.15 stays 0.15."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _places(number: Decimal) -> int:
    """The decimal places a number has without trailing zeros (2.000 -> 0, 0.150 -> 2)."""
    if not number.is_finite():
        return 0
    return max(0, -number.normalize().as_tuple().exponent)


# ------------------------------------------------------------------ numbers


def format_number(value: float | Decimal | int | None, digits: int = 2) -> str:
    """A computed figure (mean, total, spread) with a fixed count of decimals: 4,33 / 4.33."""
    if value is None:
        return NONE_TEXT
    return flask_babel.format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def format_exact(value: float | Decimal | int | str | None, max_places: int | None = None) -> str:
    """A value with the decimals it has (0.15 -> 0,15; 2 -> 2; 1.5 -> 1,5), at most `max_places` of them.

    The one formatter for weights, thresholds, scale values, scores and KPI values: a weight
    of 0.15 is shown as 0,15, never rounded to a fixed count of places.
    """
    if value is None or value == "":
        return NONE_TEXT
    try:
        number = _decimal(value)
    except InvalidOperation:
        return str(value)
    places = _places(number) if max_places is None else max_places
    # Optional digits ("#"): Babel rounds half-even to `places` and drops trailing zeros.
    return flask_babel.format_decimal(number, format="#,##0." + "#" * places if places else "#,##0")


def _percent_pattern(places: int, trim: bool) -> str:
    """The language's percent pattern (75 % / 75%) with `places` decimals, optional ones when trimmed."""
    pattern = get_locale().percent_formats[None].pattern
    if not places:
        return pattern
    return pattern.replace("0", "0." + ("#" if trim else "0") * places, 1)


def format_percent(value: float | Decimal | int | None, digits: int | None = 0, *, trim: bool = False) -> str:
    """A percentage given in percent units (75 -> 75 % / 75%) with `digits` decimals.

    With `trim`, the decimals are only those the value has, up to `digits` (24.5 -> 24,5 %);
    `digits=None` shows every decimal the value has.
    """
    if value is None:
        return NONE_TEXT
    ratio = _decimal(value).scaleb(-2)
    if digits is None:
        digits, trim = _places(_decimal(value)), True
    return flask_babel.format_percent(ratio, format=_percent_pattern(digits, trim))


def format_money(cents: int | None, currency: str = "EUR") -> str:
    """Integer cents as money in the current language: 1.234,56 € / €1,234.56."""
    if cents is None:
        return NONE_TEXT
    return flask_babel.format_currency(Decimal(cents).scaleb(-2), currency)


class Money:
    """Cents that format themselves in the language in which a message is finally shown."""

    def __init__(self, cents: int | None):
        self.cents = cents

    def __str__(self) -> str:
        return format_money(self.cents)


class Percent:
    """A percentage (in percent units) with the decimals it has, by default up to two: 75 %, 24,5 %, 33,33 %."""

    def __init__(self, value: float | Decimal | int | None, max_places: int | None = 2):
        self.value = value
        self.max_places = max_places

    def __str__(self) -> str:
        return format_percent(self.value, self.max_places, trim=True)


class Quantity:
    """A number with the decimals it has (optionally a unit after it): 12,5 t, 0,15."""

    def __init__(self, value: float | Decimal | int | str | None, unit: str | None = None,
                 max_places: int | None = None):
        self.value = value
        self.unit = unit
        self.max_places = max_places

    def __str__(self) -> str:
        text = format_exact(self.value, self.max_places)
        return f"{text}\u00a0{self.unit}" if self.unit and self.value not in (None, "") else text


def format_kpi(value: float | Decimal | int | str | None) -> str:
    """A KPI value (a Decimal or the decimal text of a snapshot) with its decimals, up to three: 20, 12,5."""
    return format_exact(value, 3)


def format_ratio(value: Decimal) -> str:
    """A ratio such as 0.75 as itself and in percent: 0,75 (75 %) / 0.75 (75%)."""
    return f"{format_exact(value, 6)} ({Percent(_decimal(value) * 100)})"


# ------------------------------------------------------------------ dates and times


def format_date_local(value: date | datetime | None) -> str:
    """A date as 24.05.2002 (German) or 24 May 2002 (English); datetimes in the funder's zone."""
    if value is None:
        return NONE_TEXT
    return flask_babel.format_date(value, _DATE_PATTERNS.get(_language(), _DATE_PATTERN_OTHER))


def datetime_pattern(language: str) -> str:
    """The house style's Babel pattern for a date with its time: "dd.MM.yyyy, HH:mm 'Uhr'" in German."""
    return f"{_DATE_PATTERNS.get(language, _DATE_PATTERN_OTHER)}, {_TIME_PATTERN}{_CLOCK_SUFFIX.get(language, '')}"


def format_datetime_local(value: datetime | None) -> str:
    """A UTC datetime in the funder's zone: 24.05.2002, 14:30 Uhr / 24 May 2002, 14:30."""
    if value is None:
        return NONE_TEXT
    return flask_babel.format_datetime(value, datetime_pattern(_language()))


def format_time_local(value: datetime) -> str:
    """A UTC datetime's clock time in the funder's zone: 14:30."""
    return flask_babel.format_time(value, _TIME_PATTERN)


# ------------------------------------------------------------------ templates


def register_filters(app: Flask) -> None:
    """Make the formatters available as Jinja filters."""
    app.jinja_env.filters.update(
        money=format_money,
        date_local=format_date_local,
        datetime_local=format_datetime_local,
        number=format_number,
        exact=format_exact,
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


def format_plain_number(value: float | Decimal | int | None, digits: int = 2) -> str:
    """A computed figure as a spreadsheet cell: fixed decimals in the language's style, no digit grouping."""
    if value is None:
        return ""
    return flask_babel.format_decimal(value, format="0." + "0" * digits if digits else "0")
