"""Reminder mails to operators: 14 days before a milestone's report is due, and when it is overdue.

`flask contract-reminders` runs this daily from cron. It is idempotent per day: a reminder
is recorded per milestone, kind and day (unique), so a second run on the same day sends
nothing. "Due soon" is sent once per milestone; "overdue" is repeated weekly until a report
arrives. Only milestones that still await a report are reminded (no open or accepted
report, not paid) of signed contracts that are not completed.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.contracts.models import Contract, ContractReminder, Milestone
from app.contracts.services import external_url, local_today
from app.core.audit import record_event
from app.core.outbox import queue_mail
from app.extensions import db
from app.proposals.models import Proposal

DUE_SOON_DAYS = 14
OVERDUE_REPEAT_DAYS = 7


def _last_sent() -> dict[tuple[int, str], date]:
    """(milestone id, kind) -> the day the latest reminder of that kind was sent."""
    rows = db.session.execute(select(ContractReminder.milestone_id, ContractReminder.kind,
                                     func.max(ContractReminder.sent_on))
                              .group_by(ContractReminder.milestone_id, ContractReminder.kind))
    return {(milestone_id, kind): day for milestone_id, kind, day in rows}


def due_reminders(today: date) -> list[tuple[Milestone, str]]:
    """The reminders to send today: (milestone, "due_soon" | "overdue")."""
    milestones = db.session.scalars(
        select(Milestone).join(Contract, Contract.id == Milestone.contract_id)
        .where(Contract.signed_on.is_not(None), Contract.status != "completed",
               Milestone.due_date <= today + timedelta(days=DUE_SOON_DAYS))
        .options(joinedload(Milestone.contract).joinedload(Contract.proposal).joinedload(Proposal.applicant),
                 selectinload(Milestone.reports), selectinload(Milestone.payments))
        .order_by(Milestone.due_date, Milestone.id)
    ).unique()
    sent = _last_sent()
    result: list[tuple[Milestone, str]] = []
    for milestone in milestones:
        if not milestone.awaits_report:
            continue
        if milestone.due_date >= today:
            if (milestone.id, "due_soon") not in sent:
                result.append((milestone, "due_soon"))
        else:
            last = sent.get((milestone.id, "overdue"))
            if last is None or (today - last).days >= OVERDUE_REPEAT_DAYS:
                result.append((milestone, "overdue"))
    return result


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Queue today's reminder mails and record them; return how many of each kind were sent."""
    today = today or local_today()
    counts = {"due_soon": 0, "overdue": 0}
    for milestone, kind in due_reminders(today):
        contract = milestone.contract
        operator = contract.proposal.applicant
        if not operator.active:
            continue
        reminder = ContractReminder(milestone_id=milestone.id, kind=kind, sent_on=today)
        db.session.add(reminder)
        db.session.flush()
        record_event("contract.reminder_sent", reminder, after={"milestone_id": milestone.id, "kind": kind,
                                                                "sent_on": today.isoformat()})
        template = "contract_reminder_due" if kind == "due_soon" else "contract_reminder_overdue"
        queue_mail(operator.email, template, operator.locale, user=operator, user_obj=operator, contract=contract,
                   milestone=milestone, days=abs((milestone.due_date - today).days),
                   link=external_url("contracts.submit_report", contract_id=contract.id, milestone_id=milestone.id))
        counts[kind] += 1
    return counts
