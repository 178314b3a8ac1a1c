"""The EU list of operations recomputes from the contracts: amounts to the cent, rate from the funding shares."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from app.contracts import services
from app.contracts.models import ContractFundingShare
from app.extensions import db
from tests.builders.contracts import in_request, worked_example_contract
from tests.builders.directory import external_network, funded_network
from tests.factories import AdminFactory


def _odd_contract():
    """The worked example with 240,000.01 EUR and shares of 62.5 % ERDF and 37.5 % city."""
    admin = AdminFactory()
    contract, _members = worked_example_contract(admin, sign=False, number="NW-ODD-1")
    with in_request():
        services.change_amounts(contract, amount_cents=24_000_001, fixed_cents=4_000_001,
                                tranches={m.id: m.tranche_cents for m in contract.milestones}, actor=admin)
        services.set_funding_shares(contract, [("EFRE", Decimal("62.5")), ("Stadt", Decimal("37.5"))], admin)
        services.update_publication(contract, services.Publication(
            purpose="Zulieferer vernetzen", achievements="Portal online", postcode="04229", country="de"), admin)
        contract.competition.specific_objective = "RSO1.3"
        contract.competition.intervention_type = "021"
        db.session.commit()
    return contract


def test_operations_json_recomputes_amounts_and_rate_from_the_contract(client):
    contract = _odd_contract()
    document = client.get("/operations.json").json
    assert document["metadata"]["licence"]["id"] == "dl-de/by-2-0"
    assert document["metadata"]["last_changed"] is not None
    [operation] = document["operations"]
    assert operation["operation_id"] == "NW-ODD-1"
    assert operation["operation_name"] == contract.proposal.title
    assert operation["total_cost_eur"] == "240000.01"
    # 62.5 % of 24,000,001 cents is 15,000,000.625: rounded half up like every payment split.
    assert operation["union_amount_eur"] == "150000.01"
    assert operation["union_cofinancing_rate_percent"] == "62.5"
    assert (operation["fund"], operation["specific_objective"], operation["intervention_type"]) == \
        ("ERDF", "RSO1.3", "021")
    assert (operation["purpose"], operation["achievements"]) == ("Zulieferer vernetzen", "Portal online")
    assert (operation["location_postcode"], operation["country"]) == ("04229", "DE")
    assert (operation["start_date"], operation["end_date"]) == ("2002-11-15", "2004-11-15")


def test_changed_shares_change_the_list_at_once(client):
    contract = _odd_contract()
    share = db.session.get(ContractFundingShare, contract.funding_shares[0].id)
    assert share.source == "EFRE"
    share.share, contract.funding_shares[1].share = Decimal("80"), Decimal("20")
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(client.get("/operations.csv").get_data(as_text=True))))
    assert [(r["operation_id"], r["union_cofinancing_rate_percent"], r["union_amount_eur"]) for r in rows] == \
        [("NW-ODD-1", "80", "192000.01")]


def test_api_serves_the_same_list_with_licence_and_pages(client):
    _odd_contract()
    answer = client.get("/api/v1/operations", headers={"Accept-Language": "en"}).json
    assert [o["union_amount_eur"] for o in answer["items"]] == ["150000.01"]
    assert answer["licence"]["id"] == "dl-de/by-2-0" and "list of operations" in answer["licence"]["attribution"]
    assert answer["pagination"] == {"page": 1, "per_page": 50, "total": 1, "next_page": None}


def test_directory_open_data_gains_funded_amount_and_eu_share(client):
    funded = funded_network(name="Netzwerk mit Vertrag", contract_status="implementation")
    external_network(name="Externes Netzwerk")
    networks = {n["name"]: n for n in client.get("/networks.json").json["networks"]}
    assert networks["Netzwerk mit Vertrag"]["funded_amount_eur"] == "240000.00"
    # The builder's contract has no shares: no Union share can be claimed for it.
    assert networks["Netzwerk mit Vertrag"]["eu_share_eur"] == "0.00"
    assert networks["Externes Netzwerk"]["funded_amount_eur"] is None
    api = {n["name"]: n for n in client.get("/api/v1/networks?kind=funded").json["items"]}
    assert list(api) == ["Netzwerk mit Vertrag"] and api["Netzwerk mit Vertrag"]["id"] == funded.id
