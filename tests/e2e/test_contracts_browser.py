"""In a real browser: the operator reports with evidence, the admin verifies, sees the calculation
and the split, and releases the payment; a double click pays once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.contracts.models import Payment, ProgressReport
from tests.builders.contracts import awarded_decision, worked_example_contract
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
def test_report_verify_release_cycle(page, db, check_a11y, screenshot, log_in):
    admin = AdminFactory(email="vogel@stadt-leipzig.example", name="Katrin Vogel")
    contract, members = worked_example_contract(admin)
    operator = contract.proposal.applicant

    # The operator reports the achieved value with evidence.
    log_in(page, operator.email)
    page.get_by_role("link", name="Meine Verträge").click()
    check_a11y(page, "operator contracts")
    page.get_by_role("link", name=contract.title).click()
    check_a11y(page, "operator contract page")
    page.get_by_role("link", name=re.compile(r"Fortschritt berichten\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(page, "report form")
    page.get_by_label("Istwert").fill("20,5x")
    page.get_by_label("Nachweis", exact=True).fill("Mitgliederliste mit 20 Unternehmen.")
    page.get_by_role("button", name="Bericht einreichen").click()
    assert "Bitte geben Sie eine Zahl ein" in page.locator("#achieved-error").inner_text()  # at its field
    check_a11y(page, "report form with errors")
    assert page.get_by_label("Nachweis", exact=True).input_value() == "Mitgliederliste mit 20 Unternehmen."
    page.get_by_label("Istwert").fill("20")
    page.get_by_label("Nachweisdateien").set_input_files(
        {"name": "Mitgliederliste.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Bericht einreichen").click()
    assert page.get_by_text("Ihr Bericht wurde eingereicht").is_visible()
    page.get_by_role("button", name="Abmelden").click()

    # The administrator verifies it, sees the calculation and the split, and releases once.
    log_in(page, admin.email)
    page.goto("/admin/contracts")
    check_a11y(page, "portfolio")
    assert page.get_by_text("1 Bericht wartet auf Prüfung.").is_visible()
    page.get_by_role("link", name=contract.title).click()
    page.get_by_role("link", name=re.compile(r"Bericht prüfen\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(page, "verify report")
    assert page.get_by_role("link", name="Mitgliederliste.pdf").is_visible()
    page.get_by_role("button", name="Bericht anerkennen").click()
    assert page.get_by_text("Der Bericht wurde anerkannt.").is_visible()
    page.get_by_role("link", name=re.compile(r"Auszahlung freigeben\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(page, "payment release")
    calculation = page.locator("#calculation")
    assert calculation.get_by_role("row", name=re.compile("Zielerreichung r")).get_by_text("0,75 (75 %)").is_visible()
    assert calculation.get_by_role("row", name=re.compile("Auszahlung")).get_by_text("45.000,00 €").is_visible()
    split = page.locator("#split")
    assert split.get_by_text("33.750,00 €").is_visible() and split.get_by_text("11.250,00 €").is_visible()
    screenshot(page, "payment-release")

    button = page.get_by_role("button", name="Auszahlung von 45.000,00 € freigeben")
    button.dblclick()
    page.wait_for_url(re.compile(rf"/admin/contracts/{contract.id}(#payments)?$"))
    page.wait_for_load_state("networkidle")
    assert page.locator("#payments").get_by_text("45.000,00 €").first.is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Payment.id))) == 1
    assert db.session.scalar(select(ProgressReport.status)) == "accepted"

    # The same release page now says it was released and offers no button.
    page.goto(f"/admin/contracts/{contract.id}/milestones/{members.id}/release")
    assert page.get_by_text("kann nicht erneut freigegeben werden").is_visible()
    assert page.get_by_role("button", name=re.compile("freigeben")).count() == 0

    page.goto(f"/admin/contracts/{contract.id}")
    check_a11y(page, "admin contract page")
    assert page.get_by_role("img", name="Zeitplan: geplante und tatsächliche Termine").is_visible()
    screenshot(page, "contract-page")


def test_admin_records_and_signs_a_contract(page, db, check_a11y, screenshot, log_in):
    admin = AdminFactory(email="kessler@stadt-leipzig.example", name="Thomas Kessler")
    awarded_decision(network_name="Netzwerk Automobilzulieferer Leipziger Westen", requested_cents=24_000_000)
    log_in(page, admin.email)
    page.goto("/admin/contracts")
    page.get_by_role("link", name=re.compile("Vertrag anlegen")).click()
    check_a11y(page, "create contract")
    page.get_by_label("Fester Anteil (EUR)").fill("40.000,00")
    page.get_by_role("button", name="Vertrag anlegen").click()
    assert page.get_by_text("wurde angelegt").is_visible()
    check_a11y(page, "new contract page")

    page.get_by_role("link", name="Finanzierungsanteile").click()
    check_a11y(page, "funding shares")
    page.get_by_label("Anteil in % 2").fill("15")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Die Anteile ergeben zusammen 90").is_visible()
    check_a11y(page, "funding shares refused")
    page.get_by_label("Anteil in % 2").fill("25")
    page.get_by_role("button", name="Speichern").click()

    page.get_by_role("link", name="Meilenstein hinzufügen").click()
    check_a11y(page, "milestone form")
    page.get_by_label("Kennzahl (was gemessen wird)").fill("Mitgliedsunternehmen")
    page.get_by_label("Einheit").fill("Unternehmen")
    page.get_by_label("Ausgangswert").fill("5")
    page.get_by_label("Zielwert").fill("25")
    page.get_by_label("Fälligkeit").fill("2003-11-01")
    page.get_by_label("Tranche (EUR)").fill("200.000,00")
    page.get_by_role("button", name="Meilenstein speichern").click()
    assert page.get_by_text("Der Meilenstein wurde hinzugefügt.").is_visible()

    page.get_by_role("link", name="Beträge und Tranchen").click()
    check_a11y(page, "amounts")
    page.get_by_role("link", name=re.compile(r"^NW-")).click()
    page.get_by_role("link", name="Projektteam").first.click()
    check_a11y(page, "project team")
    page.get_by_label("Name 1").fill("Dr. Katrin Vogel")
    page.get_by_label("Rolle 1").fill("Projektleitung")
    page.get_by_role("button", name="Speichern").click()

    page.get_by_role("button", name="Unterzeichnung erfassen").click()
    assert page.get_by_text("Die Unterzeichnung wurde erfasst.").is_visible()
    check_a11y(page, "signed contract")
    assert page.get_by_text("Dr. Katrin Vogel – Projektleitung").is_visible()
