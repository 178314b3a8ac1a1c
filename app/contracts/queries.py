"""Read-side queries of the contracts package: contract pages, operator lists, the portfolio.

The portfolio issues a fixed number of statements however many contracts exist (totals are
grouped in SQL, children are loaded with selectinload), so it never degrades into N+1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.contracts import payments
from app.contracts.charts import KpiItem, TimelineItem, kpi_chart, payments_chart, timeline_chart
from app.contracts.models import (
    Amendment,
    Contract,
    Milestone,
    Payment,
    PaymentPart,
    ProgressReport,
)
from app.extensions import db
from app.proposals.models import Proposal
from app.ranking.models import Decision

UNASSIGNED = ""  # committed money of contracts whose shares do not sum to 100 % yet


def load_contract(contract_id: int) -> Contract | None:
    """A contract with everything its page shows, in a handful of statements."""
    return db.session.scalar(
        select(Contract).where(Contract.id == contract_id).options(
            joinedload(Contract.proposal).joinedload(Proposal.applicant),
            joinedload(Contract.competition),
            selectinload(Contract.operators), selectinload(Contract.funding_shares),
            selectinload(Contract.approval_steps), selectinload(Contract.team_members),
            selectinload(Contract.milestones).selectinload(Milestone.reports).selectinload(ProgressReport.files),
            selectinload(Contract.milestones).joinedload(Milestone.payment),
            selectinload(Contract.payments).selectinload(Payment.parts),
            selectinload(Contract.amendments).joinedload(Amendment.created_by),
            selectinload(Contract.documents),
        )
    )


def operator_contracts(user) -> list[Contract]:
    """The contracts whose network the user operates (as the awarded applicant)."""
    return list(db.session.scalars(
        select(Contract).join(Proposal, Proposal.id == Contract.proposal_id)
        .where(Proposal.applicant_id == user.id)
        .options(joinedload(Contract.proposal), selectinload(Contract.milestones).selectinload(Milestone.reports),
                 selectinload(Contract.milestones).joinedload(Milestone.payment))
        .order_by(Contract.start_date.desc(), Contract.id)
    ).unique())


def is_operator(user) -> bool:
    """True when the user operates at least one contracted network (navigation role)."""
    return db.session.scalar(
        select(Contract.id).join(Proposal, Proposal.id == Contract.proposal_id)
        .where(Proposal.applicant_id == user.id).limit(1)
    ) is not None


# --- portfolio ----------------------------------------------------------------------------------


@dataclass
class ContractLine:
    """One contract in the portfolio with its money figures."""

    contract: Contract
    paid_cents: int
    open_reports: int
    next_due: date | None

    @property
    def open_cents(self) -> int:
        """Committed but not paid yet."""
        return self.contract.amount_cents - self.paid_cents


@dataclass
class SourceLine:
    """Committed, paid and open money of one funding source."""

    source: str
    committed_cents: int = 0
    paid_cents: int = 0

    @property
    def open_cents(self) -> int:
        """Committed but not paid yet."""
        return self.committed_cents - self.paid_cents


@dataclass
class Portfolio:
    """All contracts with totals, totals by funding source, and awards still without a contract."""

    lines: list[ContractLine] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    awaiting: list[Decision] = field(default_factory=list)

    @property
    def committed_cents(self) -> int:
        """Σ contract amounts."""
        return sum(line.contract.amount_cents for line in self.lines)

    @property
    def paid_cents(self) -> int:
        """Σ payments."""
        return sum(line.paid_cents for line in self.lines)

    @property
    def open_cents(self) -> int:
        """Committed minus paid."""
        return self.committed_cents - self.paid_cents

    @property
    def open_reports(self) -> int:
        """Reports awaiting verification."""
        return sum(line.open_reports for line in self.lines)


def _committed_by_source(contract: Contract) -> dict[str, int]:
    """A contract's amount split by its shares (unassigned while the shares do not sum to 100 %)."""
    try:
        return payments.split_by_shares(contract.amount_cents, contract.shares_map())
    except ValueError:
        return {UNASSIGNED: contract.amount_cents}


