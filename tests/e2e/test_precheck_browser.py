"""In a real browser: the administrator filters the proposal list, opens a proposal and pre-checks it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.time import utcnow
from app.extensions import db as _db
from app.proposals.models import ProposalPartner
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory

pytestmark = pytest.mark.e2e

RULES = ["Der Netzwerkträger hat seinen Sitz im Programmgebiet.",
         "Mindestens drei Partnerunternehmen aus dem Programmgebiet sind beteiligt."]


def _submitted(competition, number, sector, name, partners):
    proposal = ProposalFactory(competition=competition, status="submitted", sector=sector, network_name=name,
                               receipt_number=f"2002-001-{number:04d}", snapshot={"network_name": name},
                               submitted_at=utcnow() - timedelta(days=20 - number))
    for position, organisation in enumerate(partners):
        _db.session.add(ProposalPartner(proposal=proposal, position=position, organisation=organisation,
                                        town="Leipzig-Plagwitz", in_programme_area=True))
    _db.session.commit()
    return proposal


def test_admin_filters_list_opens_proposal_and_records_precheck(page, db, check_a11y, screenshot):
    admin = AdminFactory(email="vorpruefung@stadt.example")
    competition = CompetitionFactory(phase="precheck", eligibility_rules="\n".join(RULES),
                                     submission_deadline=utcnow() - timedelta(days=3))
    _submitted(competition, 1, "Automobilzulieferer", "Netzwerk Automobilzulieferer", ["Gießerei West GmbH"] * 3)
    _submitted(competition, 2, "Energie- und Umwelttechnik", "Netzwerk Energie- und Umwelttechnik",
               ["Solartechnik Plagwitz GmbH", "Heizungsbau Leutzsch GmbH"])
    _submitted(competition, 3, "Energie- und Umwelttechnik", "Solarverbund Westliche Vorstadt",
               ["A GmbH", "B GmbH", "C GmbH"])

    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(admin.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"/admin/competitions/{competition.id}/proposals")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Anträge")
    check_a11y(page, "proposal list")
    page.get_by_label("Branche").select_option("Energie- und Umwelttechnik")
    page.get_by_role("button", name="Filtern").click()
    assert page.get_by_text("2 Anträge entsprechen der Auswahl").is_visible()
    assert page.get_by_role("link", name="Netzwerk Automobilzulieferer", exact=True).count() == 0
    check_a11y(page, "filtered proposal list")
    screenshot(page, "proposal-list-admin")

    page.get_by_role("link", name="Netzwerk Energie- und Umwelttechnik", exact=True).click()
    assert page.get_by_text("Solartechnik Plagwitz GmbH").is_visible()
    check_a11y(page, "proposal detail")
    page.get_by_role("link", name="Vorprüfung erfassen").click()
    check_a11y(page, "pre-check form")

    page.get_by_role("group", name=RULES[0]).get_by_label("Erfüllt", exact=True).check()
    page.get_by_role("group", name=RULES[1]).get_by_label("Nicht erfüllt").check()
    page.get_by_role("group", name="Ergebnis der Vorprüfung").get_by_label("Nicht förderfähig").check()
    page.get_by_role("button", name="Vorprüfung speichern").click()
    # Refused without a reason: the answers stay and the error sits at the reason field.
    assert page.locator("#reason-error").inner_text() == "Bitte begründen Sie, warum der Antrag nicht förderfähig ist."
    assert page.get_by_role("group", name=RULES[1]).get_by_label("Nicht erfüllt").is_checked()
    check_a11y(page, "pre-check form with error")
    page.get_by_label("Begründung").fill("Nur zwei Partnerunternehmen benannt.")
    page.get_by_role("button", name="Vorprüfung speichern").click()

    assert page.get_by_text("Die Vorprüfung von 2002-001-0002 wurde gespeichert.").is_visible()
    row = page.get_by_role("row").filter(has_text="Netzwerk Energie- und Umwelttechnik")
    assert row.get_by_text("Nicht förderfähig").is_visible()
    check_a11y(page, "proposal list after pre-check")
