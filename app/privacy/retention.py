"""Retention rules (`flask retention`): what is due for deletion, and deleting it.

Each competition's records are kept until its retention end: set by an administrator with a
reason, or by default 31 December of the RETENTION_YEARS-th year after the last payment of its
contracts (after its last decision when it has no payments). Independently of that, drafts never
submitted go DRAFT_RETENTION_MONTHS after the submission deadline, e-mail texts after
OUTBOX_BODY_RETENTION_DAYS, audit-trail IP addresses after AUDIT_IP_RETENTION_DAYS, and stored
files that no record points to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, null, select, update

from app.accounts.models import User
from app.competitions.models import Competition
from app.contracts.models import Contract, Payment
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.core.uploads import delete_when_committed
from app.decisions.models import Decision
from app.extensions import db
from app.jury.models import JuryMembership
from app.privacy.deletion import erase_person, erased_email
from app.proposals.models import Proposal
from app.storage import get_storage
from app.storage.prune import unreferenced_keys

ERASED_MARK = "personal_data_erased"
# A file younger than this may belong to an upload whose row is not committed yet.
ORPHAN_GRACE = timedelta(days=1)
RULES = ("stale_drafts", "rejected_applications", "jurors", "outbox_bodies", "audit_ips", "orphaned_files")


def default_retention_end(competition: Competition) -> date | None:
    """31 December of the RETENTION_YEARS-th year after the last payment, else after the last decision."""
    years = current_app.config["RETENTION_YEARS"]
    last_payment = db.session.scalar(select(func.max(Payment.released_at)).join(Contract)
                                     .where(Contract.competition_id == competition.id))
    if last_payment is not None:
        return date(last_payment.year + years, 12, 31)
    last_decision = db.session.scalar(select(func.max(Decision.decided_at)).join(Proposal)
                                      .where(Proposal.competition_id == competition.id))
    if last_decision is not None:
        return date(last_decision.year + years, 12, 31)
    return None


def retention_end(competition: Competition) -> date | None:
    """The competition's retention end: the administrator's date, else the default rule."""
    return competition.retention_until or default_retention_end(competition)


def set_retention_end(competition: Competition, until: date | None, reason: str, admin: User) -> None:
    """Set (or with None: reset to the default rule) the retention end, with the reason."""
    if not (reason or "").strip():
        raise DomainError(_l("Please give the reason for the retention end."), "reason")
    before = {"retention_until": _iso(competition.retention_until), "reason": competition.retention_reason}
    competition.retention_until = until
    competition.retention_reason = reason.strip()
    record_event("competition.retention_changed", competition, before=before,
                 after={"retention_until": _iso(until), "reason": competition.retention_reason}, actor=admin)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    return moment.replace(year=month_index // 12, month=month_index % 12 + 1, day=min(moment.day, 28))


@dataclass
class RetentionPlan:
    """What is due, by rule: ids of rows (files: storage keys)."""

    due: dict[str, list] = field(default_factory=lambda: {rule: [] for rule in RULES})

    def counts(self) -> dict[str, int]:
        """How many items each rule found."""
        return {rule: len(items) for rule, items in self.due.items()}


def _past_retention(today: date) -> list[int]:
    competitions = db.session.scalars(select(Competition)).all()
    return [c.id for c in competitions if (end := retention_end(c)) is not None and end < today]


def _stale_drafts(now: datetime) -> list[int]:
    cutoff = _months_before(now, current_app.config["DRAFT_RETENTION_MONTHS"])
    return list(db.session.scalars(
        select(Proposal.id).join(Competition, Proposal.competition_id == Competition.id)
        .where(Proposal.status == "draft", Proposal.receipt_number.is_(None),
               Competition.submission_deadline.is_not(None), Competition.submission_deadline < cutoff)
        .order_by(Proposal.id)))


def _rejected_applications(past: list[int]) -> list[int]:
    if not past:
        return []
    rejected = select(Decision.proposal_id).where(Decision.outcome == "rejected")
    candidates = db.session.scalars(
        select(Proposal).where(Proposal.competition_id.in_(past), Proposal.receipt_number.is_not(None),
                               (Proposal.eligibility == "not_eligible") | (Proposal.status == "withdrawn")
                               | Proposal.id.in_(rejected))
        .order_by(Proposal.id)).all()
    return [p.id for p in candidates if not (p.snapshot or {}).get(ERASED_MARK)]


def _jurors(past: list[int]) -> list[int]:
    """Jurors whose every seat is in a competition past its retention end (and who have no other role)."""
    if not past:
        return []
    seated = set(db.session.scalars(select(JuryMembership.user_id).where(JuryMembership.competition_id.in_(past))))
    elsewhere = set(db.session.scalars(select(JuryMembership.user_id).where(
        JuryMembership.competition_id.not_in(past))))
    applicants = set(db.session.scalars(select(Proposal.applicant_id).distinct()))
    users = db.session.scalars(select(User).where(User.id.in_(seated - elsewhere - applicants))).all()
    return sorted(u.id for u in users if not u.is_admin and not u.is_deleted)


def _outbox_bodies(now: datetime) -> list[int]:
    cutoff = now - timedelta(days=current_app.config["OUTBOX_BODY_RETENTION_DAYS"])
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.created_at < cutoff, OutboxMessage.body != "",
        OutboxMessage.status.in_([OutboxMessage.STATUS_SENT, OutboxMessage.STATUS_LOGGED])).order_by(OutboxMessage.id)))


def _audit_ips(now: datetime) -> list[int]:
    cutoff = now - timedelta(days=current_app.config["AUDIT_IP_RETENTION_DAYS"])
    return list(db.session.scalars(select(AuditEvent.id).where(AuditEvent.created_at < cutoff,
                                                               AuditEvent.ip.is_not(None)).order_by(AuditEvent.id)))


def _orphaned_files(now: datetime) -> list[str]:
    """Stored files no record points to: the storage's own rule (app/storage/prune.py), in any backend."""
    return unreferenced_keys(get_storage(), ORPHAN_GRACE, now)


