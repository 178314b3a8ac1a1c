"""In a real browser: a visitor searches the directory and contacts a network; a company asks to join
and the operator accepts it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.directory.models import ContactMessage, NetworkMember
from tests.builders.directory import external_network, funded_network, member, post
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

def _directory(db):
    operator = UserFactory(email="traeger@vpe.example", name="Claudia Neumann")
    network = funded_network(
        operator=operator, name="Netzwerk Virtuelle Produktentwicklung", sector="Virtuelle Produktentwicklung",
        fields=("CAD", "Simulation", "Produktdesign"), contract_status="implementation",
        summary="Ingenieurbüros, Designer und Modellbauer entwickeln Produkte gemeinsam.",
        description="Eine geteilte **CAD- und Simulationsplattform** und ein gemeinsamer Marktauftritt.")
    member(network, "Designstudio Formwerk Lindenau", listed=True, town="Leipzig-Lindenau", sector="Design",
           website="https://formwerk.example")
    member(network, "Verschwiegene Modellbau GmbH", listed=False)
    post(network, "1. Leipziger Designertag", body="Vorträge, Ausstellung und Gespräche mit Unternehmen.")
    funded_network(name="Netzwerk Automobilzulieferer Leipziger Westen", sector="Automobilzulieferer",
                   fields=("Metallverarbeitung",), contract_status="implementation")
    external_network(name="Silicon Saxony", sector="Mikroelektronik und Halbleiter", region="Sachsen",
                     fields=("Halbleiter",), website="http://www.silicon-saxony.net/")
    external_network(name="Biosaxony", sector="Biotechnologie", region="Sachsen", fields=("Biotechnologie",))
    return operator, network


def test_visitor_searches_and_contacts_a_company_joins_and_the_operator_accepts(page, db, check_a11y, screenshot,
                                                                                log_in):
    operator, network = _directory(db)
    company = UserFactory(email="post@kreativwerk.example", name="Julia Fischer",
                          organisation="Kreativwerk Plagwitz UG")

    # A visitor searches by sector and text.
    page.goto("/")
    page.get_by_role("link", name="Netzwerkverzeichnis").first.click()
    check_a11y(page, "directory")
    assert page.get_by_role("heading", name="4 Netzwerke gefunden").is_visible()
    page.get_by_label("Branche").select_option("Virtuelle Produktentwicklung")
    page.get_by_role("button", name="Suchen").click()
    assert page.get_by_role("heading", name="1 Netzwerk gefunden").is_visible()
    page.get_by_label("Name, Beschreibung oder Technologiefeld suchen").fill("simulation")
    page.get_by_role("button", name="Suchen").click()
    assert page.get_by_role("link", name="Netzwerk Virtuelle Produktentwicklung").is_visible()
    assert page.get_by_role("link", name="Silicon Saxony").count() == 0
    check_a11y(page, "directory filtered")
    screenshot(page, "directory")

    # ... opens the network and sends a message; the operator's address never appears.
    page.get_by_role("link", name="Netzwerk Virtuelle Produktentwicklung").click()
    check_a11y(page, "network page")
    assert page.get_by_role("heading", name="1. Leipziger Designertag").is_visible()
    assert page.get_by_role("rowheader", name="Designstudio Formwerk Lindenau").is_visible()
    assert page.get_by_text("Verschwiegene Modellbau GmbH").count() == 0
    assert "traeger@vpe.example" not in page.content()
    screenshot(page, "network-page")
    page.get_by_label("Ihr Name").fill("Petra Sommer")
    page.get_by_label("Ihre E-Mail-Adresse (für die Antwort)").fill("petra@modellbau.example")
    page.get_by_label("Nachricht", exact=True).fill("Kurz")
    page.get_by_role("button", name="Nachricht senden").click()
    assert page.get_by_text("Bitte stimmen Sie zu").is_visible()  # refused: too short, no consent
    check_a11y(page, "contact form with errors")
    assert page.get_by_label("Ihr Name").input_value() == "Petra Sommer"
    page.get_by_label("Nachricht", exact=True).fill("Wir bauen Prototypen und möchten mit Ihnen zusammenarbeiten.")
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Nachricht senden").click()
    assert page.get_by_text("Ihre Nachricht wurde an den Netzwerkträger weitergeleitet").is_visible()
    db.session.expire_all()
    assert db.session.scalars(select(ContactMessage.sender_email)).one() == "petra@modellbau.example"
    assert db.session.scalars(select(OutboxMessage.recipient)
                              .where(OutboxMessage.template == "network_contact")).one() == "traeger@vpe.example"

    # A registered company asks to join.
    log_in(page, company.email)
    page.goto(f"/networks/{network.slug}")
    page.get_by_role("link", name="Mitgliedschaft anfragen").click()
    check_a11y(page, "join request form")
    assert page.get_by_label("Unternehmen", exact=True).input_value() == "Kreativwerk Plagwitz UG"
    page.get_by_label("Ort", exact=True).fill("Leipzig-Plagwitz")
    page.get_by_label("Warum möchten Sie beitreten? (optional)").fill("Wir gestalten Ausstellungen und Messestände.")
    page.get_by_label("Wenn wir aufgenommen werden").check()
    page.get_by_role("button", name="Mitgliedsanfrage senden").click()
    assert page.get_by_text("Ihre Mitgliedsanfrage wurde gesendet").is_visible()
    page.get_by_role("button", name="Abmelden").click()

    # The operator accepts it.
    log_in(page, operator.email)
    page.goto("/networks")
    page.get_by_role("link", name="Meine Netzwerke und Mitgliedsanfragen").click()
    check_a11y(page, "my networks")
    page.get_by_role("link", name="Netzwerk Virtuelle Produktentwicklung").click()
    check_a11y(page, "operator network page")
    page.get_by_role("link", name="Antworten – Kreativwerk Plagwitz UG").click()
    check_a11y(page, "join request")
    assert page.get_by_text("Wir gestalten Ausstellungen und Messestände.").is_visible()
    page.get_by_label("Nachricht an das Unternehmen").fill("Herzlich willkommen im Netzwerk!")
    page.get_by_role("button", name="Anfrage annehmen").click()
    assert page.get_by_text("Kreativwerk Plagwitz UG ist jetzt Mitglied des Netzwerks.").is_visible()
    check_a11y(page, "operator network page after accepting")
    db.session.expire_all()
    joined = db.session.scalars(select(NetworkMember).where(NetworkMember.company_name == "Kreativwerk Plagwitz UG"))
    assert joined.one().listed_consent is True
    welcome = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "join_accepted")).one()
    assert welcome.recipient == "post@kreativwerk.example" and "Herzlich willkommen" in welcome.body

    page.get_by_role("button", name="Abmelden").click()
    page.goto(f"/networks/{network.slug}")
    assert page.get_by_role("rowheader", name="Kreativwerk Plagwitz UG").is_visible()
