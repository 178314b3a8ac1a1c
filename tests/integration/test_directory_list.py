"""The directory's result list: technology fields in their order and listed-member counts per network,
and filter choices sorted and without duplicates (all loaded in a fixed number of statements)."""

from __future__ import annotations

import re

from app.directory.models import NetworkTechnologyField
from app.directory.search import filter_choices, page_details
from tests.builders.directory import external_network, member
from tests.web import without_tokens


def _card(body: str, name: str) -> str:
    """The result card of one network."""
    start = body.index(f">{name}</a>")
    return body[start:body.index("</article>", start)]


def test_cards_show_fields_in_order_and_listed_members(client, db):
    network = external_network(name="Netz mit Feldern", fields=())
    network.technology_fields = [NetworkTechnologyField(position=2, name="Simulation"),
                                 NetworkTechnologyField(position=0, name="CAD"),
                                 NetworkTechnologyField(position=1, name="Kunststofftechnik")]
    db.session.commit()
    for name, listed in (("Eins GmbH", True), ("Zwei KG", True), ("Geheim AG", False)):
        member(network, name, listed=listed)
    external_network(name="Netz ohne Felder", fields=())

    body = client.get("/networks").get_data(as_text=True)
    card = _card(body, "Netz mit Feldern")
    assert re.search(r'<dd class="col-sm-9">CAD, Kunststofftechnik, Simulation</dd>', card)
    assert re.search(r'Mitgliedsunternehmen</dt><dd class="col-sm-9">2</dd>', card)
    bare = _card(body, "Netz ohne Felder")
    assert "Technologiefelder" not in bare and "Mitgliedsunternehmen" not in bare


def test_page_details_of_no_networks_need_no_query(db):
    details = page_details([])
    assert details.technology_names == {} and details.member_counts == {}


def test_filter_choices_are_distinct_sorted_and_published_only(db):
    external_network(sector="Logistik", region="Sachsen", fields=("Simulation", "CAD"))
    external_network(sector="Biotechnologie", region="Leipzig", fields=("CAD",))
    external_network(sector="Medien", region="Halle", fields=("Film",), published=False)
    external_network(sector="", region="", fields=())
    choices = filter_choices()
    assert choices.sectors == ["Biotechnologie", "Logistik"]
    assert choices.regions == ["Leipzig", "Sachsen"]
    assert choices.technologies == ["CAD", "Simulation"]


def test_results_show_the_query_and_changes_at_once(client, db):
    """The results are rendered from the data of this request (even a raw SQL change shows)."""
    from sqlalchemy import update

    from app.directory.models import Network

    network = external_network(name="Netz Elster", sector="Logistik", fields=("CAD",))
    first, again = client.get("/networks").text, client.get("/networks").text
    searched = client.get("/networks?q=Netz").text  # the same network, but the form shows the search
    member(network, "Neu GmbH", listed=True)
    with_member = client.get("/networks").text
    db.session.execute(update(Network).where(Network.id == network.id).values(name="Netz Pleiße"))
    db.session.commit()
    renamed = client.get("/networks").text
    assert without_tokens(first) == without_tokens(again)
    assert 'value="Netz"' in searched and 'value="Netz"' not in first
    assert "Mitgliedsunternehmen" not in _card(first, "Netz Elster")
    assert re.search(r'Mitgliedsunternehmen</dt><dd class="col-sm-9">1</dd>', _card(with_member, "Netz Elster"))
    assert "Netz Pleiße" in renamed and "Netz Elster" not in renamed
