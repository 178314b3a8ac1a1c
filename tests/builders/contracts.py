"""Builds an awarded proposal and the METHOD.md worked-example contract, with accepted reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from flask import current_app, has_request_context

from app.contracts import reports, services
from app.contracts.models import Contract, Milestone
from app.core.time import utcnow
from app.decisions.models import Decision
from app.extensions import db
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory

_receipts = count(1)
AWARD_DATE = date(2002, 11, 15)

# METHOD.md worked example: A = 240,000.00, A_fixed = 40,000.00, milestone "member companies"
# pro rata, b = 5, t = 25, θ = 0.5, cap 1.0, a = 60,000.00. The other tranches make the sum.
WORKED_AMOUNT = 24_000_000
WORKED_FIXED = 4_000_000
WORKED_TRANCHE = 6_000_000


def awarded_decision(*, competition=None, applicant=None, award_date: date = AWARD_DATE,
                     requested_cents: int = WORKED_AMOUNT, **proposal_fields) -> Decision:
    """A submitted, eligible proposal with an 'awarded' decision (committed)."""
    competition = competition or CompetitionFactory(phase="decision",
                                                    submission_deadline=utcnow() - timedelta(days=60))
    number = next(_receipts)
    proposal = ProposalFactory(competition=competition, applicant=applicant or UserFactory(), status="submitted",
                               receipt_number=f"K-{number:04d}", submitted_at=utcnow() - timedelta(days=90),
                               snapshot={"network_name": "x"}, eligibility="eligible",
                               requested_funding_cents=requested_cents, **proposal_fields)
    decision = Decision(proposal=proposal, outcome="awarded", award_date=award_date, rationale="Beste Idee.")
    db.session.add(decision)
    db.session.commit()
    return decision


def milestone_terms(title: str, baseline, target, tranche_cents: int, *, rule: str = "pro_rata",
                    due: date = date(2003, 11, 1), minimum_level: str = "0.5", cap: str = "1",
                    unit: str = "Unternehmen") -> services.MilestoneTerms:
    """Milestone terms with the METHOD defaults."""
    return services.MilestoneTerms(title=title, unit=unit, baseline=Decimal(baseline), target=Decimal(target),
                                   due_date=due, weight=Decimal(1), tranche_cents=tranche_cents, rule=rule,
                                   minimum_level=Decimal(minimum_level), cap=Decimal(cap))


@contextmanager
def in_request() -> Iterator[None]:
    """Services run inside a request (translated messages, links in mails); push one if needed."""
    with nullcontext() if has_request_context() else current_app.test_request_context():
        yield


def worked_example_contract(admin, *, applicant=None, sign: bool = True,
                            number: str | None = None) -> tuple[Contract, Milestone]:
    """The worked example as a signed contract: (contract, the "member companies" milestone)."""
    with in_request():
        return _worked_example_contract(admin, applicant=applicant, sign=sign, number=number)


def _worked_example_contract(admin, *, applicant, sign: bool, number: str | None) -> tuple[Contract, Milestone]:
    decision = awarded_decision(applicant=applicant)
    terms = services.Terms(number=number or f"NW-2002-{decision.id:03d}", start_date=AWARD_DATE,
                           end_date=date(2004, 11, 15))
    contract = services.create_contract(decision, terms, amount_cents=WORKED_AMOUNT, fixed_cents=WORKED_FIXED,
                                        actor=admin, take_over_kpis=False)
    members = services.add_milestone(contract, milestone_terms("Mitgliedsunternehmen", 5, 25, WORKED_TRANCHE),
                                     admin)
    services.add_milestone(contract, milestone_terms("Gemeinsame Projekte", 0, 4, 8_000_000, rule="binary",
                                                     due=date(2004, 5, 1), unit="Projekte"), admin)
    services.add_milestone(contract, milestone_terms("Internetportal online", 0, 1, 6_000_000, rule="binary",
                                                     due=date(2004, 9, 1), unit="Portal"), admin)
    if sign:
        services.sign_contract(contract, date(2002, 12, 2), admin)
    db.session.commit()
    return contract, members


def accepted_value(milestone: Milestone, value, admin) -> None:
    """The operator reports a value and the admin accepts it (committed)."""
    operator = milestone.contract.proposal.applicant
    with in_request():
        report = reports.submit_report(milestone, achieved=Decimal(value), evidence_text="Mitgliederliste anbei.",
                                       files=[], actor=operator)
        reports.accept_report(report, admin)
        db.session.commit()
