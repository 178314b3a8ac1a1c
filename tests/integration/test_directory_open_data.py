"""Open data: CSV and JSON carry exactly the public fields of published networks, listed members, approved posts."""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.builders.directory import external_network, funded_network, member, post
from tests.factories import UserFactory

NETWORK_KEYS = {"id", "slug", "name", "kind", "status", "sector", "technology_fields", "region", "operator",
                "summary", "description", "website", "open_for_members", "published_at", "url", "funded_amount_eur",
                "eu_share_eur", "members", "results"}
MEMBER_KEYS = {"company_name", "town", "sector", "website", "joined_on"}
RESULT_KEYS = {"title", "event_date", "text", "published_at"}
SECRETS = ("geheim@traeger.example", "kontakt@traeger.example", "info@extern.example", "Verschwiegene GmbH",
           "Entwurf eines Beitrags", "Eingereichter Beitrag", "Zurückgegebener Beitrag", "Unveröffentlichtes Netz",
           "Erika Mustermann")


def _publish_sample():
    operator = UserFactory(email="geheim@traeger.example")
    network = funded_network(operator=operator, name="Netzwerk Virtuelle Produktentwicklung",
                             sector="Virtuelle Produktentwicklung", fields=("CAD", "Simulation"),
                             contract_status="implementation", lead_contact_email="kontakt@traeger.example")
    member(network, "Designstudio Formwerk", listed=True, town="Leipzig-Lindenau", sector="Design",
           website="https://formwerk.example")
    member(network, "Verschwiegene GmbH", listed=False)
    post(network, "1. Leipziger Designertag", event_date=date(2003, 5, 24), body="Vorträge und Ausstellung.")
    for status, title in (("draft", "Entwurf eines Beitrags"), ("submitted", "Eingereichter Beitrag"),
                          ("rejected", "Zurückgegebener Beitrag")):
        post(network, title, status=status)
    external_network(name="Biosaxony", contact_email="info@extern.example", website="http://www.biosaxony.com/")
    funded_network(name="Unveröffentlichtes Netz", published=False)
    return network


def test_json_has_licence_metadata_and_exactly_the_public_fields(client, db):
    network = _publish_sample()
    response = client.get("/networks.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in text
    document = response.get_json()
    licence = document["metadata"]["licence"]
    assert licence["id"] == "dl-de/by-2-0" and licence["url"].startswith("https://www.govdata.de/dl-de/by-2-0")
    assert document["metadata"]["count"] == 2
    networks = {n["name"]: n for n in document["networks"]}
    assert set(networks) == {"Netzwerk Virtuelle Produktentwicklung", "Biosaxony"}
    funded = networks["Netzwerk Virtuelle Produktentwicklung"]
    assert set(funded) == NETWORK_KEYS
    assert funded["status"] == "implementation" and funded["kind"] == "funded"
    assert funded["technology_fields"] == ["CAD", "Simulation"]
    assert funded["url"].endswith(f"/networks/{network.slug}")
    assert [set(m) for m in funded["members"]] == [MEMBER_KEYS]
    assert funded["members"][0]["company_name"] == "Designstudio Formwerk"
    assert [set(r) for r in funded["results"]] == [RESULT_KEYS]
    assert funded["results"][0] == {**funded["results"][0], "title": "1. Leipziger Designertag",
                                    "event_date": "2003-05-24", "text": "Vorträge und Ausstellung."}
    assert networks["Biosaxony"]["members"] == [] and networks["Biosaxony"]["status"] == "active"


def test_csv_has_one_row_per_published_network_with_public_columns(client, db):
    _publish_sample()
    response = client.get("/networks.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "slug", "name", "kind", "status", "sector", "technology_fields", "region",
                             "operator", "summary", "description", "website", "open_for_members", "published_at",
                             "url", "funded_amount_eur", "eu_share_eur", "listed_members", "results"]
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"Netzwerk Virtuelle Produktentwicklung", "Biosaxony"}
    funded = by_name["Netzwerk Virtuelle Produktentwicklung"]
    assert funded["technology_fields"] == "CAD; Simulation"
    assert funded["listed_members"] == "Designstudio Formwerk"
    assert funded["results"] == "1. Leipziger Designertag"


def test_downloads_follow_the_directory_filters(client, db):
    _publish_sample()
    document = client.get("/networks.json?kind=external").get_json()
    assert [n["name"] for n in document["networks"]] == ["Biosaxony"]
    rows = list(csv.DictReader(io.StringIO(client.get("/networks.csv?q=simulation").get_data(as_text=True))))
    assert [row["name"] for row in rows] == ["Netzwerk Virtuelle Produktentwicklung"]


def test_csv_neutralises_spreadsheet_formulas(client, db):
    external_network(name="=HYPERLINK(\"http://evil.example\")")
    text = client.get("/networks.csv").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"].startswith("'=")
