"""Computing and releasing payments: milestone payments from accepted reports, and the fixed tranche.

Releasing is safe against double clicks and concurrent requests:

1. the contract row and the milestone row are locked (SELECT … FOR UPDATE on PostgreSQL), so
   concurrent releases for one contract run one after the other, and the later one sees the
   payment the earlier one made;
2. a payment that was already released for the latest accepted report is returned as it is
   (the release is idempotent);
3. the unique constraints on contract_payments (one payment per report, one fixed tranche) are
   the final guard: should a second insert slip through (SQLite has no row locks), the database
   refuses it and the release reports "already paid";
4. payable_now refuses a payment that would make the total paid exceed the contract amount.

Milestones are paid in instalments (METHOD.md): a release pays what the latest accepted value
earns, P(x_latest), minus what the milestone has paid so far; nothing when that is 0 or less
(nothing is clawed back). The milestone closes once it has paid its ceiling (a · c).

The fixed part A_fixed is paid by its own "fixed tranche" release, once per contract, from
signing on (e.g. as an advance when the network starts its work), split by the same shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.contracts import payments
from app.contracts.models import Contract, Milestone, Payment, PaymentPart, ProgressReport
from app.contracts.services import contract_problems, external_url, share_problems
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.formatting import Money
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db


class PaymentAlreadyReleased(DomainError):
    """The payment was released before (a repeated or concurrent request); nothing was paid again."""


@dataclass
class Preview:
    """What releasing would pay now, how it is computed and split, or why it cannot be released."""

    kind: str
    amount_cents: int | None = None
    calculation: payments.PaymentCalculation | None = None
    parts: dict[str, int] = field(default_factory=dict)
    report: ProgressReport | None = None
    paid_cents: int = 0
    remaining_cents: int = 0
    earned_cents: int | None = None  # P(x_latest): what the latest accepted value earns in all
    milestone_paid_cents: int = 0  # what the milestone's earlier instalments paid
    problems: list = field(default_factory=list)
    payment: Payment | None = None

    @property
    def releasable(self) -> bool:
        """True when the admin may release the payment now."""
        return self.payment is None and not self.problems and self.amount_cents is not None


def calculate(milestone: Milestone, achieved: Decimal) -> payments.PaymentCalculation:
    """The payment for a milestone at an achieved value (METHOD.md, via the pure payments module)."""
    return payments.milestone_payment(payments.Milestone(
        rule=milestone.rule, baseline=milestone.baseline, target=milestone.target, achieved=achieved,
        tranche_cents=milestone.tranche_cents, minimum_level=milestone.minimum_level, cap=milestone.cap))


def paid_total(contract_id: int) -> int:
    """The sum of all payments of a contract, read from the database (not from a cached collection)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.contract_id == contract_id))
    return int(total or 0)  # PostgreSQL sums bigint as numeric


