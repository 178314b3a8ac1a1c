"""The demo's performance-based contracts with the three awarded networks, as in the Leipzig case.

Each awarded network gets a two-year contract financed 75 % by the ERDF and 25 % by the
city, with the approval steps of the project sheet (approved early start, application,
committee resolution, project decision), operators, a project team and milestones on the
KPIs the case reports: member companies, joint projects, events, an internet portal and a
demonstration centre. As in Leipzig the work started before the project decision under
the approved early start, so the first milestones are already due: some reports are
verified and paid, one report was rejected and one awaits verification.

The step does nothing until the decisions step has awarded networks (and never twice).
All data is fixed (no randomness), so every load produces the same contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.contracts import release, reports, services
from app.contracts.models import Contract
from app.decisions.models import Decision
from app.demo import people
from app.extensions import db
from app.proposals.models import Proposal

EARLY_START_MONTHS = 7  # work began this long before the award, under the approved early start
SHARES = [("EFRE", Decimal(75)), ("Stadt", Decimal(25))]
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class DemoMilestone:
    """A milestone of a demo contract and what has happened to it so far."""

    title: str
    unit: str
    baseline: int
    target: int
    due_month: int  # months after the start
    weight: int  # share of the results part
    rule: str = "pro_rata"
    report: Decimal | None = None  # value reported by the operator
    outcome: str = ""  # "", "open", "accepted", "paid", "rejected"
    rejection: str = ""


@dataclass(frozen=True)
class DemoContract:
    """The contract terms of one awarded demo network."""

    co_operator: str
    status: str
    achievements: str
    team: tuple[tuple[str, str], ...]
    milestones: tuple[DemoMilestone, ...]


CITY_TEAM = (("Dr. Katrin Vogel", "Amt für Wirtschaftsförderung, Projektleitung"),
             ("Thomas Kessler", "Amt für Wirtschaftsförderung, Fördercontrolling"))

CONTRACTS = {
    "NAZ": DemoContract(
        co_operator="Kunststoffzentrum Leipzig", status="implementation",
        achievements="Internetportal der Zulieferer online; 17 Mitgliedsunternehmen.",
        team=(*CITY_TEAM, ("Frank Lehmann", "Netzwerkmanagement")),
        milestones=(
            DemoMilestone("Internetportal der Zulieferer online", "Portal", 0, 1, 5, 2, rule="binary",
                          report=Decimal(1), outcome="paid"),
            DemoMilestone("Mitgliedsunternehmen", "Unternehmen", 5, 25, 12, 3, report=Decimal(17), outcome="open"),
            DemoMilestone("Gemeinsame Projekte", "Projekte", 0, 4, 18, 3),
            DemoMilestone("Demonstrationszentrum eröffnet", "Zentrum", 0, 1, 21, 2, rule="binary"),
        )),
    "VPE": DemoContract(
        co_operator="Schröder Design", status="implementation",
        achievements="Fünf Veranstaltungen, darunter der 1. Leipziger Designertag.",
        team=(*CITY_TEAM, ("Claudia Neumann", "Netzwerkmanagement")),
        milestones=(
            DemoMilestone("Veranstaltungen (u. a. 1. Leipziger Designertag)", "Veranstaltungen", 0, 6, 6, 2,
                          report=Decimal(5), outcome="paid"),
            DemoMilestone("Mitgliedsunternehmen", "Unternehmen", 4, 20, 6, 3, report=Decimal(15), outcome="rejected",
                          rejection="Die Mitgliederliste fehlt. Bitte reichen Sie die unterschriebenen "
                                    "Beitrittserklärungen als Nachweis ein."),
            DemoMilestone("Gemeinsame Projekte", "Projekte", 0, 3, 20, 3),
        )),
    "EUT": DemoContract(
        co_operator="JB-ingconsult / Consultant ASSO-PART", status="planning",
        achievements="Drei Veranstaltungen zur Energieberatung.",
        team=(*CITY_TEAM, ("Rainer Schulz", "Netzwerkmanagement")),
        milestones=(
            DemoMilestone("Veranstaltungen zur Energieberatung", "Veranstaltungen", 0, 4, 6, 2, report=Decimal(3),
                          outcome="accepted"),
            DemoMilestone("Mitgliedsunternehmen", "Unternehmen", 5, 18, 12, 3),
            DemoMilestone("Gemeinsame Projekte (u. a. Jahrtausendfeld)", "Projekte", 0, 5, 18, 3),
        )),
}


def create_demo_contracts() -> int:
    """Record, sign and progress the contracts of the awarded demo networks; return how many were made."""
    # Services translate messages and build mail links for the person acting; the CLI acts in a request.
    with current_app.test_request_context():
        return _create_all()


def _create_all() -> int:
    admin = db.session.scalar(select(User).where(User.email == people.ADMIN[0]))
    decisions = list(db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .outerjoin(Contract, Contract.proposal_id == Decision.proposal_id)
        .where(Decision.outcome == "awarded", Contract.id.is_(None), Proposal.short_name.in_(CONTRACTS))
        .order_by(Decision.id)))
    if admin is None or not decisions:
        return 0  # the decisions step has not awarded anything yet
    for decision in decisions:
        _create_contract(decision, CONTRACTS[decision.proposal.short_name], admin)
    db.session.flush()
    return len(decisions)


def _tranches(results_cents: int, weights: list[int]) -> list[int]:
    """Split the results part by weight; the last milestone takes the rounding remainder."""
    total = sum(weights)
    parts = [results_cents * w // total for w in weights[:-1]]
    return [*parts, results_cents - sum(parts)]


def _create_contract(decision: Decision, plan: DemoContract, admin: User) -> Contract:
    proposal = decision.proposal
    award = decision.award_date
    start = services.add_months(award, -EARLY_START_MONTHS)
    end = services.add_months(start, proposal.competition.contract_months)
    amount = proposal.requested_funding_cents or 24_000_000
    fixed = amount // 6 // 100_000 * 100_000  # about a sixth, in whole thousands of euros
    terms = services.Terms(number=services.suggested_number(decision), start_date=start, end_date=end)
    contract = services.create_contract(decision, terms, amount_cents=amount, fixed_cents=fixed, actor=admin,
                                        take_over_kpis=False)
    services.set_operators(contract, [(proposal.lead_name, "Netzwerkträger"),
                                      (plan.co_operator, "Projektträger")], admin)
    services.set_funding_shares(contract, SHARES, admin)
    services.set_team(contract, list(plan.team), admin)
    services.set_approval_steps(contract, [
        ("Vorzeitiger Vorhabensbeginn genehmigt", award - timedelta(days=400), award - timedelta(days=380)),
        ("Antrag eingereicht", award - timedelta(days=180), award - timedelta(days=175)),
        ("Beschluss Ausschuss", award - timedelta(days=134), award - timedelta(days=73)),  # postponed once
        ("Projektentscheidung", award - timedelta(days=7), award),
    ], admin)
    tranches = _tranches(amount - fixed, [m.weight for m in plan.milestones])
    milestones = []
    for spec, tranche in zip(plan.milestones, tranches, strict=True):
        milestones.append(services.add_milestone(contract, services.MilestoneTerms(
            title=spec.title, unit=spec.unit, baseline=Decimal(spec.baseline), target=Decimal(spec.target),
            due_date=min(services.add_months(start, spec.due_month), end), weight=Decimal(spec.weight),
            tranche_cents=tranche, rule=spec.rule), admin))
    services.update_publication(contract, services.Publication(
        purpose=proposal.objectives, achievements=plan.achievements, postcode=proposal.lead_postcode,
        country="DE"), admin)
    services.sign_contract(contract, award, admin)
    services.set_status(contract, plan.status, admin)
    release.release_fixed_payment(contract.id, expected_cents=fixed, actor=admin)
    for spec, milestone in zip(plan.milestones, milestones, strict=True):
        _progress(contract, milestone, spec, admin)
    return contract


def _progress(contract: Contract, milestone, spec: DemoMilestone, admin: User) -> None:
    """Play the milestone's story: report, then verification and payment as the plan says."""
    if spec.report is None:
        return
    operator = contract.proposal.applicant
    files = [("Nachweis.pdf", EVIDENCE_PDF)] if spec.outcome == "paid" else []
    report = reports.submit_report(milestone, achieved=spec.report, evidence_text=_evidence(spec), files=files,
                                   actor=operator)
    if spec.outcome == "open":
        return
    if spec.outcome == "rejected":
        reports.reject_report(report, spec.rejection, admin)
        return
    reports.accept_report(report, admin)
    if spec.outcome == "paid":
        release.release_milestone_payment(contract.id, milestone.id, expected_cents=None, actor=admin)


def _evidence(spec: DemoMilestone) -> str:
    return (f"Stand „{spec.title}“: {spec.report:f} {spec.unit}. Die Nachweise (Teilnehmer- und Mitgliederlisten, "
            "Protokolle, Pressespiegel) liegen bei und können beim Netzwerkträger eingesehen werden.")
