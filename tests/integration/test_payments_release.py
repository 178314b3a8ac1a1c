"""Releasing payments: the METHOD.md worked example end to end, the payment rules through the
service, the split by funding source, and the guards against double and excessive payment."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.contracts import release, services
from app.contracts.models import Contract, Payment, PaymentPart
from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db as _db
from tests.builders.contracts import (
    WORKED_TRANCHE,
    accepted_value,
    milestone_terms,
    worked_example_contract,
)
from tests.factories import AdminFactory
from tests.web import csrf_token, login, post_form


def payment_count() -> int:
    return _db.session.scalar(select(func.count(Payment.id)))


# --- METHOD.md worked example -------------------------------------------------------------------


def test_worked_example_pays_45000_split_33750_and_11250(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)

    preview = release.milestone_preview(members)
    assert preview.releasable
    assert preview.calculation.attainment == Decimal("0.75")
    assert preview.amount_cents == 4_500_000
    assert preview.parts == {"EFRE": 3_375_000, "Stadt": 1_125_000}

    payment, created = release.release_milestone_payment(contract.id, members.id, expected_cents=4_500_000,
                                                         actor=admin)
    db.session.commit()
    assert created
    assert payment.amount_cents == 4_500_000
    assert [(p.source, p.amount_cents) for p in payment.parts] == [("EFRE", 3_375_000), ("Stadt", 1_125_000)]
    assert payment.calculation["achieved"] == "20.000"
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contract.payment_released")).one()
    assert audit.after["amount_cents"] == 4_500_000
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "contract_payment_released")).one()
    assert mail.recipient == contract.proposal.applicant.email
    assert "33.750,00" in mail.body and "11.250,00" in mail.body


def test_worked_example_achieved_9_pays_nothing(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 9, admin)

    preview = release.milestone_preview(members)
    assert preview.calculation.attainment == Decimal("0.2")
    assert not preview.calculation.threshold_met
    assert preview.amount_cents == 0 and not preview.releasable
    with pytest.raises(DomainError, match="Nichts ist jetzt fällig"):
        release.release_milestone_payment(contract.id, members.id, expected_cents=0, actor=admin)
    db.session.rollback()
    assert payment_count() == 0  # a release that would pay 0 pays nothing and settles nothing


def _release_instalment(contract, milestone, admin, value):
    accepted_value(milestone, value, admin)
    preview = release.milestone_preview(milestone)
    if not preview.releasable:
        return preview, None
    payment, created = release.release_milestone_payment(contract.id, milestone.id,
                                                         expected_cents=preview.amount_cents, actor=admin)
    _db.session.commit()
    assert created
    return preview, payment


def test_worked_example_instalments_pay_the_cents_method_states(db, in_request):
    """METHOD.md: 15 pays 30,000.00; 20 pays 15,000.00 more; 17 pays nothing; 25 pays 15,000.00 and closes."""
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)

    _, first = _release_instalment(contract, members, admin, 15)
    assert first.amount_cents == 3_000_000
    assert {p.source: p.amount_cents for p in first.parts} == {"EFRE": 2_250_000, "Stadt": 750_000}
    assert not members.is_closed and members.open_cents == 3_000_000

    preview, second = _release_instalment(contract, members, admin, 20)
    assert (preview.earned_cents, preview.milestone_paid_cents) == (4_500_000, 3_000_000)
    assert second.amount_cents == 1_500_000
    assert {p.source: p.amount_cents for p in second.parts} == {"EFRE": 1_125_000, "Stadt": 375_000}
    assert second.calculation["milestone_paid_before_cents"] == 3_000_000

    preview, nothing = _release_instalment(contract, members, admin, 17)
    assert nothing is None and preview.earned_cents == 3_600_000 and preview.amount_cents == 0
    assert members.paid_cents == 4_500_000  # nothing is clawed back

    _, last = _release_instalment(contract, members, admin, 25)
    assert last.amount_cents == 1_500_000
    db.session.refresh(members)
    assert members.paid_cents == WORKED_TRANCHE and members.is_closed and members.open_cents == 0
    assert members.closed_at is not None
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "contract.milestone_closed")) == 1
    with pytest.raises(DomainError, match="abgeschlossen"):
        accepted_value(members, 25, admin)  # a closed milestone takes no more reports


def test_early_partial_report_leaves_the_rest_earnable(db, in_request):
    """The reported bug: 18 of 25 early paid 39,000.00 and closed the milestone for good."""
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    _, early = _release_instalment(contract, members, admin, 18)
    assert early.amount_cents == 3_900_000  # r = 13/20 = 0.65
    _, rest = _release_instalment(contract, members, admin, 25)
    assert rest.amount_cents == 2_100_000
    assert members.paid_cents == WORKED_TRANCHE


def test_binary_milestone_pays_once_in_full(db, in_request):
    admin = AdminFactory()
    contract, milestone = _contract_with(admin, milestone_terms("Portal", 0, 1, 6_000_000, rule="binary"))
    preview, none_yet = _release_instalment(contract, milestone, admin, 0)
    assert none_yet is None and preview.amount_cents == 0
    _, payment = _release_instalment(contract, milestone, admin, 1)
    assert payment.amount_cents == 6_000_000
    assert milestone.is_closed


def test_release_page_shows_calculation_and_split_and_releases_once(client, db, login_as):
    admin = login_as(AdminFactory())
    with client.application.test_request_context():
        contract, members = worked_example_contract(admin)
        accepted_value(members, 20, admin)
    url = f"/admin/contracts/{contract.id}/milestones/{members.id}/release"

    page = client.get(url).get_data(as_text=True)
    assert "0,75 (75\xa0%)" in page  # attainment r
    assert "r = (x − b) / (t − b) = (20 − 5) / (25 − 5) = 0.75" in page
    assert "45.000,00\xa0€" in page and "33.750,00\xa0€" in page and "11.250,00\xa0€" in page

    first = post_form(client, url, {"expected_cents": "4500000"})
    assert first.status_code == 302
    assert "45.000,00" in client.get(first.headers["Location"]).get_data(as_text=True)
    second = post_form(client, url, {"expected_cents": "4500000"})
    assert second.status_code == 302
    body = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "bereits freigegeben" in body
    assert payment_count() == 1


# --- the rules through the service --------------------------------------------------------------


def _contract_with(admin, terms: services.MilestoneTerms):
    """A signed contract whose only milestone has the given terms (fixed part makes up the rest)."""
    contract, members = worked_example_contract(admin, sign=False)
    services.update_milestone(members, terms, admin)
    services.change_amounts(contract, amount_cents=contract.amount_cents, fixed_cents=contract.amount_cents
                            - sum(m.tranche_cents for m in contract.milestones if m.id != members.id)
                            - terms.tranche_cents, tranches={m.id: m.tranche_cents for m in contract.milestones},
                            actor=admin)
    services.sign_contract(contract, date(2002, 12, 2), admin)
    db_commit()
    return contract, members


def db_commit():
    _db.session.commit()


@pytest.mark.parametrize("terms,achieved,expected", [
    (milestone_terms("Projekte", 0, 4, 8_000_000, rule="binary"), 4, 8_000_000),
    (milestone_terms("Projekte", 0, 4, 8_000_000, rule="binary"), 5, 8_000_000),
    (milestone_terms("Projekte", 0, 4, 8_000_000, rule="binary"), 3, 0),
    (milestone_terms("Mitglieder", 5, 25, WORKED_TRANCHE), 15, 3_000_000),  # r == θ pays a·θ
    (milestone_terms("Mitglieder", 5, 25, WORKED_TRANCHE), Decimal("14.999"), 0),  # just below θ
    (milestone_terms("Mitglieder", 5, 25, WORKED_TRANCHE, minimum_level="0.25"), 10, 1_500_000),
    (milestone_terms("Mitglieder", 5, 25, WORKED_TRANCHE, cap="0.8"), 40, 4_800_000),  # capped at 80 %
    (milestone_terms("Mitglieder", 5, 25, WORKED_TRANCHE), 40, WORKED_TRANCHE),  # never more than the tranche
    (milestone_terms("Leerstand", 100, 50, WORKED_TRANCHE, unit="%"), 75, 3_000_000),  # falling target
    (milestone_terms("Leerstand", 100, 50, WORKED_TRANCHE, unit="%"), 90, 0),  # falling, below θ
    (milestone_terms("Leerstand", 100, 50, WORKED_TRANCHE, rule="binary", unit="%"), 50, WORKED_TRANCHE),
])
def test_payment_rules_through_the_service(db, in_request, terms, achieved, expected):
    admin = AdminFactory()
    contract, milestone = _contract_with(admin, terms)
    accepted_value(milestone, achieved, admin)
    if expected == 0:
        assert release.milestone_preview(milestone).amount_cents == 0
        with pytest.raises(DomainError):
            release.release_milestone_payment(contract.id, milestone.id, expected_cents=None, actor=admin)
        return
    payment, _ = release.release_milestone_payment(contract.id, milestone.id, expected_cents=None, actor=admin)
    db.session.commit()
    assert payment.amount_cents == expected
    assert sum(p.amount_cents for p in payment.parts) == expected


def test_split_gives_rounding_cents_to_the_largest_share(db, in_request):
    admin = AdminFactory()
    contract, milestone = _contract_with(admin, milestone_terms("Mitglieder", 0, 3, 101, minimum_level="0"))
    accepted_value(milestone, 1, admin)  # 101 / 3 = 33.67 → 34 cents; 75 % → 25.5 → 26, 25 % → 8.5 → 9: 35 > 34
    payment, _ = release.release_milestone_payment(contract.id, milestone.id, expected_cents=None, actor=admin)
    db.session.commit()
    parts = {p.source: p.amount_cents for p in payment.parts}
    assert payment.amount_cents == 34
    assert parts == {"EFRE": 25, "Stadt": 9}


# --- guards -------------------------------------------------------------------------------------


def test_sequential_double_release_pays_once(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)
    first, created = release.release_milestone_payment(contract.id, members.id, expected_cents=4_500_000,
                                                       actor=admin)
    db.session.commit()
    again, created_again = release.release_milestone_payment(contract.id, members.id, expected_cents=4_500_000,
                                                             actor=admin)
    db.session.commit()
    assert created and not created_again
    assert again.id == first.id
    assert payment_count() == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "contract.payment_released")) == 1


def test_concurrent_release_requests_pay_exactly_once(app, db):
    """2–4 requests at the same moment, each in its own app context (row lock on PostgreSQL,
    unique constraint as the final guard on SQLite)."""
    admin = AdminFactory()
    with app.test_request_context():
        contract, members = worked_example_contract(admin)
        accepted_value(members, 20, admin)
    url = f"/admin/contracts/{contract.id}/milestones/{members.id}/release"
    threads_count = 4
    clients = []
    for _ in range(threads_count):
        client = app.test_client()
        login(client, admin.email)
        clients.append((client, csrf_token(client, url)))
    barrier = threading.Barrier(threads_count)
    statuses: list[int] = []

    def post(client, token):
        barrier.wait()
        statuses.append(client.post(url, data={"csrf_token": token, "expected_cents": "4500000"}).status_code)

    workers = [threading.Thread(target=post, args=pair) for pair in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    db.session.expire_all()
    assert statuses == [302] * threads_count
    assert payment_count() == 1
    assert db.session.scalar(select(func.sum(PaymentPart.amount_cents))) == 4_500_000


def test_database_refuses_a_second_payment_for_a_report(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)
    payment, _ = release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
    db.session.commit()
    db.session.add(Payment(contract_id=contract.id, milestone_id=members.id, report_id=payment.report_id,
                           kind="milestone", amount_cents=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Payment(contract_id=contract.id, milestone_id=members.id, kind="milestone", amount_cents=1))
    with pytest.raises(IntegrityError):  # an instalment without a report
        db.session.flush()
    db.session.rollback()


def test_database_refuses_a_second_fixed_tranche(db, in_request):
    admin = AdminFactory()
    contract, _ = worked_example_contract(admin)
    payment, created = release.release_fixed_payment(contract.id, expected_cents=4_000_000, actor=admin)
    db.session.commit()
    again, created_again = release.release_fixed_payment(contract.id, expected_cents=4_000_000, actor=admin)
    assert created and not created_again and again.id == payment.id
    assert [(p.source, p.amount_cents) for p in payment.parts] == [("EFRE", 3_000_000), ("Stadt", 1_000_000)]
    db.session.add(Payment(contract_id=contract.id, kind="fixed", amount_cents=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_total_never_exceeds_the_contract_amount(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 25, admin)  # would pay the full 60,000.00
    release.release_fixed_payment(contract.id, expected_cents=None, actor=admin)
    db.session.commit()
    # Simulate a contract whose amount was lowered behind the application's back: 40,000 paid, 50,000 agreed.
    db.session.execute(update(Contract).where(Contract.id == contract.id).values(amount_cents=5_000_000))
    db.session.commit()
    preview = release.milestone_preview(members)
    assert not preview.releasable
    with pytest.raises(DomainError) as refused:
        release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
    db.session.rollback()
    assert "10.000,00" in str(refused.value.message)
    assert payment_count() == 1
    assert db.session.scalar(select(func.sum(Payment.amount_cents))) <= 5_000_000


def test_release_needs_a_signed_contract_and_an_accepted_report(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    with pytest.raises(DomainError, match="noch kein Bericht anerkannt"):
        release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
    db.session.rollback()
    unsigned, milestone = worked_example_contract(admin, sign=False)
    preview = release.milestone_preview(milestone)
    assert any("unterzeichnet" in str(p) for p in preview.problems)
    assert payment_count() == 0


def test_release_refused_when_the_amount_changed_since_the_page_was_shown(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)
    with pytest.raises(DomainError, match="geändert"):
        release.release_milestone_payment(contract.id, members.id, expected_cents=6_000_000, actor=admin)
    db.session.rollback()
    assert payment_count() == 0


@pytest.mark.postgres  # row locks exist on PostgreSQL only
def test_postgresql_second_release_waits_for_the_lock_and_then_sees_the_payment(app, db):
    """Thread A holds the contract lock; B's release waits, then returns A's payment (idempotent)."""
    admin = AdminFactory()
    with app.test_request_context():
        contract, members = worked_example_contract(admin)
        accepted_value(members, 20, admin)
    outcome: dict[str, object] = {}
    locked, finish = threading.Event(), threading.Event()

    def first():
        with app.test_request_context():
            release._lock_contract(contract.id)
            locked.set()
            finish.wait(5)
            time.sleep(0.3)  # let the second thread reach the lock and wait there
            payment, created = release.release_milestone_payment(contract.id, members.id, expected_cents=None,
                                                                 actor=_db.session.get(type(admin), admin.id))
            _db.session.commit()
            outcome["first"] = (payment.id, created)

    def second():
        locked.wait(5)
        with app.test_request_context():
            finish.set()
            payment, created = release.release_milestone_payment(contract.id, members.id, expected_cents=None,
                                                                 actor=_db.session.get(type(admin), admin.id))
            _db.session.commit()
            outcome["second"] = (payment.id, created)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["first"][1] is True and outcome["second"][1] is False
    assert outcome["first"][0] == outcome["second"][0]
    assert payment_count() == 1


def test_admin_closes_a_milestone_with_a_reason_and_it_pays_no_more(client, db, login_as):
    admin = login_as(AdminFactory())
    with client.application.test_request_context():
        contract, members = worked_example_contract(admin)
        accepted_value(members, 15, admin)
        release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
        _db.session.commit()
    page = f"/admin/contracts/{contract.id}/milestones/{members.id}/release"
    close = f"/admin/contracts/{contract.id}/milestones/{members.id}/close"
    refused = post_form(client, close, {"reason": "  "}, token_from=page)
    assert "Bitte geben Sie den Grund für den Abschluss" in refused.get_data(as_text=True)
    assert not _db.session.get(type(members), members.id).is_closed

    post_form(client, close, {"reason": "Abschlussbericht liegt vor."}, token_from=page)
    _db.session.expire_all()
    closed = _db.session.get(type(members), members.id)
    assert closed.is_closed and closed.closing_reason == "Abschlussbericht liegt vor."
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.milestone_closed"))
    assert event.actor_id == admin.id and event.after["closing_reason"] == "Abschlussbericht liegt vor."
    with client.application.test_request_context():
        with pytest.raises(DomainError, match="abgeschlossen"):
            accepted_value(closed, 25, admin)
    assert payment_count() == 1
