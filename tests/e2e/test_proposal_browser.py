"""In a real browser (German UI): start a proposal, fill the sections, add partners, attach a file, check, submit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.proposals.models import Proposal
from tests.factories import CompetitionFactory, CriterionFactory, UserFactory

pytestmark = pytest.mark.e2e

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def assert_fits(page, where: str) -> None:
    """Nothing runs off the right edge: neither the page nor a table of the proposal inside its scroll box."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where
    clipped = page.locator(".proposal-section .table-responsive").evaluate_all(
        "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth).length")
    assert clipped == 0, where


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Speichern und weiter").click()


def test_applicant_drafts_checks_and_submits_a_proposal(page, db, tmp_path, check_a11y, screenshot):
    competition = CompetitionFactory(title="Ideenwettbewerb Leipziger Westen")
    CriterionFactory(competition=competition)
    user = UserFactory(name="Petra Netzwerk", email="petra@netzwerk-west.example", organisation="West GmbH")

    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Meine Anträge").click()
    check_a11y(page, "dashboard")
    assert page.get_by_text("Sie haben noch keinen Antrag begonnen.").is_visible()
    page.get_by_role("button", name=re.compile("Antrag beginnen")).click()

    # Network
    assert page.get_by_role("heading", name="Netzwerk", exact=True).is_visible()
    check_a11y(page, "section basics")
    page.get_by_label("Name des Netzwerks").fill("Netzwerk Medien West")
    page.get_by_label("Kurzname").fill("NMW")
    page.get_by_label("Branche").select_option("Medien")
    page.get_by_label("Art der Initiative").select_option("companies")
    page.get_by_label("Schlagworte").fill("Film, Ton, Postproduktion")
    save_and_continue(page)

    # Lead organisation: the contact is prefilled from the account
    assert page.get_by_label("Ansprechperson", exact=True).input_value() == "Petra Netzwerk"
    assert page.get_by_label("Name des Netzwerkträgers").input_value() == "West GmbH"
    check_a11y(page, "section lead")
    page.get_by_label("Straße und Hausnummer").fill("Karl-Heine-Straße 1")
    page.get_by_label("Postleitzahl").fill("04229")
    page.get_by_label("Ort", exact=True).fill("Leipzig")
    save_and_continue(page)

    # Partners: two rows, the second added with the button (no JavaScript needed)
    page.locator("#partners-0-organisation").fill("Tonstudio Plagwitz GmbH")
    page.locator("#partners-0-town").fill("Leipzig")
    page.locator("#partners-0-in_programme_area").check()
    page.locator("#partners-0-size").select_option("micro")
    page.get_by_role("button", name="Partner hinzufügen").click()
    assert page.get_by_text("Eine neue leere Zeile wurde hinzugefügt").is_visible()
    assert page.locator("#partners-0-organisation").input_value() == "Tonstudio Plagwitz GmbH"
    page.locator("#partners-1-organisation").fill("Filmschnitt Lindenau")
    page.locator("#partners-1-town").fill("Leipzig")
    page.locator("#partners-1-letter_of_intent").check()
    check_a11y(page, "section partners")
    screenshot(page, "proposal-form")
    save_and_continue(page)

    # Cluster potential and objectives
    page.get_by_label("Analyse des Clusterpotenzials").fill("Im Leipziger Westen arbeiten 40 Medienfirmen.\n\n"
                                                            "Sie teilen Technik und Kunden.")
    page.get_by_label("Ziele des Netzwerks").fill("Gemeinsame Akquise und ein geteiltes Studio.")
    save_and_continue(page)

    # Measures: German money format
    page.locator("#measures-0-title").fill("Gemeinsamer Messeauftritt")
    page.locator("#measures-0-period").fill("Monat 1 bis 6")
    page.locator("#measures-0-cost").fill("12.500,00")
    save_and_continue(page)

    # KPIs are left out for now: the completeness check must report them
    save_and_continue(page)

    # Duration and funding, with a malformed amount first
    check_a11y(page, "section finances")
    page.get_by_label("Laufzeit in Monaten").fill("24")
    page.get_by_label("Beantragte Förderung (EUR)").fill("240.000,0x")
    page.get_by_label("Eigenanteil (EUR)").fill("60.000,00")
    save_and_continue(page)
    assert page.locator("#requested_funding-error").get_by_text("Bitte geben Sie einen Betrag in Euro ein").is_visible()
    check_a11y(page, "finances with an error")
    page.get_by_label("Beantragte Förderung (EUR)").fill("240.000,00")
    save_and_continue(page)

    # Attachments
    pdf = tmp_path / "Absichtserklaerung.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Datei (PDF, Bild oder Office-Dokument, höchstens 10 MB)").set_input_files(str(pdf))
    page.get_by_role("button", name="Hochladen").click()
    assert page.get_by_text("Die Datei „Absichtserklaerung.pdf“ wurde angefügt.").is_visible()
    assert page.get_by_role("link", name="Absichtserklaerung.pdf").is_visible()
    check_a11y(page, "section attachments")

    # Completeness check: the KPI is missing, and the link leads to the field
    page.get_by_role("link", name="Weiter zur Prüfung vor dem Einreichen").click()
    assert page.get_by_role("heading", name="1 Angabe fehlt noch").is_visible()
    assert page.get_by_role("button", name="Antrag jetzt einreichen").count() == 0
    check_a11y(page, "review with gaps")
    page.get_by_role("link", name=re.compile("Mindestens eine Kennzahl")).click()
    assert page.url.endswith("/edit/kpis#kpis-0-indicator")
    page.locator("#kpis-0-indicator").fill("Partnerunternehmen im Netzwerk")
    page.locator("#kpis-0-unit").fill("Unternehmen")
    page.locator("#kpis-0-baseline").fill("2")
    page.locator("#kpis-0-target").fill("12")
    page.get_by_role("button", name="Speichern", exact=True).click()
    assert page.get_by_text("wurde gespeichert").is_visible()

    # Complete now: submit (the browser asks for confirmation first)
    page.get_by_role("link", name="Prüfen und einreichen").click()
    assert page.get_by_role("heading", name="Ihr Antrag ist vollständig").is_visible()
    check_a11y(page, "review complete")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Antrag jetzt einreichen").click()

    db.session.expire_all()
    proposal = db.session.scalar(select(Proposal))
    assert proposal.status == "submitted"
    receipt = proposal.receipt_number
    assert re.fullmatch(rf"\d{{4}}-{competition.id:03d}-0001", receipt)
    assert page.get_by_text(f"Ihre Eingangsnummer lautet {receipt}").is_visible()
    assert page.locator("#receipt-number").inner_text() == receipt
    assert page.get_by_text("Tonstudio Plagwitz GmbH").is_visible()
    assert_fits(page, "receipt at 1280 px")
    check_a11y(page, "receipt")
    screenshot(page, "proposal-receipt")

    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_submitted"))
    assert mail.recipient == user.email
    assert receipt in mail.subject and "240.000,00" in mail.body

    page.get_by_role("link", name="Druckfassung").click()
    assert page.get_by_text(receipt).first.is_visible()
    check_a11y(page, "print version")
    page.get_by_role("link", name="Zurück zum Antrag").click()
    page.get_by_role("navigation", name="Brotkrumennavigation").get_by_role("link", name="Meine Anträge").click()
    card = page.locator("#my-proposals li", has_text=receipt)
    assert card.get_by_text("Eingereicht – formale Vorprüfung läuft").is_visible()
    check_a11y(page, "dashboard after submission")

    # On a phone: the list and the receipt page fit the screen, the partner table included.
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page, "my proposals at 390 px")
    assert card.get_by_role("link", name="Details und Schreiben").is_visible()
    page.goto(f"/proposals/{proposal.id}")
    assert_fits(page, "receipt at 390 px")
    assert page.get_by_text("Tonstudio Plagwitz GmbH").is_visible()
