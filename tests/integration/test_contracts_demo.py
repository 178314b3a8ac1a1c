"""The demo step: contracts like the Leipzig case for the awarded networks, skipped until they exist."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.contracts import services
from app.contracts.models import Contract, Payment, ProgressReport
from app.demo import people
from app.demo.contracts import create_demo_contracts
from tests.builders.contracts import awarded_decision
from tests.factories import AdminFactory, CompetitionFactory


def test_demo_step_skips_without_awards(db):
    AdminFactory(email=people.ADMIN[0])
    assert create_demo_contracts() == 0
    assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_demo_contracts_follow_the_source_case(db):
    AdminFactory(email=people.ADMIN[0])
    competition = CompetitionFactory(phase="decision")
    award = date.today() - timedelta(days=30)
    for short in ("NAZ", "VPE", "EUT"):
        awarded_decision(competition=competition, short_name=short, award_date=award, requested_cents=15_000_000)
    awarded_decision(competition=competition, short_name="XYZ", award_date=award)  # not one of the three

    assert create_demo_contracts() == 3
    db.session.commit()
    contracts = list(db.session.scalars(select(Contract).order_by(Contract.id)))
    assert len(contracts) == 3
    for contract in contracts:
        assert contract.is_signed and contract.signed_on == award
        assert services.add_months(contract.start_date, 24) == contract.end_date  # two years
        assert contract.shares_map() == {"EFRE": 75, "Stadt": 25}
        assert len(contract.operators) == 2 and contract.team_members
        assert [s.label for s in contract.approval_steps][-1] == "Projektentscheidung"
        assert not services.amount_problems(contract)
        assert contract.paid_cents <= contract.amount_cents
    titles = {m.title for c in contracts for m in c.milestones}
    assert {"Mitgliedsunternehmen", "Gemeinsame Projekte", "Internetportal der Zulieferer online",
            "Demonstrationszentrum eröffnet"} <= titles
    statuses = [r.status for r in db.session.scalars(select(ProgressReport))]
    assert statuses.count("rejected") == 1 and statuses.count("submitted") == 1 and statuses.count("accepted") >= 2
    payments = list(db.session.scalars(select(Payment)))
    assert sum(p.kind == "milestone" for p in payments) == 2 and sum(p.kind == "fixed" for p in payments) == 3
    assert all(sum(part.amount_cents for part in p.parts) == p.amount_cents for p in payments)
    assert create_demo_contracts() == 0  # never twice
