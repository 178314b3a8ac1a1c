"""Join requests: a registered company asks, the operator accepts or declines, both sides hear by mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent, OutboxMessage
from app.directory.models import JoinRequest, NetworkMember
from app.extensions import db as _db
from tests.builders.directory import funded_network
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

REQUEST = {"company_name": "Kreativwerk Plagwitz UG", "town": "Leipzig-Plagwitz", "sector": "Design",
           "website": "https://kreativwerk.example", "message": "Wir möchten mitmachen.", "listing_consent": "y"}


def _mails(db, template: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)))


def _ask(client, network, data=None, token_from=None):
    return post_form(client, f"/networks/{network.slug}/join", data or REQUEST, token_from=token_from)


def test_anonymous_visitor_is_sent_to_login(client, db):
    network = funded_network()
    response = client.get(f"/networks/{network.slug}/join")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_company_asks_and_the_operator_is_mailed(client, db, login_as):
    operator = UserFactory(email="traeger@netzwerk.example")
    network = funded_network(operator=operator, name="Netzwerk VPE")
    company = login_as(UserFactory(organisation="Kreativwerk Plagwitz UG"))
    form = client.get(f"/networks/{network.slug}/join").get_data(as_text=True)
    assert 'value="Kreativwerk Plagwitz UG"' in form  # prefilled from the profile
    assert _ask(client, network).status_code == 302

    request = db.session.scalars(select(JoinRequest)).one()
    assert (request.user_id, request.status, request.listing_consent) == (company.id, "pending", True)
    [mail] = _mails(db, "join_requested")
    assert mail.recipient == "traeger@netzwerk.example"
    assert "Kreativwerk Plagwitz UG" in mail.subject
    assert f"/my/networks/{network.id}/join-requests/{request.id}" in mail.body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "network.join_requested")) is not None
    page = client.get(f"/networks/{network.slug}").get_data(as_text=True)
    assert "Sie haben eine Mitgliedsanfrage gestellt" in page


def test_second_open_request_is_refused(client, db, login_as):
    network = funded_network()
    login_as(UserFactory())
    _ask(client, network)
    response = _ask(client, network)
    assert response.status_code == 200
    assert "bereits eine Mitgliedsanfrage" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JoinRequest.id))) == 1


@pytest.mark.parametrize("change", ["closed", "unpublished"])
def test_closed_or_unpublished_networks_take_no_requests(client, db, login_as, change):
    network = funded_network(open_for_members=change != "closed", published=change != "unpublished")
    login_as(UserFactory())
    response = _ask(client, network, token_from="/")
    assert response.status_code == (302 if change == "closed" else 404)
    assert db.session.scalar(select(func.count(JoinRequest.id))) == 0


def test_operator_cannot_ask_to_join_their_own_network(client, db, login_as):
    operator = login_as(UserFactory())
    network = funded_network(operator=operator)
    response = _ask(client, network)
    assert "Sie sind selbst Träger dieses Netzwerks." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JoinRequest.id))) == 0


def _log_out(client) -> None:
    assert post_form(client, "/logout", token_from="/").status_code == 302


def _pending_request(client, login_as, network, consent: bool = True) -> JoinRequest:
    """A company's open request; the company is logged out afterwards."""
    company = login_as(UserFactory(email="firma@kreativwerk.example"))
    _ask(client, network, {**REQUEST, "listing_consent": "y" if consent else ""})
    _log_out(client)
    return _db.session.scalars(select(JoinRequest).where(JoinRequest.user_id == company.id)).one()


