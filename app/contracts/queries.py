"""Read-side queries of the contracts package: contract pages, operator lists, the portfolio.

The portfolio issues a fixed number of statements however many contracts exist (totals are
grouped in SQL, children are loaded with selectinload), so it never degrades into N+1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, bindparam, func, inspect, literal_column, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.competitions.models import Competition
from app.contracts import payments
from app.contracts.charts import KpiItem, TimelineItem, kpi_chart, payments_chart, timeline_chart
from app.contracts.display import STATUS_LABELS
from app.contracts.models import (
    Amendment,
    ApprovalStep,
    Contract,
    ContractFile,
    ContractFundingShare,
    ContractOperator,
    Milestone,
    Payment,
    PaymentPart,
    ProgressReport,
    TeamMember,
)
from app.decisions.models import Decision
from app.extensions import db
from app.proposals.models import Proposal

UNASSIGNED = ""  # committed money of contracts whose shares do not sum to 100 % yet


# The children of one contract come in one statement: each row is one child, found by one branch of an
# outer join per kind. A contract page then costs two statements instead of one per collection (round
# trips and per-statement ORM work dominated its time).
# (kind, the entities the branch fills; in every row all other entities are NULL)
_CHILD_KINDS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("operators", (ContractOperator,)), ("shares", (ContractFundingShare,)), ("steps", (ApprovalStep,)),
    ("team", (TeamMember,)), ("milestones", (Milestone,)), ("reports", (ProgressReport,)),
    ("files", (ContractFile,)), ("payments", (Payment,)), ("parts", (PaymentPart,)), ("amendments", (Amendment, User)),
)
_CHILD_ENTITIES = tuple(entity for _, entities in _CHILD_KINDS for entity in entities)
# Where each kind's own entity sits in a result row (after the kind).
_KIND_POSITION = {kind: _CHILD_ENTITIES.index(entities[0]) + 1 for kind, entities in _CHILD_KINDS}


def load_contract(contract_id: int) -> Contract | None:
    """A contract with everything its page shows, in two statements."""
    contract = db.session.scalar(_contract_statement(), {"contract_id": contract_id})
    if contract is not None:
        _load_children(contract)
    return contract


def _contract_statement():
    """One contract (bound `contract_id`) with its proposal, applicant and competition."""
    return select(Contract).where(Contract.id == bindparam("contract_id", type_=Integer)).options(
        joinedload(Contract.proposal).joinedload(Proposal.applicant), joinedload(Contract.competition))


def _children_statement():
    """Every child row of one contract with its kind: one row per kind and child (a kind without any: NULLs)."""
    contract_id = bindparam("contract_id", type_=Integer)
    conditions = {
        "reports": ProgressReport.milestone_id.in_(select(Milestone.id).where(Milestone.contract_id == contract_id)),
        "parts": PaymentPart.payment_id.in_(select(Payment.id).where(Payment.contract_id == contract_id)),
    }
    kinds = union_all(*(select(literal_column(f"'{kind}'").label("kind")) for kind, _ in _CHILD_KINDS)).subquery()
    statement = select(kinds.c.kind, *_CHILD_ENTITIES).select_from(kinds)
    for kind, (entity, *_) in _CHILD_KINDS:
        condition = conditions[kind] if kind in conditions else entity.contract_id == contract_id
        statement = statement.outerjoin(entity, and_(kinds.c.kind == literal_column(f"'{kind}'"), condition))
    # Each amendment with its author, so the page names who amended without a query per person.
    return statement.outerjoin(User, User.id == Amendment.created_by_id)


def _set_loaded(obj, key: str, value) -> None:
    """Fill a relationship as a loader would, unless this session has loaded (and maybe changed) it already."""
    if key in inspect(obj).unloaded:
        set_committed_value(obj, key, value)


def _by_position(item) -> tuple[int, int]:
    """Sort key of the lists ordered by position (ties by id)."""
    return item.position, item.id


def _load_children(contract: Contract) -> None:
    """Load the contract's lists, milestones with reports and payments, parts, files and amendments."""
    found: dict[str, list] = defaultdict(list)
    authors: dict[int, User | None] = {}
    for row in db.session.execute(_children_statement(), {"contract_id": contract.id}):
        item = row[_KIND_POSITION[row.kind]]
        if item is None:  # the kind's one row when the contract has none of it
            continue
        found[row.kind].append(item)
        if row.kind == "amendments":
            authors[item.id] = row[-1]

    def ordered(kind: str, key) -> list:
        """The children of a kind in the order of their relationship (ties broken by id)."""
        return sorted(found[kind], key=key)

    _set_loaded(contract, "operators", ordered("operators", _by_position))
    _set_loaded(contract, "funding_shares", ordered("shares", _by_position))
    _set_loaded(contract, "approval_steps", ordered("steps", _by_position))
    _set_loaded(contract, "team_members", ordered("team", _by_position))
    files = ordered("files", lambda f: f.id)
    _set_loaded(contract, "documents", [f for f in files if f.kind == "document"])
    amendments = ordered("amendments", lambda a: (a.created_at, a.id))[::-1]  # newest first
    _set_loaded(contract, "amendments", amendments)
    for amendment in amendments:
        _set_loaded(amendment, "created_by", authors[amendment.id])

    released = ordered("payments", lambda p: (p.released_at, p.id))
    _set_loaded(contract, "payments", released)
    parts = ordered("parts", _by_position)
    for payment in released:
        _set_loaded(payment, "parts", [part for part in parts if part.payment_id == payment.id])
    reports = ordered("reports", lambda r: (r.submitted_at, r.id))
    for report in reports:
        _set_loaded(report, "files", [f for f in files if f.report_id == report.id])
    milestones = ordered("milestones", lambda m: (m.due_date, m.id))
    _set_loaded(contract, "milestones", milestones)
    for milestone in milestones:
        _set_loaded(milestone, "reports", [r for r in reports if r.milestone_id == milestone.id])
        # The instalments in the relationship's order (by id), whatever order the page lists payments in.
        _set_loaded(milestone, "payments", sorted((p for p in released if p.milestone_id == milestone.id),
                                                  key=lambda p: p.id))


