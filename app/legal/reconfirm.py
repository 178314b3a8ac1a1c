"""After a material change of the privacy notice, a user confirms the new version at the next login.

The check runs once per login (Flask-Login's signals), not on every request: it leaves a mark in
the session, and a before-request step sends a marked session to the confirmation page.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_login import current_user

from app.legal.services import needs_reconfirmation

RECONFIRM_KEY = "privacy_reconfirm"
# Pages a user who has not yet confirmed may still open.
EXEMPT_ENDPOINTS = {"static", "accounts.logout", "core.set_language", "core.favicon", "core.health"}


def check_at_login(sender, user, **extra) -> None:
    """Mark the session when the user must confirm a changed privacy notice."""
    if needs_reconfirmation(user):
        session[RECONFIRM_KEY] = True
    else:
        session.pop(RECONFIRM_KEY, None)


def clear_mark() -> None:
    """The user confirmed: let them on."""
    session.pop(RECONFIRM_KEY, None)


def redirect_to_confirmation():
    """Send a session marked at login to the confirmation page (legal pages and logout stay reachable)."""
    endpoint = request.endpoint or ""
    # The API and the probes never read the session (a token or nothing authorises them).
    if endpoint in EXEMPT_ENDPOINTS or endpoint.startswith(("legal.", "operations.", "api_private.", "api_public.")):
        return None
    # Ask for the user first: a login from the remember cookie happens here and marks the session.
    if not current_user.is_authenticated or not session.get(RECONFIRM_KEY):
        return None
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("legal.confirm_privacy", next=target if request.method == "GET" else None))
