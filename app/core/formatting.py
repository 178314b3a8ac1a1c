"""Locale-aware formatting of money, dates and numbers for templates and mails."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup


def format_money(cents: int | None, currency: str = "EUR") -> str:
    """Format integer cents as money in the current locale (1.234,56 € / €1,234.56)."""
    if cents is None:
        return "–"
    return format_currency(Decimal(cents) / 100, currency)


def format_date_local(value: date | datetime | None) -> str:
    """Format a date as 24.05.2002 (German) or 24 May 2002 (English)."""
    if value is None:
        return "–"
    if str(get_locale()) == "de":
        if isinstance(value, datetime):
            return format_datetime(value, "dd.MM.yyyy")
        return format_date(value, "dd.MM.yyyy")
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM yyyy")
    return format_date(value, "d MMM yyyy")


def format_datetime_local(value: datetime | None) -> str:
    """Format a UTC datetime in the funder's zone: 24.05.2002, 14:30 Uhr / 24 May 2002, 14:30."""
    if value is None:
        return "–"
    if str(get_locale()) == "de":
        return format_datetime(value, "dd.MM.yyyy, HH:mm 'Uhr'")
    return format_datetime(value, "d MMM yyyy, HH:mm")


def format_number(value: float | Decimal | int | None, digits: int = 2) -> str:
    """Format a number with a fixed count of decimals in the current locale."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern)


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