def operator_contracts(user) -> list[Contract]:
    """The contracts whose network the user operates (as the awarded applicant)."""
    return list(db.session.scalars(
        select(Contract).join(Proposal, Proposal.id == Contract.proposal_id)
        .where(Proposal.applicant_id == user.id)
        .options(joinedload(Contract.proposal), selectinload(Contract.milestones).selectinload(Milestone.reports),
                 selectinload(Contract.milestones).selectinload(Milestone.payments))
        .order_by(Contract.start_date.desc(), Contract.id)
    ).unique())


def operates_a_network(user_id: int):
    """SQL condition: the user operates at least one contracted network (navigation role)."""
    return (select(Contract.id).join(Proposal, Proposal.id == Contract.proposal_id)
            .where(Proposal.applicant_id == user_id).exists())


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


def _committed_by_source(contract: Contract, shares: dict[str, Decimal]) -> dict[str, int]:
    """A contract's amount split by its shares (unassigned while the shares do not sum to 100 %)."""
    try:
        return payments.split_by_shares(contract.amount_cents, shares)
    except ValueError:
        return {UNASSIGNED: contract.amount_cents}


# The portfolio's statements come in two variants: all contracts, or one competition's (bound as `competition_id`).
_COMPETITION = bindparam("competition_id", type_=Integer)


