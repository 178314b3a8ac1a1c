"""Home page, language switch and health check."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, send_from_directory, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.core import queries
from app.core.i18n import LOCALE_SESSION_KEY
from app.core.permissions import is_safe_next_url


class LanguageForm(FlaskForm):
    """The language switch in the header (posted with CSRF)."""

    locale = HiddenField()
    next = HiddenField()


def inject_language_form():
    """Every page renders the language switch (never bound to the request's own form data)."""
    return {"language_form": lambda: LanguageForm(formdata=None)}


def index():
    """Home page: what the product is and where to go next."""
    return render_template("core/index.html")


def favicon():
    """The site icon, where browsers look for it without a link in the page."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


def set_language():
    """Switch the UI language for this session (and the profile when logged in)."""
    form = LanguageForm()
    if not form.validate_on_submit() or form.locale.data not in current_app.config["LANGUAGES"]:
        abort(400)
    session[LOCALE_SESSION_KEY] = form.locale.data
    if current_user.is_authenticated and current_user.locale != form.locale.data:
        current_user.locale = form.locale.data  # mails then follow the chosen language too
    target = form.next.data
    return redirect(target if is_safe_next_url(target) else url_for("core.index"))


def health():
    """Liveness probe for the load balancer: the app answers and the database responds."""
    queries.ping_database()
    return {"status": "ok"}
