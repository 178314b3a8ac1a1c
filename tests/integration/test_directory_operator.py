"""Operator pages: only the operator (and administrators) manage a network; description, members, results posts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent, OutboxMessage
from app.directory.models import Network, NetworkMember, ResultsPost
from tests.builders.directory import awarded_proposal, funded_network, member, post
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

PAGES = ["/my/networks/{n}", "/my/networks/{n}/edit", "/my/networks/{n}/members/new",
         "/my/networks/{n}/members/{m}", "/my/networks/{n}/posts/new", "/my/networks/{n}/posts/{p}"]


@pytest.fixture
def operated(db):
    """A network with its operator, one member and one draft post."""
    operator = UserFactory(email="traeger@netzwerk.example")
    network = funded_network(operator=operator, published=False)
    row = member(network, "Werkzeugbau Lindenau GmbH", listed=False)
    draft = post(network, "Entwurf", status="draft")
    return operator, network, row, draft


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("other", 404), ("operator", 200), ("admin", 200)])
def test_operator_pages_access(client, login_as, operated, page, who, expected):
    operator, network, row, draft = operated
    if who == "operator":
        login_as(operator)
    elif who == "admin":
        login_as(AdminFactory())
    elif who == "other":
        login_as(UserFactory())
    response = client.get(page.format(n=network.id, m=row.id, p=draft.id))
    assert response.status_code == expected
    if who == "anonymous":
        assert "/login" in response.headers["Location"]


def test_my_networks_lists_what_the_user_operates(client, login_as, operated):
    operator, network, _row, _draft = operated
    funded_network(name="Fremdes Netzwerk")
    login_as(operator)
    body = client.get("/my/networks").get_data(as_text=True)
    assert network.name in body and "Fremdes Netzwerk" not in body


@pytest.mark.parametrize("page", ["/my/networks/999999", "/my/networks/{n}/members/999999",
                                  "/my/networks/{n}/posts/999999"])
def test_missing_objects_are_not_found(client, login_as, operated, page):
    operator, network, _row, _draft = operated
    login_as(operator)
    assert client.get(page.format(n=network.id)).status_code == 404


def test_members_and_posts_of_another_network_are_not_found_through_ones_own(client, db, login_as, operated):
    operator, network, _row, _draft = operated
    foreign = funded_network()
    foreign_member = member(foreign, "Fremd GmbH", listed=True)
    foreign_post = post(foreign, "Fremder Beitrag", status="draft")
    login_as(operator)
    assert client.get(f"/my/networks/{network.id}/members/{foreign_member.id}").status_code == 404
    assert client.get(f"/my/networks/{network.id}/posts/{foreign_post.id}").status_code == 404
    response = post_form(client, f"/my/networks/{network.id}/members/{foreign_member.id}/remove", {},
                         token_from=f"/my/networks/{network.id}")
    assert response.status_code == 404
    assert db.session.get(NetworkMember, foreign_member.id) is not None


def test_operator_edits_the_description(client, db, login_as, operated):
    operator, network, _row, _draft = operated
    login_as(operator)
    url = f"/my/networks/{network.id}/edit"
    response = post_form(client, url, {"summary": "Zulieferer bündeln ihre Kräfte.", "description": "**Neu**",
                                       "technology_fields": "CAD, Simulation; cad , Prüftechnik",
                                       "website": "https://netzwerk.example", "open_for_members": "y"})
    assert response.status_code == 302
    db.session.refresh(network)
    assert network.summary == "Zulieferer bündeln ihre Kräfte."
    assert network.technology_names == ["CAD", "Simulation", "Prüftechnik"]
    assert network.website == "https://netzwerk.example" and network.open_for_members
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "network.updated")).one()
    assert event.before["summary"] != event.after["summary"]


def test_edit_refuses_a_bad_website_and_keeps_the_input(client, db, login_as, operated):
    operator, network, _row, _draft = operated
    login_as(operator)
    response = post_form(client, f"/my/networks/{network.id}/edit",
                         {"summary": "Neue Kurzbeschreibung", "website": "javascript:alert(1)"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "https://" in body and 'value="Neue Kurzbeschreibung"' in body
    db.session.refresh(network)
    assert network.summary == "Zulieferer arbeiten zusammen."


def test_another_user_cannot_edit_the_network(client, db, login_as, operated):
    _operator, network, _row, _draft = operated
    login_as(UserFactory())
    response = post_form(client, f"/my/networks/{network.id}/edit", {"summary": "Gekapert"}, token_from="/")
    assert response.status_code == 404
    db.session.refresh(network)
    assert network.summary == "Zulieferer arbeiten zusammen."


# --- members ----------------------------------------------------------------------------------------


def test_import_partners_unlisted_without_contact_persons_and_only_once(client, db, login_as):
    operator = UserFactory()
    proposal = awarded_proposal(applicant=operator, partners=[
        ("Plagwitzer Präzisionsteile GmbH", "Leipzig-Plagwitz", "Metall"),
        ("Leutzscher Metallbau KG", "Leipzig-Leutzsch", "Metall")])
    network = Network(kind="funded", proposal=proposal, slug="naz", name="NAZ", summary="S", sector="Auto",
                      region="Leipzig", operator_name="T")
    db.session.add(network)
    db.session.commit()
    login_as(operator)
    url = f"/my/networks/{network.id}/members/import"
    assert post_form(client, url, {}, token_from=f"/my/networks/{network.id}").status_code == 302
    post_form(client, url, {}, token_from=f"/my/networks/{network.id}")
    members = db.session.scalars(select(NetworkMember).order_by(NetworkMember.company_name)).all()
    assert [(m.company_name, m.town, m.listed_consent, m.source) for m in members] == [
        ("Leutzscher Metallbau KG", "Leipzig-Leutzsch", False, "proposal"),
        ("Plagwitzer Präzisionsteile GmbH", "Leipzig-Plagwitz", False, "proposal")]
    page = client.get(f"/my/networks/{network.id}").get_data(as_text=True)
    assert "Erika Mustermann" not in page and "erika0@partner.example" not in page
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "network.partners_imported")) == 1


def test_operator_adds_edits_and_removes_a_member(client, db, login_as, operated):
    operator, network, _row, _draft = operated
    login_as(operator)
    response = post_form(client, f"/my/networks/{network.id}/members/new",
                         {"company_name": "Designstudio Formwerk", "town": "Leipzig", "listed_consent": "y"})
    assert response.status_code == 302
    added = db.session.scalars(select(NetworkMember).where(NetworkMember.company_name == "Designstudio Formwerk")).one()
    assert added.listed_consent and added.consent_recorded_at is not None

    post_form(client, f"/my/networks/{network.id}/members/{added.id}",
              {"company_name": "Designstudio Formwerk", "town": "Leipzig", "listed_consent": ""})
    db.session.refresh(added)
    assert added.listed_consent is False

    added_id = added.id
    post_form(client, f"/my/networks/{network.id}/members/{added_id}/remove", {},
              token_from=f"/my/networks/{network.id}")
    assert db.session.get(NetworkMember, added_id) is None
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("network.member%"))
                                      .order_by(AuditEvent.id)))
    assert actions == ["network.member_added", "network.member_updated", "network.member_removed"]


# --- results posts ----------------------------------------------------------------------------------


def test_post_flow_draft_submit_return_resubmit_approve(client, db, login_as):
    creator = AdminFactory(email="foerderstelle@stadt.example")
    operator = UserFactory(email="traeger@netzwerk.example")
    network = funded_network(operator=operator)
    network.created_by_id = creator.id
    db.session.commit()

    login_as(operator)
    response = post_form(client, f"/my/networks/{network.id}/posts/new",
                         {"title": "1. Leipziger Designertag", "event_date": "2003-05-24",
                          "body": "Vorträge und Ausstellung.", "save": "y"})
    assert response.status_code == 302
    entry = db.session.scalars(select(ResultsPost)).one()
    assert entry.status == "draft"
    assert "1. Leipziger Designertag" not in client.get(f"/networks/{network.slug}").get_data(as_text=True)

    post_form(client, f"/my/networks/{network.id}/posts/{entry.id}",
              {"title": "1. Leipziger Designertag", "event_date": "2003-05-24", "body": "Vorträge.", "submit": "y"})
    db.session.refresh(entry)
    assert entry.status == "submitted"
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "network_post_submitted"))
    assert mail.recipient == "foerderstelle@stadt.example" and f"/admin/networks/posts/{entry.id}" in mail.body

    # A submitted post can no longer be changed by the operator.
    refused = post_form(client, f"/my/networks/{network.id}/posts/{entry.id}",
                        {"title": "Geändert", "body": "X", "save": "y"}, token_from="/")
    assert refused.status_code == 200
    db.session.refresh(entry)
    assert entry.title == "1. Leipziger Designertag"

    post_form(client, "/logout", token_from="/")
    login_as(creator)
    url = f"/admin/networks/posts/{entry.id}"
    assert "Vorträge." in client.get(url).get_data(as_text=True)
    missing_reason = post_form(client, url, {"reason": "", "reject": "y"})
    assert missing_reason.status_code == 200
    post_form(client, url, {"reason": "Bitte nennen Sie die Zahl der Gäste.", "reject": "y"})
    db.session.refresh(entry)
    assert entry.status == "rejected" and entry.rejection_reason == "Bitte nennen Sie die Zahl der Gäste."
    [returned] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "network_post_rejected"))
    assert returned.recipient == "traeger@netzwerk.example" and "Zahl der Gäste" in returned.body

    post_form(client, "/logout", token_from="/")
    login_as(operator)
    post_form(client, f"/my/networks/{network.id}/posts/{entry.id}",
              {"title": "1. Leipziger Designertag", "body": "Vorträge vor 200 Gästen.", "submit": "y"})
    db.session.refresh(entry)
    assert entry.status == "submitted"

    post_form(client, "/logout", token_from="/")
    login_as(creator)
    post_form(client, url, {"approve": "y"})
    db.session.refresh(entry)
    assert entry.status == "approved" and entry.approved_at is not None
    assert db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.template == "network_post_approved")) == 1
    post_form(client, "/logout", token_from="/")
    assert "Vorträge vor 200 Gästen." in client.get(f"/networks/{network.slug}").get_data(as_text=True)
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("network.post%"))
                                      .order_by(AuditEvent.id)))
    assert actions == ["network.post_created", "network.post_updated", "network.post_submitted",
                       "network.post_rejected", "network.post_updated", "network.post_submitted",
                       "network.post_approved"]


def test_operator_cannot_open_the_admin_approval(client, db, login_as, operated):
    operator, network, _row, _draft = operated
    submitted = post(network, "Eingereicht", status="submitted")
    login_as(operator)
    assert client.get(f"/admin/networks/posts/{submitted.id}").status_code == 403