def paid_on_milestone(milestone_id: int) -> int:
    """The sum of a milestone's instalments, read from the database (fresh under the release lock)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.milestone_id == milestone_id))
    return int(total or 0)


def latest_accepted_report(milestone_id: int) -> ProgressReport | None:
    """The most recently accepted report of a milestone."""
    return db.session.scalar(
        select(ProgressReport).where(ProgressReport.milestone_id == milestone_id, ProgressReport.status == "accepted")
        .order_by(ProgressReport.verified_at.desc(), ProgressReport.id.desc()).limit(1))


def _base_problems(contract: Contract) -> list:
    problems: list = []
    if not contract.is_signed:
        problems.append(_l("The contract has not been signed yet."))
    return problems + contract_problems(contract)


def _finish(preview: Preview, contract: Contract, paid_cents: int | None = None) -> Preview:
    """Add the payout limit and the split by funding source to a preview."""
    preview.paid_cents = paid_total(contract.id) if paid_cents is None else paid_cents
    preview.remaining_cents = max(contract.amount_cents - preview.paid_cents, 0)
    if preview.amount_cents is None or preview.payment is not None:
        return preview
    try:
        payments.payable_now(preview.amount_cents, preview.paid_cents, contract.amount_cents)
    except payments.PaymentLimitExceeded as exceeded:
        preview.problems.append(_l("Paying %(amount)s would exceed the contract amount: only %(remaining)s remain "
                                   "payable.", amount=Money(exceeded.requested_cents),
                                   remaining=Money(exceeded.remaining_cents)))
    if not share_problems(contract):
        preview.parts = payments.split_by_shares(preview.amount_cents, contract.shares_map())
    return preview


def milestone_preview(milestone: Milestone) -> Preview:
    """What releasing the milestone's next instalment would pay now, with calculation and split."""
    contract = milestone.contract
    report = latest_accepted_report(milestone.id)
    paid_before = paid_on_milestone(milestone.id)
    calc = calculate(milestone, report.achieved) if report is not None else None
    existing = (db.session.scalar(select(Payment).where(Payment.report_id == report.id))
                if report is not None else None)
    if existing is not None:  # the latest value has been paid for: show that payment
        return _finish(Preview(kind="milestone", amount_cents=existing.amount_cents, calculation=calc,
                               parts={p.source: p.amount_cents for p in existing.parts}, report=report,
                               payment=existing, earned_cents=calc.amount_cents if calc else None,
                               milestone_paid_cents=paid_before - existing.amount_cents), contract)
    preview = Preview(kind="milestone", problems=_base_problems(contract), report=report,
                      milestone_paid_cents=paid_before)
    if milestone.is_closed:
        preview.problems.append(_l("This milestone is closed; it pays no more."))
    if report is None:
        preview.problems.append(_l("No report on this milestone has been accepted yet."))
    else:
        assert calc is not None
        preview.calculation = calc
        preview.earned_cents = calc.amount_cents
        preview.amount_cents = payments.instalment_cents(calc.amount_cents, paid_before)
        if preview.amount_cents == 0 and not milestone.is_closed:
            preview.problems.append(_l(
                "Nothing is due now: the latest accepted value earns %(earned)s in all, and this milestone has "
                "already paid %(paid)s. A later report with a higher value can pay more.",
                earned=Money(calc.amount_cents), paid=Money(paid_before)))
    return _finish(preview, contract)


def fixed_preview(contract: Contract, *, paid_cents: int | None = None) -> Preview:
    """What releasing the fixed tranche would pay now, with its split.

    paid_cents: the sum paid so far when the caller has just loaded the payments (the contract page);
    by default it is read from the database.
    """
    # The contract's payments are loaded with it (and reloaded under the release lock): no extra query.
    existing = next((p for p in contract.payments if p.kind == "fixed"), None)
    if existing is not None:
        return _finish(Preview(kind="fixed", amount_cents=existing.amount_cents,
                               parts={p.source: p.amount_cents for p in existing.parts}, payment=existing), contract,
                       paid_cents)
    preview = Preview(kind="fixed", amount_cents=contract.fixed_cents, problems=_base_problems(contract))
    if contract.fixed_cents <= 0:
        preview.problems.append(_l("This contract has no fixed part."))
    return _finish(preview, contract, paid_cents)


def _lock_contract(contract_id: int) -> Contract:
    """Lock the contract row until the transaction ends, with fresh data (concurrent releases queue here)."""
    db.session.expire_all()  # whatever this request loaded before the lock may be stale now
    contract = db.session.scalar(select(Contract).where(Contract.id == contract_id).with_for_update()
                                 .execution_options(populate_existing=True))
    if contract is None:
        raise DomainError(_l("The contract does not exist."))
    return contract


def _calculation_record(preview: Preview, contract: Contract) -> dict[str, Any]:
    record: dict[str, Any] = {"shares": {s: str(v) for s, v in contract.shares_map().items()},
                              "contract_amount_cents": contract.amount_cents,
                              "paid_before_cents": preview.paid_cents}
    if preview.kind == "milestone":
        record["earned_cents"] = preview.earned_cents
        record["milestone_paid_before_cents"] = preview.milestone_paid_cents
        record["steps"] = [{"key": s.key, "label": s.label, "value": str(s.value), "formula": s.formula}
                           for s in preview.calculation.steps]
        record["achieved"] = str(preview.report.achieved) if preview.report else None
    return record


