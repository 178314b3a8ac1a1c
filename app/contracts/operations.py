"""The EU list of operations (Reg. (EU) 2021/1060, Art. 49(3)), computed from the contracts.

One row per contract: beneficiary, name, purpose and achievements, start and end date, total
cost (the contract amount, to the cent), fund, specific objective, Union co-financing rate (the
share of the competition's EU funding source), the Union amount (split to the cent as every
payment is), location and type of intervention. Nothing here is stored twice: the rows are
recomputed from the contracts on every request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.competitions.models import Competition
from app.contracts.models import Contract
from app.contracts.payments import split_by_shares
from app.extensions import db

OPERATION_FIELDS = (
    "operation_id", "beneficiary", "operation_name", "purpose", "achievements", "start_date", "end_date",
    "total_cost_eur", "union_amount_eur", "fund", "specific_objective", "union_cofinancing_rate_percent",
    "location_postcode", "country", "intervention_type", "status", "updated_at",
)


@dataclass(frozen=True)
class Operation:
    """One line of the list of operations."""

    operation_id: str
    beneficiary: str
    operation_name: str
    purpose: str
    achievements: str
    start_date: date
    end_date: date
    total_cost_cents: int
    union_amount_cents: int
    fund: str
    specific_objective: str
    union_cofinancing_rate_percent: Decimal
    location_postcode: str
    country: str
    intervention_type: str
    status: str
    updated_at: datetime
    proposal_id: int

    def record(self) -> dict[str, Any]:
        """The published fields: money as euro strings with two decimals, dates in ISO 8601."""
        data = asdict(self)
        return {
            **{name: data[name] for name in OPERATION_FIELDS if name in data},
            "start_date": self.start_date.isoformat(), "end_date": self.end_date.isoformat(),
            "total_cost_eur": cents_to_euros(self.total_cost_cents),
            "union_amount_eur": cents_to_euros(self.union_amount_cents),
            "union_cofinancing_rate_percent": format_rate(self.union_cofinancing_rate_percent),
            "updated_at": self.updated_at.isoformat(),
        }


def cents_to_euros(cents: int) -> str:
    """12345 → "123.45" (exact; no float on the way)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def format_rate(percent: Decimal) -> str:
    """75.0000 → "75", 62.5000 → "62.5"."""
    text = format(percent.normalize(), "f")
    return text


def _beneficiary(contract: Contract) -> str:
    names = [o.name for o in contract.operators if o.name]
    return "; ".join(names) if names else (contract.proposal.lead_name or contract.proposal.title)


def operation_of(contract: Contract, competition: Competition) -> Operation:
    """The list-of-operations line of one contract."""
    shares = contract.shares_map()
    union_rate = shares.get(competition.eu_funding_source, Decimal("0"))
    union_cents = split_by_shares(contract.amount_cents, shares).get(competition.eu_funding_source, 0) \
        if shares else 0
    proposal = contract.proposal
    return Operation(
        operation_id=contract.number, beneficiary=_beneficiary(contract), operation_name=proposal.title,
        purpose=contract.operation_purpose or proposal.objectives, achievements=contract.operation_achievements,
        start_date=contract.start_date, end_date=contract.end_date, total_cost_cents=contract.amount_cents,
        union_amount_cents=union_cents, fund=competition.eu_fund, specific_objective=competition.specific_objective,
        union_cofinancing_rate_percent=union_rate,
        location_postcode=contract.location_postcode or proposal.lead_postcode, country=contract.country,
        intervention_type=competition.intervention_type, status=contract.status,
        updated_at=max(contract.updated_at, competition.updated_at), proposal_id=proposal.id,
    )


def _contracts_statement():
    return (select(Contract).options(joinedload(Contract.proposal), joinedload(Contract.competition),
                                     selectinload(Contract.operators), selectinload(Contract.funding_shares))
            .order_by(Contract.number, Contract.id))


def list_of_operations() -> list[Operation]:
    """Every contracted operation, ordered by contract number (three statements)."""
    return [operation_of(c, c.competition) for c in db.session.scalars(_contracts_statement()).unique()]


def operations_for_proposals(proposal_ids: list[int]) -> dict[int, Operation]:
    """The operations of the contracts of these proposals, by proposal id."""
    if not proposal_ids:
        return {}
    contracts = db.session.scalars(_contracts_statement().where(Contract.proposal_id.in_(proposal_ids))).unique()
    return {c.proposal_id: operation_of(c, c.competition) for c in contracts}


def operations_last_changed() -> datetime | None:
    """When the list last changed: the latest change of a contract or of a competition that has one."""
    contract_change = db.session.scalar(select(func.max(Contract.updated_at)))
    competition_change = db.session.scalar(
        select(func.max(Competition.updated_at)).where(Competition.id.in_(select(Contract.competition_id))))
    changes = [c for c in (contract_change, competition_change) if c is not None]
    return max(changes) if changes else None
