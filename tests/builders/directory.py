"""Builds awarded proposals, funded and external networks, member companies and results posts."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from app.contracts.models import Contract
from app.core.time import utcnow
from app.decisions.models import Decision
from app.directory.models import Network, NetworkMember, NetworkTechnologyField, ResultsPost
from app.extensions import db
from app.proposals.models import ProposalPartner
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory

_numbers = count(1)
AWARD_DATE = date(2002, 11, 15)


def awarded_proposal(*, applicant=None, competition=None, outcome: str = "awarded", partners=(), **fields):
    """A submitted proposal with a decision (awarded unless told otherwise), committed."""
    number = next(_numbers)
    competition = competition or CompetitionFactory(phase="decision",
                                                    submission_deadline=utcnow() - timedelta(days=60))
    proposal = ProposalFactory(competition=competition, applicant=applicant or UserFactory(), status="submitted",
                               receipt_number=f"D-{number:04d}", submitted_at=utcnow() - timedelta(days=90),
                               snapshot={"network_name": "x"}, eligibility="eligible", **fields)
    for position, (organisation, town, sector) in enumerate(partners):
        db.session.add(ProposalPartner(proposal=proposal, position=position, organisation=organisation, town=town,
                                       sector=sector, contact_name="Erika Mustermann",
                                       contact_email=f"erika{position}@partner.example"))
    db.session.add(Decision(proposal=proposal, outcome=outcome,
                            award_date=AWARD_DATE if outcome == "awarded" else None, rationale="Gut."))
    db.session.commit()
    return proposal


def record_contract(proposal, status: str) -> Contract:
    """A contract row for an awarded proposal, so the network's status follows it."""
    decision = db.session.query(Decision).filter_by(proposal_id=proposal.id).one()
    contract = Contract(proposal_id=proposal.id, decision_id=decision.id, competition_id=proposal.competition_id,
                        number=f"NW-{next(_numbers):04d}", award_date=AWARD_DATE, start_date=AWARD_DATE,
                        end_date=AWARD_DATE + timedelta(days=730), amount_cents=24_000_000, fixed_cents=0,
                        status=status)
    db.session.add(contract)
    db.session.commit()
    return contract


def funded_network(*, operator=None, published: bool = True, open_for_members: bool = True, name: str | None = None,
                   sector: str = "Automobilzulieferer", region: str = "Leipzig", fields=("Metallverarbeitung",),
                   contract_status: str | None = None, summary: str = "Zulieferer arbeiten zusammen.",
                   description: str = "Gemeinsame Entwicklung und Vermarktung.", **proposal_fields) -> Network:
    """A funded network built from a fresh awarded proposal (committed)."""
    number = next(_numbers)
    name = name or f"Gefördertes Netzwerk {number}"
    proposal = awarded_proposal(applicant=operator, network_name=name, sector=sector, **proposal_fields)
    if contract_status:
        record_contract(proposal, contract_status)
    network = Network(kind="funded", proposal=proposal, slug=f"gefoerdert-{number}", name=name, sector=sector,
                      region=region, operator_name=proposal.lead_name, summary=summary, description=description,
                      published=published, published_at=utcnow() if published else None,
                      open_for_members=open_for_members)
    network.technology_fields = [NetworkTechnologyField(position=i, name=f) for i, f in enumerate(fields)]
    db.session.add(network)
    db.session.commit()
    return network


def external_network(*, published: bool = True, name: str | None = None, sector: str = "Biotechnologie",
                     region: str = "Sachsen", fields=("Biotechnologie",), status: str = "active",
                     contact_email: str = "", summary: str = "Ein Netzwerk der Region.",
                     description: str = "Koordiniert Aktivitäten in Sachsen.", website: str = "") -> Network:
    """An external network entered by the funding office (committed)."""
    number = next(_numbers)
    network = Network(kind="external", slug=f"extern-{number}", name=name or f"Externes Netzwerk {number}",
                      sector=sector, region=region, operator_name=f"Verein {number} e. V.", summary=summary,
                      description=description, external_status=status, contact_email=contact_email,
                      website=website, published=published, published_at=utcnow() if published else None)
    network.technology_fields = [NetworkTechnologyField(position=i, name=f) for i, f in enumerate(fields)]
    db.session.add(network)
    db.session.commit()
    return network


def member(network: Network, company_name: str, *, listed: bool, town: str = "Leipzig", sector: str = "",
           website: str = "", user=None) -> NetworkMember:
    """A member company, listed publicly or not (committed)."""
    row = NetworkMember(network=network, company_name=company_name, town=town, sector=sector, website=website,
                        listed_consent=listed, consent_recorded_at=utcnow() if listed else None,
                        source="manual", user_id=user.id if user else None)
    db.session.add(row)
    db.session.commit()
    return row


def post(network: Network, title: str, *, status: str = "approved", body: str = "Ein Ergebnis.",
         event_date: date | None = None) -> ResultsPost:
    """A results post in the given state (committed)."""
    now = utcnow()
    row = ResultsPost(network=network, title=title, body=body, status=status, event_date=event_date,
                      submitted_at=now if status != "draft" else None,
                      approved_at=now if status == "approved" else None,
                      decided_at=now if status in ("approved", "rejected") else None,
                      rejection_reason="Bitte präzisieren." if status == "rejected" else "")
    db.session.add(row)
    db.session.commit()
    return row
