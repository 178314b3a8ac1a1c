"""The public directory: what visitors see, search and filters, the companies page, statement counts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from tests.builders.directory import external_network, funded_network, member, post
from tests.factories import AdminFactory, UserFactory


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _listed_names(body: str) -> list[str]:
    """The network names shown as results on the directory page, in order."""
    return re.findall(r'<h3 class="h5 card-title" id="network-\d+">\s*<a href="[^"]+">([^<]+)</a>', body)


# --- visibility -----------------------------------------------------------------------------------


def test_visitor_sees_only_published_networks(client, db):
    funded_network(name="Netzwerk Automobilzulieferer")
    external_network(name="Silicon Saxony")
    hidden = funded_network(name="Geheimes Netzwerk", published=False)
    body = _body(client, "/networks")
    assert _listed_names(body) == ["Netzwerk Automobilzulieferer", "Silicon Saxony"]
    assert "Geheimes Netzwerk" not in body
    assert client.get(f"/networks/{hidden.slug}").status_code == 404
    assert client.get("/networks/gibt-es-nicht").status_code == 404


def test_network_page_shows_only_listed_members_and_approved_posts(client, db):
    network = funded_network(name="Netzwerk Virtuelle Produktentwicklung")
    member(network, "Designstudio Formwerk", listed=True, website="https://formwerk.example")
    member(network, "Verschwiegene GmbH", listed=False)
    post(network, "1. Leipziger Designertag", status="approved")
    post(network, "Entwurf eines Beitrags", status="draft")
    post(network, "Eingereichter Beitrag", status="submitted")
    post(network, "Zurückgegebener Beitrag", status="rejected")
    body = _body(client, f"/networks/{network.slug}")
    assert "Designstudio Formwerk" in body and 'href="https://formwerk.example"' in body
    assert "1. Leipziger Designertag" in body
    for hidden in ("Verschwiegene GmbH", "Entwurf eines Beitrags", "Eingereichter Beitrag", "Zurückgegebener Beitrag"):
        assert hidden not in body


def test_network_page_never_shows_the_operators_email(client, db):
    operator = UserFactory(email="geheim@traeger.example")
    network = funded_network(operator=operator, lead_contact_email="kontakt@traeger.example")
    body = _body(client, f"/networks/{network.slug}")
    assert "geheim@traeger.example" not in body and "kontakt@traeger.example" not in body
    assert 'name="message"' in body  # the contact form is offered instead


@pytest.mark.parametrize("who,expected", [("operator", 200), ("admin", 200), ("other", 404), ("anonymous", 404)])
def test_unpublished_network_preview_only_for_those_who_manage_it(client, db, login_as, who, expected):
    operator = UserFactory()
    network = funded_network(operator=operator, published=False)
    if who == "operator":
        login_as(operator)
    elif who == "admin":
        login_as(AdminFactory())
    elif who == "other":
        login_as(UserFactory())
    response = client.get(f"/networks/{network.slug}")
    assert response.status_code == expected
    if expected == 200:
        assert "Vorschau" in response.get_data(as_text=True)


def test_javascript_website_is_never_rendered_as_a_link(client, db):
    network = external_network(website="javascript:alert(1)")
    member(network, "Firma X", listed=True, website="javascript:alert(2)")
    body = _body(client, f"/networks/{network.slug}")
    assert "javascript:" not in body


def test_funded_status_follows_the_contract_and_defaults_to_preliminary_planning(client, db):
    with_contract = funded_network(name="Mit Vertrag", contract_status="implementation")
    without = funded_network(name="Ohne Vertrag")
    assert with_contract.status == "implementation"
    assert without.status == "preliminary_planning"
    assert "in Umsetzung" in _body(client, f"/networks/{with_contract.slug}")
    assert "in Vorplanung" in _body(client, f"/networks/{without.slug}")


# --- search and filters ---------------------------------------------------------------------------


@pytest.fixture
def directory(db):
    """Five published networks that differ in every filter, and one unpublished."""
    funded_network(name="Netzwerk Automobilzulieferer", sector="Automobilzulieferer", region="Leipzig",
                   fields=("Metallverarbeitung", "Kunststofftechnik"), contract_status="implementation")
    funded_network(name="Netzwerk Virtuelle Produktentwicklung", sector="Virtuelle Produktentwicklung",
                   region="Leipzig", fields=("CAD", "Simulation"), contract_status="planning",
                   description="Der **Leipziger Designertag** macht das Netzwerk sichtbar.")
    external_network(name="Biosaxony", sector="Biotechnologie", region="Sachsen", fields=("Biotechnologie",))
    external_network(name="AMZ", sector="Automobilzulieferer", region="Sachsen", fields=("Fahrzeugbau",),
                     status="inactive")
    external_network(name="Netzwerk Logistik Leipzig-Halle", sector="Logistik", region="Leipzig-Halle",
                     fields=("Logistik",))
    funded_network(name="Unveröffentlichtes Automobilnetz", sector="Automobilzulieferer", published=False)


@pytest.mark.parametrize("query,expected", [
    ("sector=Automobilzulieferer", ["AMZ", "Netzwerk Automobilzulieferer"]),
    ("region=Sachsen", ["AMZ", "Biosaxony"]),
    ("technology=cad", ["Netzwerk Virtuelle Produktentwicklung"]),
    ("status=implementation", ["Netzwerk Automobilzulieferer"]),
    ("status=inactive", ["AMZ"]),
    ("status=active", ["Biosaxony", "Netzwerk Logistik Leipzig-Halle"]),
    ("kind=funded", ["Netzwerk Automobilzulieferer", "Netzwerk Virtuelle Produktentwicklung"]),
    ("kind=external", ["AMZ", "Biosaxony", "Netzwerk Logistik Leipzig-Halle"]),
    ("q=designertag", ["Netzwerk Virtuelle Produktentwicklung"]),  # in the description
    ("q=KUNSTSTOFF", ["Netzwerk Automobilzulieferer"]),  # a technology field, any case
    ("q=logistik", ["Netzwerk Logistik Leipzig-Halle"]),  # in the name
    ("q=fahrzeug&kind=external", ["AMZ"]),
    ("sector=Automobilzulieferer&region=Leipzig&status=implementation", ["Netzwerk Automobilzulieferer"]),
    ("q=100%25", []),  # a literal percent sign is no wildcard
    ("status=bogus", ["AMZ", "Biosaxony", "Netzwerk Automobilzulieferer", "Netzwerk Logistik Leipzig-Halle",
                      "Netzwerk Virtuelle Produktentwicklung"]),  # unknown values are ignored
])
def test_search_and_filters(client, directory, query, expected):
    assert _listed_names(_body(client, f"/networks?{query}")) == expected


def test_filter_choices_come_from_published_networks(client, directory):
    body = _body(client, "/networks")
    assert '<option value="Biotechnologie">' in body and '<option value="Leipzig-Halle">' in body
    assert '<option value="Simulation">' in body
    assert "Unveröffentlichtes" not in body


def test_pagination_keeps_the_filters(client, db):
    for number in range(23):
        external_network(name=f"Netz {number:02d}", sector="Logistik")
    external_network(name="Anderes Netz", sector="Medien")
    first = _body(client, "/networks?sector=Logistik")
    assert len(_listed_names(first)) == 20
    assert "23 Netzwerke gefunden" in first
    assert "sector=Logistik&amp;page=2" in first or "page=2&amp;sector=Logistik" in first
    second = _listed_names(_body(client, "/networks?sector=Logistik&page=2"))
    assert second == ["Netz 20", "Netz 21", "Netz 22"]


# --- companies ------------------------------------------------------------------------------------


def test_companies_page_lists_listed_members_with_their_networks(client, db):
    first = funded_network(name="Netzwerk A")
    second = external_network(name="Netzwerk B")
    hidden_network = funded_network(name="Netzwerk C", published=False)
    member(first, "Werkzeugbau Lindenau GmbH", listed=True, town="Leipzig-Lindenau")
    member(second, "Werkzeugbau Lindenau GmbH", listed=True, town="Leipzig-Lindenau")
    member(first, "Stille Teilhaber KG", listed=False)
    member(hidden_network, "Nur im Verborgenen GmbH", listed=True)
    body = _body(client, "/networks/companies")
    assert "1 Unternehmen" in body
    row = body[body.index("Werkzeugbau Lindenau GmbH"):]
    assert "Netzwerk A" in row and "Netzwerk B" in row
    assert "Stille Teilhaber KG" not in body and "Nur im Verborgenen GmbH" not in body and "Netzwerk C" not in body


def test_companies_page_search(client, db):
    network = funded_network(name="Netzwerk A")
    member(network, "Werkzeugbau Lindenau GmbH", listed=True, town="Leipzig-Lindenau", sector="Metall")
    member(network, "Designstudio Plagwitz", listed=True, town="Leipzig-Plagwitz", sector="Design")
    body = _body(client, "/networks/companies?q=plagwitz")
    assert "Designstudio Plagwitz" in body and "Werkzeugbau Lindenau GmbH" not in body
    assert "Werkzeugbau Lindenau GmbH" in _body(client, "/networks/companies?q=metall")


# --- statement counts -----------------------------------------------------------------------------


def _count_statements(client, url: str) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def _add_networks(number: int, offset: int) -> None:
    for index in range(number):
        network = funded_network(name=f"Netzwerk {offset + index:03d}", contract_status="planning",
                                 fields=("CAD", f"Feld {index}"))
        member(network, f"Mitglied {offset + index}", listed=True)
        post(network, f"Ergebnis {offset + index}")
        external_network(name=f"Extern {offset + index:03d}")


@pytest.mark.parametrize("url", ["/networks", "/networks?q=netz&status=planning", "/networks/companies",
                                 "/networks.json", "/networks.csv"])
def test_statement_count_does_not_grow_with_the_number_of_networks(client, db, url):
    _add_networks(2, 0)
    few = _count_statements(client, url)
    _add_networks(8, 100)
    many = _count_statements(client, url)
    assert few == many
    assert many <= 8
