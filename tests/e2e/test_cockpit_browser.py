"""In a real browser: the administrator lands on the cockpit and meets the safeguards before harm is done."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import utcnow
from tests.builders.jury import pool_proposal
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_admin_lands_on_the_cockpit_and_is_warned_before_harm(page, db, log_in, check_a11y, screenshot):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="open", submission_deadline=utcnow() + timedelta(days=5))
    ProposalFactory(competition=competition, network_name="Gastronomie-Netzwerk West",
                    lead_name="Gasthaus am Kanal GmbH")
    pool_proposal(competition, eligibility=None)
    UserFactory(name="Paul Wirt", organisation="Gasthaus am Kanal", email="wirt@gasthaus.example")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, admin.email)
    page.wait_for_url(f"**/admin/competitions/{competition.id}/cockpit")
    assert page.get_by_role("heading", name="Nächster Schritt").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    check_a11y(page, "cockpit")
    screenshot(page, "admin-cockpit", jpeg=True)
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Einreichungen verfolgen").click()
    page.wait_for_url(f"**/admin/competitions/{competition.id}/proposals")

    # (b) the deadline moved into the past names the open draft and waits for a confirmation
    page.goto(f"/admin/competitions/{competition.id}/edit")
    page.get_by_label("Einreichungsfrist", exact=True).fill(
        (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Änderungen speichern").click()
    assert page.get_by_text("Gastronomie-Netzwerk West", exact=False).is_visible()
    check_a11y(page, "deadline confirmation")

    # (a) a juror from the lead organisation: warned at once, the conflict proposed
    page.goto(f"/admin/competitions/{competition.id}/jury")
    page.get_by_label("E-Mail-Adresse").fill("wirt@gasthaus.example")
    page.get_by_role("button", name="In die Jury berufen").click()
    page.wait_for_url("**/proposed-conflicts")
    assert page.get_by_text("Warnung: Paul Wirt ist mit 1 Bewerbung", exact=False).is_visible()
    check_a11y(page, "proposed conflicts")
    page.get_by_role("button", name="Ausgewählte Befangenheiten erfassen").click()
    page.wait_for_url(f"**/admin/competitions/{competition.id}/conflicts")
    assert page.get_by_text("1 Befangenheit wurde erfasst.").is_visible()
