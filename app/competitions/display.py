"""How deadlines are shown: in the competition's own zone, and as time left."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import get_locale

from app.core.formatting import Percent, datetime_pattern
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.core.time import utcnow


def format_in_zone(value: datetime | None, zone_name: str) -> str:
    """Format a UTC time in the given zone: 31.05.2002, 12:00 Uhr / 31 May 2002, 12:00."""
    if value is None:
        return "–"
    locale = str(get_locale() or "de")
    # Flask-Babel's format_datetime knows only the user's zone; a call's deadline is shown in its own.
    return format_datetime(value, datetime_pattern(locale.split("_")[0]), tzinfo=ZoneInfo(zone_name), locale=locale)


def remaining_parts(deadline: datetime, now: datetime | None = None) -> tuple[int, int, int]:
    """Whole days, hours and minutes until the deadline (zeros once it has passed)."""
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return 0, 0, 0
    minutes_total = seconds // 60
    return minutes_total // 1440, (minutes_total % 1440) // 60, minutes_total % 60


def remaining_text(deadline: datetime, now: datetime | None = None) -> str:
    """Time left as text, e.g. "12 Tage, 3 Stunden, 5 Minuten" (countdown.js keeps it current)."""
    days, hours, minutes = remaining_parts(deadline, now)
    parts = []
    if days:
        parts.append(ngettext("%(num)s day", "%(num)s days", days))
    if days or hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    parts.append(ngettext("%(num)s minute", "%(num)s minutes", minutes))
    if not (days or hours or minutes):
        return _("less than a minute")
    return ", ".join(parts)


def format_share(value) -> str:
    """A funding share in percent with only the decimals it has: 75 %, 24,5 %."""
    return str(Percent(value, max_places=None))
