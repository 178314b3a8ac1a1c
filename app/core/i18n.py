"""Language and time zone selection for Flask-Babel."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user

LOCALE_SESSION_KEY = "locale"


def select_locale() -> str:
    """Choose the UI language: explicit choice, then profile, then browser, then German."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get(LOCALE_SESSION_KEY)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """All times are shown in the funder's zone unless a page says otherwise."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _current_translations():
    """The catalogue of the current language, looked up once per request and language.

    Why: Flask-Babel finds the catalogue anew for every string (three context lookups, ~10 µs),
    and a page translates a few hundred strings. The answer is kept next to Flask-Babel's own
    locale in its per-context namespace and used only while that locale is the very same
    object, so force_locale() (mails in the recipient's language) is always honoured. If
    Flask-Babel's namespace ever looks different, every call simply asks Flask-Babel.
    """
    state = getattr(g, "_flask_babel", None) if g else None
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "fast_translations", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    if state is not None:
        state.fast_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext (same result), through the request's catalogue looked up once."""
    translated = _current_translations().ugettext(string)
    return translated if not variables else translated % variables


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ngettext (same result, `num` available as %(num)s), through the request's catalogue."""
    variables.setdefault("num", num)
    translated = _current_translations().ungettext(singular, plural, num)
    return translated % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """A string translated when it is shown (form labels, choices, messages defined at import)."""
    return LazyString(gettext, string, **variables)


def install_fast_gettext(app: Flask) -> None:
    """Give templates gettext functions that reuse the request's catalogue (same results as Flask-Babel's)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _current_translations().ugettext(s),
        ngettext=lambda s, p, n: _current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
