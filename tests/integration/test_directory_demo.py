"""The demo's network directory: regional networks always, the funded Leipzig networks once awarded."""

from __future__ import annotations

from sqlalchemy import select

from app.demo import people
from app.demo.directory import create_demo_directory
from app.directory.models import JoinRequest, Network
from app.proposals.models import Proposal

EXTERNAL_NAMES = {"Silicon Saxony", "Biosaxony", "AMZ – Netzwerk Automobilzulieferer Sachsen",
                  "VEMAS innovativ – Verbundinitiative Maschinenbau Sachsen", "Netzwerk Logistik Leipzig-Halle"}


def _public_text(network: Network) -> str:
    return " ".join([network.name, network.summary, network.description, network.operator_name, network.website,
                     network.contact_email, *network.technology_names])


def test_without_awards_only_the_external_networks_are_entered_and_never_twice(db):
    people.create_people()
    assert create_demo_directory() == len(EXTERNAL_NAMES)
    assert create_demo_directory() == 0
    networks = db.session.scalars(select(Network)).all()
    assert {n.name for n in networks} == EXTERNAL_NAMES
    assert all(n.kind == "external" and n.published and n.status == "active" for n in networks)
    # The ministry's page names a contact person; the directory carries none.
    assert all("@" not in _public_text(n) and "Pflanz" not in _public_text(n) for n in networks)
    assert {n.sector for n in networks} >= {"Biotechnologie", "Automobilzulieferer", "Maschinen- und Anlagenbau"}


def test_full_demo_publishes_the_three_funded_networks_with_members_and_results(runner, db):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    funded = {n.proposal.short_name: n for n in db.session.scalars(
        select(Network).join(Proposal, Proposal.id == Network.proposal_id))}
    assert set(funded) == {"NAZ", "VPE", "EUT"}
    assert all(n.published and n.open_for_members for n in funded.values())
    assert funded["NAZ"].status == "implementation" and funded["EUT"].status == "planning"
    for network in funded.values():
        listed = [m for m in network.members if m.listed_consent]
        assert 0 < len(listed) < len(network.members)  # some partners agreed to be listed, some not
    approved = {p.title for n in funded.values() for p in n.posts if p.status == "approved"}
    assert {"1. Leipziger Designertag", "Internetportal der Zulieferer gestartet",
            "Demonstrationszentrum im Leipziger Westen eingerichtet"} <= approved
    assert [p.status for p in funded["EUT"].posts] == ["submitted"]
    request = db.session.scalars(select(JoinRequest)).one()
    assert request.network_id == funded["VPE"].id and request.status == "pending"
    assert {n.name for n in db.session.scalars(select(Network).where(Network.kind == "external"))} == EXTERNAL_NAMES
