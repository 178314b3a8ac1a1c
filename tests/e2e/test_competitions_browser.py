"""In a real browser: an admin sets up and opens the Leipzig-like call; a visitor finds it under /calls."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.competitions.models import Competition
from app.core.time import utcnow
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e

TITLE = "Ideenwettbewerb Unternehmensnetzwerke Leipziger Westen"


def test_admin_creates_edits_and_opens_a_call_then_a_visitor_sees_it(page, db, check_a11y, screenshot):
    admin = AdminFactory(email="wirtschaft@stadt.example", name="Katrin Vogel")
    deadline_local = (utcnow() + timedelta(days=30)).astimezone(ZoneInfo("Europe/Berlin")).replace(
        hour=12, minute=0, second=0, microsecond=0, tzinfo=None)

    page.goto("/login")
    check_a11y(page, "login")
    page.get_by_label("E-Mail-Adresse").fill(admin.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    check_a11y(page, "home")
    page.get_by_role("button", name="Verwaltung").click()
    page.get_by_role("link", name="Wettbewerbe").click()
    check_a11y(page, "admin competitions")
    page.get_by_role("link", name="Neuer Wettbewerb").click()
    check_a11y(page, "new competition")

    # The defaults from the source case are already there.
    assert page.get_by_label("Finanzierungsquelle 1").input_value() == "EFRE"
    assert page.get_by_label("Anteil der Quelle 2 in %").input_value() == "25"
    assert page.get_by_role("rowheader", name="Clusterpotenzial").is_visible()
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Förderprogramm").fill("URBAN II Leipziger Westen")
    page.get_by_label("Maßnahme").fill("1.2 Förderung vernetzter Wirtschaftsstrukturen")
    page.get_by_label("Aufrufstext (Markdown)").fill(
        "Die Stadt Leipzig sucht **Ideen für Unternehmensnetzwerke** im Programmgebiet.\n\n"
        "- Analyse des Clusterpotenzials\n- Maßnahmenkatalog\n\n<script>alert('x')</script>")
    page.get_by_label("Einreichungsfrist", exact=True).fill(deadline_local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Gesamtbudget (EUR)").fill("1.500.000,00")
    # A wrong split is refused and nothing is lost.
    page.get_by_label("Anteil der Quelle 2 in %").fill("24,9")
    page.get_by_role("button", name="Wettbewerb anlegen").click()
    assert page.get_by_text("Die Finanzierungsanteile müssen zusammen genau 100 % ergeben (derzeit: 99,9 %).",
                            exact=True).is_visible()
    assert page.get_by_label("Titel", exact=True).input_value() == TITLE
    check_a11y(page, "new competition with errors")
    page.get_by_label("Anteil der Quelle 2 in %").fill("25")
    page.get_by_role("button", name="Wettbewerb anlegen").click()

    assert page.get_by_text("Der Wettbewerb wurde als Entwurf angelegt.").is_visible()
    assert page.get_by_text("Alle Voraussetzungen für die nächste Phase sind erfüllt.").is_visible()
    check_a11y(page, "competition detail (draft)")

    page.get_by_role("link", name="Kriterien verwalten").click()
    check_a11y(page, "criteria")
    page.get_by_role("link", name="Bearbeiten: Clusterpotenzial").click()
    check_a11y(page, "edit criterion")
    page.get_by_label("Gewichtung").fill("0,25")
    page.get_by_label("Name (Englisch)").fill("Cluster potential of the location")
    page.get_by_role("button", name="Kriterium speichern").click()
    assert page.get_by_text("Das Kriterium wurde gespeichert.").is_visible()
    assert page.get_by_role("cell", name="Cluster potential of the location").is_visible()
    assert page.get_by_text("Gesamtgewichtung: 1,05").is_visible()

    page.get_by_role("link", name="Zurück zum Wettbewerb").click()
    screenshot(page, "competition-admin")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Phase „Einreichung offen“ starten").click()
    assert page.get_by_text("Der Wettbewerb ist jetzt in der Phase „Einreichung offen“.").is_visible()
    check_a11y(page, "competition detail (open)")
    db.session.expire_all()
    competition = db.session.scalar(select(Competition).where(Competition.title == TITLE))
    assert competition.phase == "open"
    assert competition.submission_deadline.astimezone(ZoneInfo("Europe/Berlin")).hour == 12

    page.get_by_role("button", name="Abmelden").click()
    # The home page now teases the open call.
    assert page.get_by_role("link", name=TITLE).is_visible()
    check_a11y(page, "home with open call")
    page.get_by_role("link", name="Aufrufe", exact=True).click()
    check_a11y(page, "calls")
    page.get_by_role("link", name=TITLE).click()
    check_a11y(page, "call page")
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()
    assert page.locator("strong", has_text="Ideen für Unternehmensnetzwerke").is_visible()
    assert page.locator("main script").count() == 0
    assert page.get_by_role("rowheader", name=re.compile("Clusterpotenzial")).is_visible()
    assert page.get_by_role("cell", name=re.compile(r"^24\s%$")).is_visible()  # 0.25 of the total weight 1.05
    countdown = page.locator("[data-countdown-text]")
    assert re.fullmatch(r"(29|30) Tage, \d+ Stunden?, \d+ Minuten?", countdown.inner_text())
    assert deadline_local.strftime("%d.%m.%Y, 12:00 Uhr") in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Anmelden und teilnehmen").is_visible()
    screenshot(page, "call-page")


def test_countdown_script_announces_the_end_of_the_deadline(page, db, check_a11y):
    from tests.factories import CompetitionFactory, CriterionFactory

    competition = CompetitionFactory(title="Aufruf mit Countdown", submission_deadline=utcnow() + timedelta(hours=2))
    CriterionFactory(competition=competition)
    page.clock.install()
    page.goto(f"/calls/{competition.id}")
    assert re.fullmatch(r"1 Stunde, \d+ Minuten?", page.locator("[data-countdown-text]").inner_text())
    page.clock.fast_forward(2 * 3600 * 1000 + 60_000)
    assert page.get_by_text("Die Einreichungsfrist ist abgelaufen.").is_visible()
    assert page.get_by_role("link", name="Anmelden und teilnehmen").is_hidden()
    check_a11y(page, "call page after the deadline")
