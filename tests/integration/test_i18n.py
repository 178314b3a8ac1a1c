"""Languages: German default, English complete, locale formats, complete catalogues."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.core.formatting import format_date_local, format_datetime_local, format_money, format_percent
from tests.web import post_form

ROOT = Path(__file__).resolve().parents[2]


def test_german_is_the_default(client):
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in body
    assert "Anmelden" in body


def test_browser_language_english(client):
    body = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_language_switch_persists_in_session(client):
    response = post_form(client, "/language", {"locale": "en", "next": "/login"}, token_from="/")
    assert response.headers["Location"] == "/login"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_unknown_language_and_foreign_next(client):
    assert post_form(client, "/language", {"locale": "fr"}, token_from="/").status_code == 400
    response = post_form(client, "/language", {"locale": "de", "next": "https://evil.example"}, token_from="/")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("locale,money,day,moment,percent", [
    ("de", "1.234,56\xa0€", "24.05.2002", "24.05.2002, 16:30 Uhr", "75\xa0%"),
    ("en", "€1,234.56", "24 May 2002", "24 May 2002, 16:30", "75%"),
])
def test_locale_formats(app, locale, money, day, moment, percent):
    with app.test_request_context(), force_locale(locale):
        assert format_money(123456) == money
        assert format_date_local(date(2002, 5, 24)) == day
        # 14:30 UTC is 16:30 in Berlin (summer time)
        assert format_datetime_local(datetime(2002, 5, 24, 14, 30, tzinfo=UTC)) == moment
        assert format_percent(75) == percent


def _catalogue(lang: str):
    with open(ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_every_template_and_code_string_is_in_both_catalogues(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for lang in ("de", "en"):
        catalogue = _catalogue(lang)
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
        missing = sorted(extracted - known)
        assert not missing, f"{lang}: strings missing from the catalogue (run `make translations`): {missing[:10]}"


def test_german_catalogue_translates_everything():
    untranslated = [m.id for m in _catalogue("de") if m.id and (not m.string or (isinstance(m.string, tuple)
                                                                                and not all(m.string)))]
    fuzzy = [m.id for m in _catalogue("de") if m.id and m.fuzzy]
    assert not untranslated, f"untranslated German strings: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy German strings: {fuzzy[:10]}"


def test_template_translations_follow_a_forced_language_and_return(app):
    """A mail rendered in the recipient's language switches the templates' catalogue and then switches back."""
    template = app.jinja_env.from_string("{{ _('Ranking') }}")
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert template.render() == "Rangliste"
        with force_locale("en"):
            assert template.render() == "Ranking"
        assert template.render() == "Rangliste"
