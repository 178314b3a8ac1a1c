"""The contact form of a network page: stored, mailed to the operator through the outbox, rate-limited."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.models import AuditEvent, OutboxMessage
from app.directory.models import ContactMessage
from tests.builders.directory import external_network, funded_network
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

MESSAGE = {"name": "Petra Sommer", "email": "petra@modellbau.example", "organisation": "Modellbau Sommer",
           "message": "Wir bauen Prototypen und würden gern mit Ihrem Netzwerk zusammenarbeiten.", "consent": "y"}


def _send(client, network, data=None):
    return post_form(client, f"/networks/{network.slug}/contact", data or MESSAGE,
                     token_from=f"/networks/{network.slug}")


def test_contact_message_is_stored_and_mailed_to_the_operator_only(client, db):
    operator = UserFactory(email="traeger@netzwerk.example", locale="en")
    network = funded_network(operator=operator, name="Netzwerk Energie")
    response = _send(client, network)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ihre Nachricht wurde an den Netzwerkträger weitergeleitet" in page
    assert "traeger@netzwerk.example" not in page

    contact = db.session.scalars(select(ContactMessage)).one()
    assert (contact.network_id, contact.sender_email, contact.sender_organisation) == (
        network.id, "petra@modellbau.example", "Modellbau Sommer")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert contact.outbox_message_id == mail.id
    assert (mail.recipient, mail.template, mail.locale) == ("traeger@netzwerk.example", "network_contact", "en")
    assert mail.subject == "Contact request via the network directory: Netzwerk Energie"
    assert "petra@modellbau.example" in mail.body and "Wir bauen Prototypen" in mail.body
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "network.contact_message_sent")).one()
    assert "petra" not in str(event.after)  # the audit trail records that, not what or who


def test_external_network_contact_goes_to_its_hidden_address(client, db):
    network = external_network(contact_email="info@cluster.example")
    assert "info@cluster.example" not in client.get(f"/networks/{network.slug}").get_data(as_text=True)
    assert _send(client, network).status_code == 302
    assert db.session.scalars(select(OutboxMessage.recipient)).one() == "info@cluster.example"


def test_network_without_address_offers_no_contact_form(client, db):
    network = external_network(contact_email="", website="https://cluster.example")
    body = client.get(f"/networks/{network.slug}").get_data(as_text=True)
    assert 'name="message"' not in body and "https://cluster.example" in body
    response = client.post(f"/networks/{network.slug}/contact", data=MESSAGE)
    assert response.status_code in (400, 404)
    assert db.session.scalar(select(func.count(ContactMessage.id))) == 0


def test_invalid_message_keeps_the_input_and_sends_nothing(client, db):
    network = funded_network()
    response = _send(client, network, {**MESSAGE, "email": "keine-adresse", "consent": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Wir bauen Prototypen" in body and 'value="Petra Sommer"' in body
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(func.count(ContactMessage.id))) == 0


def test_honeypot_pretends_success_but_stores_nothing(client, db):
    network = funded_network()
    response = _send(client, network, {**MESSAGE, "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ContactMessage.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_contact_form_needs_a_csrf_token(client, db):
    network = funded_network()
    response = client.post(f"/networks/{network.slug}/contact", data=MESSAGE)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ContactMessage.id))) == 0


def test_contact_form_is_rate_limited_per_address(client, db):
    network = funded_network()
    token_page = client.get(f"/networks/{network.slug}").get_data(as_text=True)
    from tests.web import CSRF_RE

    match = CSRF_RE.search(token_page)
    token = match.group(1) or match.group(2)
    statuses = [client.post(f"/networks/{network.slug}/contact", data={**MESSAGE, "csrf_token": token}).status_code
                for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert db.session.scalar(select(func.count(ContactMessage.id))) == 5
    # Another visitor (another address) is not affected.
    other = client.post(f"/networks/{network.slug}/contact", data={**MESSAGE, "csrf_token": token},
                        environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 302


def test_admin_sees_contact_metadata_but_not_the_text(client, db, login_as):
    network = funded_network(name="Netzwerk Energie")
    _send(client, network)
    login_as(AdminFactory())
    body = client.get("/admin/networks/messages").get_data(as_text=True)
    assert "Netzwerk Energie" in body and "Modellbau Sommer" in body
    assert "Wir bauen Prototypen" not in body and "petra@modellbau.example" not in body