def _portfolio_contracts_statement(one_competition: bool):
    """The contracts with, per contract, the sum paid, the reports to verify and the next due date.

    One statement: the figures are correlated subqueries (each an index lookup per contract), and the
    list shows only the network's name and the call's title, so neither the proposal (with its large
    snapshot) nor the competition is loaded whole.
    """
    paid = (select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.contract_id == Contract.id)
            .scalar_subquery())
    open_reports = (select(func.count(ProgressReport.id))
                    .join(Milestone, Milestone.id == ProgressReport.milestone_id)
                    .where(Milestone.contract_id == Contract.id, ProgressReport.status == "submitted")
                    .scalar_subquery())
    next_due = (select(func.min(Milestone.due_date))
                .where(Milestone.contract_id == Contract.id, Milestone.closed_at.is_(None)).scalar_subquery())
    query = (select(Contract, paid, open_reports, next_due)
             .options(joinedload(Contract.proposal).load_only(Proposal.network_name, Proposal.applicant_id),
                      joinedload(Contract.competition).load_only(Competition.title))
             .order_by(Contract.competition_id, Contract.number))
    return query.where(Contract.competition_id == _COMPETITION) if one_competition else query


def _portfolio_shares_statement(one_competition: bool):
    """Every contract's funding shares as plain values, in the declared order."""
    query = (select(ContractFundingShare.contract_id, ContractFundingShare.source, ContractFundingShare.share)
             .order_by(ContractFundingShare.contract_id, ContractFundingShare.position, ContractFundingShare.id))
    if one_competition:
        query = query.join(Contract, Contract.id == ContractFundingShare.contract_id).where(
            Contract.competition_id == _COMPETITION)
    return query


def _paid_by_source_statement(one_competition: bool):
    """The sum paid per funding source."""
    query = (select(PaymentPart.source, func.sum(PaymentPart.amount_cents))
             .join(Payment, Payment.id == PaymentPart.payment_id).group_by(PaymentPart.source))
    if one_competition:
        query = query.join(Contract, Contract.id == Payment.contract_id).where(Contract.competition_id == _COMPETITION)
    return query


def _awaiting_statement(one_competition: bool):
    """Awarded proposals still without a contract, oldest award first."""
    query = (select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
             .outerjoin(Contract, Contract.proposal_id == Decision.proposal_id)
             .where(Decision.outcome == "awarded", Contract.id.is_(None))
             .options(joinedload(Decision.proposal).load_only(Proposal.network_name, Proposal.competition_id)
                      .joinedload(Proposal.competition).load_only(Competition.title))
             .order_by(Decision.award_date, Decision.id))
    return query.where(Proposal.competition_id == _COMPETITION) if one_competition else query


def portfolio(competition_id: int | None = None) -> Portfolio:
    """Every contract (optionally of one competition) with committed, paid and open money."""
    one = competition_id is not None
    params = {"competition_id": competition_id} if one else {}
    contracts = db.session.execute(_portfolio_contracts_statement(one), params).all()
    shares: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for contract_id, source, share in db.session.execute(_portfolio_shares_statement(one), params):
        shares[contract_id][source] = share
    paid_by_source = dict(db.session.execute(_paid_by_source_statement(one), params).all())
    result = Portfolio(awaiting=list(db.session.scalars(_awaiting_statement(one), params).unique()))

    committed: dict[str, int] = defaultdict(int)
    for contract, paid, open_reports, next_due in contracts:
        result.lines.append(ContractLine(contract=contract, paid_cents=int(paid or 0),
                                         open_reports=int(open_reports or 0), next_due=next_due))
        for source, cents in _committed_by_source(contract, shares.get(contract.id, {})).items():
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


def applicant_contract_facts(proposal_ids: list[int]) -> dict[int, dict]:
    """The contract of each proposal that has one, for the applicant's outcome view (proposals.outcomes)."""
    rows = db.session.execute(
        select(Contract.proposal_id, Contract.id, Contract.number, Contract.status)
        .where(Contract.proposal_id.in_(proposal_ids)))
    return {pid: {"contract_id": cid, "contract_number": number, "contract_status": STATUS_LABELS[status]}
            for pid, cid, number, status in rows}
