"""In a real browser: a juror signs the declaration and declares a conflict; the admin assigns automatically."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.jury.models import Assignment, Conflict
from tests.builders.jury import juror, pool_proposal, review_competition
from tests.factories import AdminFactory, CriterionFactory

pytestmark = pytest.mark.e2e


def _log_out(page) -> None:
    page.get_by_role("button", name="Abmelden").click()


def test_juror_declares_a_conflict_and_admin_assigns_automatically(page, db, check_a11y, screenshot, log_in):
    admin = AdminFactory(name="Katrin Vogel")
    competition = review_competition(reviews_per_proposal=2, title="Ideenwettbewerb Netzwerke West")
    CriterionFactory(competition=competition)
    conflicted = pool_proposal(competition, network_name="Netzwerk Gießerei", lead_name="Gießerei West GmbH")
    pool_proposal(competition, network_name="Netzwerk Medienhof", sector="Medien")
    pool_proposal(competition, network_name="Netzwerk Radwerk", sector="Logistik")
    member = juror(competition, signed=False, name="Jana Jury", email="jana@jury.example")
    juror(competition, name="Bernd Beirat")
    juror(competition, name="Carla Chen")

    log_in(page, member.email)
    page.goto(f"/jury/competitions/{competition.id}/conflicts")
    # Before signing, the juror is sent to the declaration and sees no proposal.
    assert page.get_by_role("heading", name="Vertraulichkeits- und Unbefangenheitserklärung").is_visible()
    assert page.get_by_text("Netzwerk Gießerei").count() == 0
    check_a11y(page, "declaration")
    page.get_by_role("checkbox", name="Medien").check()
    page.get_by_label("Stichworte zu Ihrer Fachkenntnis").fill("Film, Verlag")
    page.get_by_role("button", name="Fachkenntnis speichern").click()
    assert page.get_by_text("Ihre Fachkenntnis wurde gespeichert.").is_visible()
    page.get_by_role("button", name="Erklärung unterzeichnen").click()
    assert page.get_by_text("Bitte bestätigen Sie, dass Sie der Erklärung zustimmen.").is_visible()
    check_a11y(page, "declaration with error")
    page.get_by_label("Ich habe die Erklärung gelesen und stimme ihr zu.").check()
    page.get_by_role("button", name="Erklärung unterzeichnen").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Befangenheiten")
    assert page.get_by_text("Gießerei West GmbH").is_visible()
    check_a11y(page, "conflicts")
    page.get_by_role("button", name="Befangenheit erklären – Netzwerk Gießerei").click()
    assert page.get_by_text("Bitte geben Sie einen Grund an.").is_visible()  # a reason is required
    page.get_by_label("Begründung der Befangenheit – Netzwerk Gießerei").fill("Mein Bruder leitet die Gießerei.")
    page.get_by_role("button", name="Befangenheit erklären – Netzwerk Gießerei").click()
    assert page.get_by_text("Ihre Befangenheit bei „Netzwerk Gießerei“ wurde erfasst.").is_visible()
    check_a11y(page, "conflicts after declaring")
    _log_out(page)

    log_in(page, admin.email)
    page.goto(f"/admin/competitions/{competition.id}/conflicts")
    assert page.get_by_role("cell", name="Mein Bruder leitet die Gießerei.").is_visible()
    check_a11y(page, "admin conflicts")
    page.get_by_role("link", name="Zuweisung", exact=True).click()
    check_a11y(page, "assignment before")
    page.get_by_role("button", name="Automatisch zuweisen").click()
    assert page.get_by_text("Automatische Zuweisung abgeschlossen: 6 neue Zuweisungen.").is_visible()
    loads = page.locator("#juror-loads tbody tr")
    assert loads.count() == 3
    assert sorted(int(loads.nth(i).locator("td").first.inner_text()) for i in range(3)) == [2, 2, 2]
    check_a11y(page, "assignment after")
    screenshot(page, "jury-assignment")

    db.session.expire_all()
    stored = {(a.user_id, a.proposal_id) for a in db.session.scalars(select(Assignment))}
    assert (member.id, conflicted.id) not in stored and len(stored) == 6
    assert db.session.scalar(select(Conflict.reason)) == "Mein Bruder leitet die Gießerei."

    page.get_by_role("link", name="Jurymitglieder").click()
    assert page.get_by_role("row", name="Jana Jury").is_visible()
    check_a11y(page, "jury members")
    page.get_by_role("link", name="Stand der Bewertung").click()
    check_a11y(page, "progress")