def _store_payment(contract: Contract, preview: Preview, *, milestone: Milestone | None, actor) -> Payment:
    """Insert the payment and its parts; the unique constraints refuse a second one."""
    assert preview.amount_cents is not None
    payment = Payment(contract_id=contract.id, milestone_id=milestone.id if milestone else None,
                      report_id=preview.report.id if preview.report else None, kind=preview.kind,
                      amount_cents=preview.amount_cents, calculation=_calculation_record(preview, contract),
                      released_by_id=actor.id)
    shares = contract.shares_map()
    for position, (source, cents) in enumerate(payments.split_by_shares(preview.amount_cents, shares).items()):
        payment.parts.append(PaymentPart(position=position, source=source, share=shares[source], amount_cents=cents))
    assert sum(p.amount_cents for p in payment.parts) == payment.amount_cents
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise PaymentAlreadyReleased(_l("This payment has already been released; it was not paid again.")) from exc
    record_event("contract.payment_released", contract, after=payment.audit_view(), actor=actor)
    if milestone is not None and preview.milestone_paid_cents + payment.amount_cents >= milestone.ceiling_cents:
        _close_fully_earned(milestone, actor)
    operator = contract.proposal.applicant
    queue_mail(operator.email, "contract_payment_released", operator.locale, user=operator, user_obj=operator,
               contract=contract, payment=payment, milestone=milestone,
               link=external_url("contracts.operator_detail", contract_id=contract.id))
    return payment


def _close_fully_earned(milestone: Milestone, actor) -> None:
    """The milestone has paid its ceiling: close it, so no later report is asked for or paid."""
    before = milestone.audit_view()
    milestone.closed_at = utcnow()
    record_event("contract.milestone_closed", milestone, before=before, after=milestone.audit_view(), actor=actor)


def close_milestone(milestone: Milestone, reason: str, actor) -> None:
    """Close a milestone with the administrator's reason (e.g. the final report is in): it pays no more."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give the reason for closing the milestone."), "reason")
    if milestone.is_closed:
        raise DomainError(_l("This milestone is closed; it pays no more."))
    before = milestone.audit_view()
    milestone.closed_at, milestone.closing_reason = utcnow(), reason
    record_event("contract.milestone_closed", milestone, before=before, after=milestone.audit_view(), actor=actor)


def _check_expected(preview: Preview, expected_cents: int | None) -> None:
    """The admin confirms the amount they saw; if it changed meanwhile, nothing is paid."""
    if expected_cents is not None and preview.amount_cents != expected_cents:
        raise DomainError(_l("The amount has changed since you opened the page (now %(amount)s). Please check the "
                             "calculation again.", amount=Money(preview.amount_cents or 0)))


def release_milestone_payment(contract_id: int, milestone_id: int, *, expected_cents: int | None,
                              actor) -> tuple[Payment, bool]:
    """Release the instalment the latest accepted report earns; return (payment, True) or, when that report
    was paid already, (its payment, False)."""
    contract = _lock_contract(contract_id)
    milestone = db.session.scalar(select(Milestone).where(Milestone.id == milestone_id,
                                                          Milestone.contract_id == contract.id)
                                  .with_for_update().execution_options(populate_existing=True))
    if milestone is None:
        raise DomainError(_l("The milestone does not exist."))
    preview = milestone_preview(milestone)
    if preview.payment is not None:
        return preview.payment, False
    _raise_problems(preview)
    _check_expected(preview, expected_cents)
    return _store_payment(contract, preview, milestone=milestone, actor=actor), True


def release_fixed_payment(contract_id: int, *, expected_cents: int | None, actor) -> tuple[Payment, bool]:
    """Release the fixed tranche once; return (payment, True) or the earlier (payment, False)."""
    contract = _lock_contract(contract_id)
    preview = fixed_preview(contract)
    if preview.payment is not None:
        return preview.payment, False
    _raise_problems(preview)
    _check_expected(preview, expected_cents)
    return _store_payment(contract, preview, milestone=None, actor=actor), True


def _raise_problems(preview: Preview) -> None:
    if preview.problems:
        raise DomainError("; ".join(str(p) for p in preview.problems))
