"""`flask contract-reminders`: 14 days before a report is due and when it is overdue; idempotent per day."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import time_machine
from sqlalchemy import select

from app.contracts import services
from app.contracts.models import ContractReminder
from app.core.models import OutboxMessage
from tests.builders.contracts import in_request, worked_example_contract
from tests.factories import AdminFactory

# The "member companies" milestone of the worked example is due on 1 Nov 2003.
DUE = datetime(2003, 11, 1, 9, 0, tzinfo=UTC)


def mails(db, template: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                                   .order_by(OutboxMessage.id)))


def run(runner, when: datetime) -> str:
    with time_machine.travel(when, tick=False):
        result = runner.invoke(args=["contract-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminder_14_days_before_due_once(db, runner):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    operator = contract.proposal.applicant
    assert "0 reminder(s) before" in run(runner, datetime(2003, 10, 17, 9, tzinfo=UTC))  # 15 days ahead: nothing
    assert mails(db, "contract_reminder_due") == []

    assert "1 reminder(s) before" in run(runner, datetime(2003, 10, 18, 9, tzinfo=UTC))  # 14 days ahead
    due = mails(db, "contract_reminder_due")
    assert len(due) == 1 and due[0].recipient == operator.email
    assert "Mitgliedsunternehmen" in due[0].subject and "in 14 Tagen fällig, am 01.11.2003" in due[0].body
    assert f"/my/contracts/{contract.id}/milestones/{members.id}/report" in due[0].body

    run(runner, datetime(2003, 10, 18, 17, tzinfo=UTC))  # same day again
    run(runner, datetime(2003, 10, 25, 9, tzinfo=UTC))  # a week later: "due soon" is sent once
    assert len(mails(db, "contract_reminder_due")) == 1


def test_overdue_reminder_weekly_until_a_report_arrives(db, runner):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    run(runner, datetime(2003, 11, 3, 9, tzinfo=UTC))
    overdue = mails(db, "contract_reminder_overdue")
    assert len(overdue) == 1 and "vor 2 Tagen" in overdue[0].body
    run(runner, datetime(2003, 11, 3, 20, tzinfo=UTC))  # idempotent per day
    run(runner, datetime(2003, 11, 6, 9, tzinfo=UTC))  # not yet a week
    assert len(mails(db, "contract_reminder_overdue")) == 1
    run(runner, datetime(2003, 11, 10, 9, tzinfo=UTC))
    assert len(mails(db, "contract_reminder_overdue")) == 2
    assert db.session.scalar(select(ContractReminder.sent_on).order_by(ContractReminder.id.desc()).limit(1)).day == 10

    from app.contracts import reports

    with in_request():
        reports.submit_report(members, achieved=Decimal(20), evidence_text="Liste", files=[],
                              actor=contract.proposal.applicant)
    db.session.commit()
    run(runner, datetime(2003, 11, 17, 9, tzinfo=UTC))
    assert len(mails(db, "contract_reminder_overdue")) == 2


def test_no_reminders_for_unsigned_or_completed_contracts(db, runner):
    admin = AdminFactory()
    worked_example_contract(admin, sign=False)
    completed, _ = worked_example_contract(admin)
    with in_request():
        services.set_status(completed, "completed", admin)
    db.session.commit()
    run(runner, datetime(2003, 11, 3, 9, tzinfo=UTC))
    assert mails(db, "contract_reminder_overdue") == [] and mails(db, "contract_reminder_due") == []