def test_operator_accepts_and_the_company_becomes_a_listed_member(client, db, login_as):
    operator = UserFactory()
    network = funded_network(operator=operator)
    request = _pending_request(client, login_as, network)
    login_as(operator)
    url = f"/my/networks/{network.id}/join-requests/{request.id}"
    assert "Kreativwerk Plagwitz UG" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"response_message": "Willkommen!", "accept": "y"})
    assert response.status_code == 302

    db.session.refresh(request)
    member = db.session.scalars(select(NetworkMember)).one()
    assert request.status == "accepted" and request.member_id == member.id
    assert (member.company_name, member.user_id, member.listed_consent, member.source) == (
        "Kreativwerk Plagwitz UG", request.user_id, True, "join_request")
    [mail] = _mails(db, "join_accepted")
    assert mail.recipient == "firma@kreativwerk.example" and "Willkommen!" in mail.body
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"network.join_accepted", "network.member_added"} <= actions
    _log_out(client)
    assert "Kreativwerk Plagwitz UG" in client.get(f"/networks/{network.slug}").get_data(as_text=True)


def test_accepted_without_consent_is_not_listed_until_the_company_agrees(client, db, login_as):
    operator = UserFactory()
    network = funded_network(operator=operator)
    request = _pending_request(client, login_as, network, consent=False)
    login_as(operator)
    post_form(client, f"/my/networks/{network.id}/join-requests/{request.id}", {"accept": "y"})
    _log_out(client)
    assert "Kreativwerk Plagwitz UG" not in client.get(f"/networks/{network.slug}").get_data(as_text=True)

    member = db.session.scalars(select(NetworkMember)).one()
    login_as(request.user)
    response = post_form(client, f"/my/memberships/{member.id}/consent", {"listed": "1"}, token_from="/my/networks")
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.listed_consent is True
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "network.member_consent_changed"))
    _log_out(client)
    assert "Kreativwerk Plagwitz UG" in client.get(f"/networks/{network.slug}").get_data(as_text=True)


def test_decline_needs_a_message_and_mails_it(client, db, login_as):
    operator = UserFactory()
    network = funded_network(operator=operator)
    request = _pending_request(client, login_as, network)
    login_as(operator)
    url = f"/my/networks/{network.id}/join-requests/{request.id}"
    refused = post_form(client, url, {"response_message": "", "decline": "y"})
    assert refused.status_code == 200
    assert "warum Sie ablehnen" in refused.get_data(as_text=True)
    db.session.refresh(request)
    assert request.status == "pending" and _mails(db, "join_declined") == []

    post_form(client, url, {"response_message": "Wir suchen derzeit nur Zulieferer.", "decline": "y"})
    db.session.refresh(request)
    assert request.status == "declined"
    assert db.session.scalar(select(func.count(NetworkMember.id))) == 0
    [mail] = _mails(db, "join_declined")
    assert "Wir suchen derzeit nur Zulieferer." in mail.body
    # An answered request cannot be answered again.
    post_form(client, url, {"response_message": "Doch!", "accept": "y"})
    db.session.refresh(request)
    assert request.status == "declined"


@pytest.mark.parametrize("who,expected", [("other", 404), ("admin", 200)])
def test_only_operator_or_admin_sees_a_join_request(client, db, login_as, who, expected):
    network = funded_network()
    request = _pending_request(client, login_as, network)
    login_as(AdminFactory() if who == "admin" else UserFactory())
    assert client.get(f"/my/networks/{network.id}/join-requests/{request.id}").status_code == expected


def test_join_request_of_another_network_is_not_found(client, db, login_as):
    operator = UserFactory()
    own = funded_network(operator=operator)
    foreign = funded_network()
    request = _pending_request(client, login_as, foreign)
    login_as(operator)
    assert client.get(f"/my/networks/{own.id}/join-requests/{request.id}").status_code == 404


def test_someone_elses_membership_consent_is_not_found(client, db, login_as):
    network = funded_network()
    member = NetworkMember(network=network, company_name="Fremd GmbH", user_id=UserFactory().id, source="manual")
    db.session.add(member)
    db.session.commit()
    login_as(UserFactory())
    response = post_form(client, f"/my/memberships/{member.id}/consent", {"listed": "1"}, token_from="/my/networks")
    assert response.status_code == 404