def portfolio(competition_id: int | None = None) -> Portfolio:
    """Every contract (optionally of one competition) with committed, paid and open money."""
    contracts_query = (select(Contract).options(joinedload(Contract.proposal), joinedload(Contract.competition),
                                                selectinload(Contract.funding_shares))
                       .order_by(Contract.competition_id, Contract.number))
    paid_query = select(Payment.contract_id, func.sum(Payment.amount_cents)).group_by(Payment.contract_id)
    source_query = (select(PaymentPart.source, func.sum(PaymentPart.amount_cents))
                    .join(Payment, Payment.id == PaymentPart.payment_id).group_by(PaymentPart.source))
    reports_query = (select(Milestone.contract_id, func.count(ProgressReport.id))
                     .join(ProgressReport, ProgressReport.milestone_id == Milestone.id)
                     .where(ProgressReport.status == "submitted").group_by(Milestone.contract_id))
    due_query = (select(Milestone.contract_id, func.min(Milestone.due_date))
                 .outerjoin(Payment, Payment.milestone_id == Milestone.id)
                 .where(Payment.id.is_(None)).group_by(Milestone.contract_id))
    awaiting_query = (select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
                      .outerjoin(Contract, Contract.proposal_id == Decision.proposal_id)
                      .where(Decision.outcome == "awarded", Contract.id.is_(None))
                      .options(joinedload(Decision.proposal).joinedload(Proposal.competition))
                      .order_by(Decision.award_date, Decision.id))
    if competition_id is not None:
        contracts_query = contracts_query.where(Contract.competition_id == competition_id)
        paid_query = paid_query.where(Payment.contract.has(Contract.competition_id == competition_id))
        source_query = source_query.join(Contract, Contract.id == Payment.contract_id).where(
            Contract.competition_id == competition_id)
        reports_query = reports_query.join(Contract, Contract.id == Milestone.contract_id).where(
            Contract.competition_id == competition_id)
        due_query = due_query.join(Contract, Contract.id == Milestone.contract_id).where(
            Contract.competition_id == competition_id)
        awaiting_query = awaiting_query.where(Proposal.competition_id == competition_id)

    contracts = list(db.session.scalars(contracts_query).unique())
    paid = dict(db.session.execute(paid_query).all())
    paid_by_source = dict(db.session.execute(source_query).all())
    open_reports = dict(db.session.execute(reports_query).all())
    next_due = dict(db.session.execute(due_query).all())
    result = Portfolio(awaiting=list(db.session.scalars(awaiting_query).unique()))

    committed: dict[str, int] = defaultdict(int)
    for contract in contracts:
        result.lines.append(ContractLine(contract=contract, paid_cents=int(paid.get(contract.id) or 0),
                                         open_reports=int(open_reports.get(contract.id) or 0),
                                         next_due=next_due.get(contract.id)))
        for source, cents in _committed_by_source(contract).items():
            committed[source] += cents
    names = list(dict.fromkeys([*committed, *paid_by_source]))
    result.sources = [SourceLine(source=name, committed_cents=committed.get(name, 0),
                                 paid_cents=int(paid_by_source.get(name) or 0)) for name in names]
    return result


# --- charts of one contract ---------------------------------------------------------------------


def milestone_done_on(milestone: Milestone, zone: ZoneInfo) -> date | None:
    """When a milestone was achieved: the day (in the competition's zone) its report was accepted."""
    report = milestone.accepted_report
    if report is None or report.verified_at is None:
        return None
    return report.verified_at.astimezone(zone).date()


def contract_charts(contract: Contract, today: date) -> dict:
    """The timeline, KPI and payment charts of a loaded contract."""
    zone = contract.competition.zone
    items = [TimelineItem(label=s.label, kind="step", planned=s.planned_on, actual=s.done_on)
             for s in contract.approval_steps]
    items += [TimelineItem(label=m.title, kind="milestone", planned=m.due_date, actual=milestone_done_on(m, zone))
              for m in contract.milestones]
    kpis = [KpiItem(label=m.title, unit=m.unit, baseline=m.baseline, target=m.target,
                    achieved=m.accepted_report.achieved if m.accepted_report else None,
                    minimum_level=m.minimum_level, rule=m.rule) for m in contract.milestones]
    paid = [(p.released_at.astimezone(zone).date(), {part.source: part.amount_cents for part in p.parts})
            for p in contract.payments]
    return {
        "timeline": timeline_chart(items, contract.start_date, contract.end_date, today),
        "kpi": kpi_chart(kpis) if kpis else None,
        "payments": payments_chart(paid, [s.source for s in contract.funding_shares], contract.amount_cents),
    }
