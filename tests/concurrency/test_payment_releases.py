"""Concurrent payment releases by several admin sessions: paid once, parts add up, never above the amount."""

from __future__ import annotations

from sqlalchemy import func, select

from app.contracts.models import Contract, Payment
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db as _db
from tests.builders.contracts import (
    WORKED_AMOUNT,
    WORKED_FIXED,
    accepted_value,
    worked_example_contract,
)
from tests.concurrency.helpers import browser, run_together
from tests.factories import AdminFactory

SESSIONS = 10


def _payments() -> list[Payment]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Payment).order_by(Payment.id)))


def _count(column, *conditions) -> int:
    return _db.session.scalar(select(func.count(column)).where(*conditions))


def test_one_milestone_released_by_many_admin_sessions_at_once_is_paid_once(app, db):
    admins = [AdminFactory() for _ in range(SESSIONS)]
    with app.test_request_context():
        contract, members = worked_example_contract(admins[0])
        accepted_value(members, 20, admins[0])  # METHOD.md worked example: 45,000.00
    url = f"/admin/contracts/{contract.id}/milestones/{members.id}/release"
    sessions = [browser(app, admin, number, token_from=url) for number, admin in enumerate(admins)]

    def release(number: int):
        client, token = sessions[number]
        return client.post(url, data={"csrf_token": token, "expected_cents": "4500000"}).status_code

    outcomes = run_together([lambda n=n: release(n) for n in range(SESSIONS)])

    assert [o.result for o in outcomes] == [302] * SESSIONS  # released or "already released", never a 500
    payments = _payments()
    assert len(payments) == 1
    payment = payments[0]
    assert payment.amount_cents == 4_500_000
    assert sum(p.amount_cents for p in payment.parts) == payment.amount_cents
    assert [(p.source, p.amount_cents) for p in payment.parts] == [("EFRE", 3_375_000), ("Stadt", 1_125_000)]
    assert _count(AuditEvent.id, AuditEvent.action == "contract.payment_released") == 1
    assert _count(OutboxMessage.id, OutboxMessage.template == "contract_payment_released") == 1


def test_every_payment_of_a_contract_released_at_once_pays_the_amount_exactly_once(app, db):
    admins = [AdminFactory() for _ in range(3)]
    with app.test_request_context():
        contract, members = worked_example_contract(admins[0])
        projects, portal = (m for m in contract.milestones if m.id != members.id)
        accepted_value(members, 25, admins[0])  # full tranches: the payments add up to the whole amount
        accepted_value(projects, 4, admins[0])
        accepted_value(portal, 1, admins[0])
    base = f"/admin/contracts/{contract.id}"
    releases = [(f"{base}/fixed-tranche/release", WORKED_FIXED)] + [
        (f"{base}/milestones/{m.id}/release", m.tranche_cents) for m in (members, projects, portal)]
    # Each admin has one session and presses every release button: 3 × 4 requests at the same moment.
    sessions = [browser(app, admin, number) for number, admin in enumerate(admins)]
    requests = [(session, url, cents) for session in sessions for url, cents in releases]

    def release(index: int):
        (client, token), url, cents = requests[index]
        return client.post(url, data={"csrf_token": token, "expected_cents": str(cents)}).status_code

    outcomes = run_together([lambda i=i: release(i) for i in range(len(requests))])

    assert {o.result for o in outcomes} == {302}
    payments = _payments()
    assert sorted((p.kind, p.milestone_id) for p in payments) == sorted(
        [("fixed", None)] + [("milestone", m.id) for m in (members, projects, portal)])
    for payment in payments:
        assert sum(p.amount_cents for p in payment.parts) == payment.amount_cents
    total = sum(p.amount_cents for p in payments)
    assert total == WORKED_AMOUNT
    assert total <= _db.session.get(Contract, contract.id).amount_cents
    assert _count(AuditEvent.id, AuditEvent.action == "contract.payment_released") == 4
