"""The one import place for translations: Flask-Babel's gettext functions and the language and zone selectors."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

__all__ = ["HEADER_LOCALE_ONLY", "LOCALE_SESSION_KEY", "gettext", "lazy_gettext", "ngettext", "select_locale",
           "select_timezone"]

LOCALE_SESSION_KEY = "locale"
# Set on `g` by requests whose language comes from the Accept-Language header only.
HEADER_LOCALE_ONLY = "locale_from_header_only"


def select_locale() -> str:
    """Choose the UI language: explicit choice, then profile, then browser, then German."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get(HEADER_LOCALE_ONLY):  # machine clients (the API) ask by Accept-Language alone
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """All times are shown in the funder's zone unless a page says otherwise."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
