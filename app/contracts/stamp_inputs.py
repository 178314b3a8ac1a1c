"""What the contract pages show, as inputs of the competition's contracts stamp (app/competitions/stamps.py).

The contract page and the portfolio keep their rendered bodies in the one cache under this
stamp, so every row they read moves it: the contract and each of its rows (marked by the
contract, milestone or payment they belong to), the awards (the portfolio lists awards still
without a contract), the proposals (titles) and people's names (applicants, authors of
amendments). The competition itself moves all its stamps (app/competitions/stamps.py).
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.accounts.models import User
from app.competitions.stamps import CONTRACTS, register_stamp_inputs, register_stamp_owner
from app.contracts.models import (
    Amendment,
    ApprovalStep,
    Contract,
    ContractFile,
    ContractFundingShare,
    ContractOperator,
    ContractReminder,
    Milestone,
    Payment,
    PaymentPart,
    ProgressReport,
    TeamMember,
)
from app.decisions.models import Decision
from app.proposals.models import Proposal

STAMPS = (CONTRACTS,)


def _contract(session, obj: Contract, change, written) -> None:
    written.mark(STAMPS, obj.competition_id)


def _parent_id(obj, parent: str) -> int | None:
    """The id of the row's parent; a row appended to parent.<list> has no foreign key before the flush."""
    value = getattr(obj, f"{parent}_id")
    return value if value is not None else getattr(getattr(obj, parent, None), "id", None)


def _contract_row(session, obj, change, written) -> None:
    written.mark(STAMPS, owner="contract", owner_id=_parent_id(obj, "contract"))


def _milestone_row(session, obj, change, written) -> None:
    written.mark(STAMPS, owner="milestone", owner_id=_parent_id(obj, "milestone"))


def _payment_part(session, obj: PaymentPart, change, written) -> None:
    written.mark(STAMPS, owner="payment", owner_id=_parent_id(obj, "payment"))


def _by_proposal(session, obj, change, written) -> None:
    written.mark(STAMPS, owner="proposal", owner_id=obj.proposal_id)


def _proposal(session, obj: Proposal, change, written) -> None:
    if obj.status != "draft":
        written.mark(STAMPS, obj.competition_id)


def _user(session, obj: User, change, written) -> None:
    if obj.id is None or not inspect(obj).attrs.stored_name.history.has_changes():
        return
    # Names appear as applicants and as authors of amendments, in any competition with contracts;
    # renaming is rare, so every such competition's pages are rendered anew.
    for competition_id in session.scalars(select(Contract.competition_id).distinct()):
        written.mark(STAMPS, competition_id)


def register() -> None:
    """Register the contract pages' inputs with the competition's stamps."""
    register_stamp_inputs(_contract, Contract)
    register_stamp_inputs(_contract_row, ContractOperator, ContractFundingShare, ApprovalStep, TeamMember,
                          Milestone, ContractFile, Payment, Amendment)
    register_stamp_inputs(_milestone_row, ProgressReport, ContractReminder)
    register_stamp_inputs(_payment_part, PaymentPart)
    register_stamp_inputs(_by_proposal, Decision)
    register_stamp_inputs(_proposal, Proposal)
    register_stamp_inputs(_user, User)
    register_stamp_owner("contract", lambda ids: select(Contract.competition_id).where(Contract.id.in_(ids)))
    register_stamp_owner("milestone", lambda ids: select(Contract.competition_id).join(
        Milestone, Milestone.contract_id == Contract.id).where(Milestone.id.in_(ids)))
    register_stamp_owner("payment", lambda ids: select(Contract.competition_id).join(
        Payment, Payment.contract_id == Contract.id).where(Payment.id.in_(ids)))
