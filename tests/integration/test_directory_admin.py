"""Administration of the directory: entries (external and from awards), publishing, access."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent, OutboxMessage
from app.directory.models import Network
from tests.builders.directory import awarded_proposal, external_network, funded_network, post
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

ADMIN_PAGES = ["/admin/networks", "/admin/networks/new", "/admin/networks/{n}/edit", "/admin/networks/posts",
               "/admin/networks/posts/{p}", "/admin/networks/messages"]
EXTERNAL = {"name": "Silicon Saxony", "summary": "Das Netzwerk der Halbleiterindustrie in Sachsen.",
            "description": "Verbindet Hersteller, Zulieferer und Hochschulen.", "sector": "Mikroelektronik",
            "technology_fields": "Halbleiter, Elektronik", "region": "Sachsen", "operator_name": "Silicon Saxony e. V.",
            "website": "http://www.silicon-saxony.net/", "contact_email": "", "external_status": "active"}


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("user", 403), ("operator", 403), ("admin", 200)])
def test_admin_pages_access(client, db, login_as, page, who, expected):
    operator = UserFactory()
    network = funded_network(operator=operator)
    submitted = post(network, "Eingereicht", status="submitted")
    if who == "operator":
        login_as(operator)
    elif who == "user":
        login_as(UserFactory())
    elif who == "admin":
        login_as(AdminFactory())
    response = client.get(page.format(n=network.id, p=submitted.id))
    assert response.status_code == expected
    if who == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", ["/admin/networks/999999/edit", "/admin/networks/posts/999999"])
def test_admin_missing_objects_are_not_found(client, db, login_as, page):
    login_as(AdminFactory())
    assert client.get(page).status_code == 404


def test_admin_enters_publishes_and_withdraws_an_external_network(client, db, login_as):
    login_as(AdminFactory())
    response = post_form(client, "/admin/networks/new", EXTERNAL)
    assert response.status_code == 302
    network = db.session.scalars(select(Network)).one()
    assert (network.kind, network.slug, network.published, network.status) == (
        "external", "silicon-saxony", False, "active")
    assert network.technology_names == ["Halbleiter", "Elektronik"]

    post_form(client, "/logout", token_from="/")
    assert client.get("/networks/silicon-saxony").status_code == 404
    login_as(AdminFactory())
    post_form(client, f"/admin/networks/{network.id}/publish", {}, token_from=f"/admin/networks/{network.id}/edit")
    db.session.refresh(network)
    assert network.published and network.published_at is not None
    post_form(client, "/logout", token_from="/")
    assert "Silicon Saxony" in client.get("/networks").get_data(as_text=True)

    login_as(AdminFactory())
    post_form(client, f"/admin/networks/{network.id}/unpublish", {}, token_from=f"/admin/networks/{network.id}/edit")
    db.session.refresh(network)
    assert not network.published
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("network.%"))
                                      .order_by(AuditEvent.id)))
    assert actions == ["network.created", "network.published", "network.unpublished"]


def test_missing_required_fields_are_refused_with_input_kept(client, db, login_as):
    login_as(AdminFactory())
    response = post_form(client, "/admin/networks/new", {**EXTERNAL, "sector": ""})
    assert response.status_code == 200
    assert 'value="Silicon Saxony"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Network.id))) == 0


def test_entry_from_an_awarded_proposal_is_prefilled_and_made_once(client, db, login_as):
    operator = UserFactory(email="traeger@netzwerk.example")
    proposal = awarded_proposal(applicant=operator, network_name="Netzwerk Virtuelle Produktentwicklung",
                                sector="Virtuelle Produktentwicklung", lead_name="VPE e.V.", lead_town="Leipzig",
                                keywords="CAD, Simulation", objectives="Gemeinsam entwickeln. Und mehr.")
    reserve = awarded_proposal(outcome="reserve", network_name="Nachrücker-Netzwerk")
    login_as(AdminFactory())
    listing = client.get("/admin/networks").get_data(as_text=True)
    assert "Netzwerk Virtuelle Produktentwicklung" in listing and "Nachrücker-Netzwerk" not in listing

    url = f"/admin/networks/from-proposal/{proposal.id}"
    assert post_form(client, url, {}, token_from="/admin/networks").status_code == 302
    network = db.session.scalars(select(Network)).one()
    assert (network.kind, network.proposal_id, network.name, network.sector, network.operator_name,
            network.region, network.summary, network.published) == (
        "funded", proposal.id, "Netzwerk Virtuelle Produktentwicklung", "Virtuelle Produktentwicklung",
        "VPE e.V.", "Leipzig", "Gemeinsam entwickeln.", False)
    assert network.technology_names == ["CAD", "Simulation"]
    assert network.is_operated_by(operator)

    post_form(client, url, {}, token_from="/admin/networks")
    post_form(client, f"/admin/networks/from-proposal/{reserve.id}", {}, token_from="/admin/networks")
    assert db.session.scalar(select(func.count(Network.id))) == 1


def test_publishing_a_funded_network_tells_the_operator(client, db, login_as):
    operator = UserFactory(email="traeger@netzwerk.example")
    network = funded_network(operator=operator, published=False)
    login_as(AdminFactory())
    post_form(client, f"/admin/networks/{network.id}/publish", {}, token_from=f"/admin/networks/{network.id}/edit")
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "network_published"))
    assert mail.recipient == "traeger@netzwerk.example"
    assert f"/networks/{network.slug}" in mail.body and f"/my/networks/{network.id}" in mail.body


def test_admin_edit_of_a_funded_network_ignores_external_only_fields(client, db, login_as):
    network = funded_network(contract_status="planning")
    login_as(AdminFactory())
    form = client.get(f"/admin/networks/{network.id}/edit").get_data(as_text=True)
    assert 'name="contact_email"' not in form
    # The browser sends only the fields the form shows.
    shown = {k: v for k, v in EXTERNAL.items() if k not in ("contact_email", "external_status")}
    assert post_form(client, f"/admin/networks/{network.id}/edit", {**shown, "name": "Umbenannt"}).status_code == 302
    post_form(client, f"/admin/networks/{network.id}/edit",
              {**EXTERNAL, "name": "Umbenannt", "contact_email": "x@y.example", "external_status": "inactive"})
    db.session.refresh(network)
    assert network.name == "Umbenannt" and network.contact_email == "" and network.status == "planning"
    assert network.slug.startswith("gefoerdert-")  # links keep working after a rename


def test_slugs_are_unique_and_avoid_reserved_paths(client, db, login_as):
    external_network(name="Silicon Saxony").slug = "silicon-saxony"
    db.session.commit()
    login_as(AdminFactory())
    post_form(client, "/admin/networks/new", EXTERNAL)
    post_form(client, "/admin/networks/new", {**EXTERNAL, "name": "Companies"})
    slugs = set(db.session.scalars(select(Network.slug)))
    assert {"silicon-saxony", "silicon-saxony-2", "companies-netzwerk"} <= slugs


def test_admin_list_counts_members_and_waiting_posts(client, db, login_as):
    from tests.builders.directory import member

    network = funded_network(name="Netzwerk mit Mitgliedern")
    member(network, "Gelistet GmbH", listed=True)
    member(network, "Ungelistet GmbH", listed=False)
    post(network, "Wartet", status="submitted")
    login_as(AdminFactory())
    body = client.get("/admin/networks").get_data(as_text=True)
    row = body[body.index("Netzwerk mit Mitgliedern"):]
    row = row[:row.index("</tr>")]
    assert "<td>2 (1)</td>" in row and "<td>1</td>" in row
    assert "1 wartet" in body
