"""The public call pages, and the phase names and open-calls teaser every template can use."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from app.competitions import services
from app.competitions.display import remaining_text
from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core.formatting import current_locale
from app.core.time import utcnow
from app.extensions import db


def phase_label(phase: str) -> str:
    """The translated name of a phase, for any template."""
    return str(PHASE_LABELS[phase])


def inject_open_calls_teaser():
    """The home page's teaser of open calls (queried only when a template calls it)."""
    return {"open_calls_teaser": services.open_calls}


# --- public call pages ----------------------------------------------------------------


def public_list():
    """Public list of open and past calls."""
    current, past = services.public_calls()
    return render_template("competitions/public_list.html", current=current, past=past, now=utcnow())


def public_call(competition_id: int):
    """A call with its text, criteria, deadlines and the way to apply; drafts only for admins."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or not competition.can_view(current_user):
        abort(404)
    now = utcnow()
    accepting = competition.is_open_for_submissions(now)
    remaining = remaining_text(competition.submission_deadline, now) if accepting else None
    return render_template("competitions/public_call.html", competition=competition, now=now,
                           remaining=remaining, locale=current_locale(), accepting=accepting)