def plan_retention(now: datetime | None = None) -> RetentionPlan:
    """Find what each rule finds due (changes nothing)."""
    now = now or utcnow()
    past = _past_retention(now.date())
    plan = RetentionPlan()
    plan.due["stale_drafts"] = _stale_drafts(now)
    plan.due["rejected_applications"] = _rejected_applications(past)
    plan.due["jurors"] = _jurors(past)
    plan.due["outbox_bodies"] = _outbox_bodies(now)
    plan.due["audit_ips"] = _audit_ips(now)
    plan.due["orphaned_files"] = _orphaned_files(now)
    return plan


def _erase_application(proposal: Proposal) -> None:
    """Keep the facts of a rejected or ineligible application, not the people in it or its files."""
    proposal.lead_contact_name = proposal.lead_contact_email = proposal.lead_contact_phone = ""
    for partner in proposal.partners:
        partner.contact_name = partner.contact_email = ""
    for attachment in list(proposal.attachments):
        delete_when_committed(attachment.storage_key)
        db.session.delete(attachment)
    snapshot = dict(proposal.snapshot or {})
    snapshot.update(lead_contact_name="", lead_contact_email="", lead_contact_phone="", attachments=[])
    snapshot["partners"] = [{**p, "contact_name": "", "contact_email": ""} for p in snapshot.get("partners", [])]
    snapshot["applicant"] = {**(snapshot.get("applicant") or {}), "email": ""}
    snapshot[ERASED_MARK] = True
    proposal.snapshot = snapshot


def apply_retention(plan: RetentionPlan) -> None:
    """Delete or anonymise what the plan found; files go once the transaction has committed."""
    for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(plan.due["stale_drafts"]))):
        for attachment in proposal.attachments:
            delete_when_committed(attachment.storage_key)
        db.session.delete(proposal)
    for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(plan.due["rejected_applications"]))):
        _erase_application(proposal)
    for user in db.session.scalars(select(User).where(User.id.in_(plan.due["jurors"]))):
        erase_person(user)
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(plan.due["outbox_bodies"]))):
        message.body = ""
        if message.recipient_user_id is not None and message.recipient != erased_email(message.recipient_user_id):
            owner = db.session.get(User, message.recipient_user_id)
            if owner is not None and owner.is_deleted:
                message.recipient = erased_email(owner.id)
    if plan.due["audit_ips"]:
        db.session.execute(update(AuditEvent).where(AuditEvent.id.in_(plan.due["audit_ips"])).values(ip=null()))
    for key in plan.due["orphaned_files"]:
        delete_when_committed(key)
    db.session.flush()


def run_retention(*, apply: bool, now: datetime | None = None) -> RetentionPlan:
    """Plan the retention rules, apply them when asked, and audit the run with its counts."""
    plan = plan_retention(now)
    if apply:
        apply_retention(plan)
    record_event("retention.run", object_type="retention", object_id=None,
                 after={"applied": apply, **plan.counts()})
    return plan
