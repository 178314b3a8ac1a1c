"""Deletion requests (Art. 17 GDPR): filed by the person or on their behalf, carried out by an administrator.

What the funding rules require to be kept stays: submitted proposals, reviews, declarations,
decisions, contracts, reports, payments and their evidence are records of an EU-funded procedure
until the competition's retention end. Everything else about the person is erased, and the kept
records show them as "deleted user <id>" (the account row stays so that they can point to it).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import null, select, update

from app.accounts.models import User
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.models import AuditEvent
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.core.uploads import delete_when_committed
from app.directory.models import NetworkMember
from app.extensions import db
from app.privacy import records
from app.privacy.models import DeletionRequest

# Stored in the name column of an erased account; readers see "deleted user <id>" in their language.
STORED_LABEL = "Gelöschte Person {id}"


def erased_email(user_id: int) -> str:
    """The address an erased account keeps: unique, and in a domain that can never receive mail (RFC 2606)."""
    return f"deleted-{user_id}@deleted.invalid"


def pending_request(user: User) -> DeletionRequest | None:
    """The person's request that waits for an administrator, if any."""
    return db.session.scalar(select(DeletionRequest).where(DeletionRequest.user_id == user.id,
                                                           DeletionRequest.status == "pending"))


def pending_requests() -> list[DeletionRequest]:
    """Every request waiting for an administrator, oldest first."""
    return list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.status == "pending")
                                   .order_by(DeletionRequest.requested_at)))


def decided_requests(limit: int = 50) -> list[DeletionRequest]:
    """The latest requests that were carried out or declined."""
    return list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.status != "pending")
                                   .order_by(DeletionRequest.decided_at.desc()).limit(limit)))


def request_deletion(user: User, *, filed_by: User | None = None, note: str = "") -> DeletionRequest:
    """File a request to erase the person's data; an administrator filing it records a request by letter."""
    if user.is_deleted:
        raise DomainError(_l("This person's data has already been deleted."))
    if pending_request(user) is not None:
        raise DomainError(_l("A deletion request for this person is already waiting for the funding office."))
    on_behalf = filed_by is not None and filed_by.id != user.id
    request = DeletionRequest(user_id=user.id, channel="letter" if on_behalf else "self",
                              note=(note or "").strip(), filed_by_id=filed_by.id if filed_by else user.id)
    db.session.add(request)
    db.session.flush()
    record_event("privacy.deletion_requested", request, after={"user_id": user.id, "channel": request.channel},
                 actor=filed_by or user)
    queue_mail(user.email, "deletion_requested", user.locale, user=user, request=request)
    return request


def deletion_preview(user: User) -> dict[str, dict[str, int]]:
    """What carrying out the request would erase and what it keeps, by kind of record (counts)."""
    proposals = records.proposals_of(user)
    return {
        "erase": {
            "drafts": sum(1 for p in proposals if p.receipt_number is None),
            "consents": len(records.consents_of(user)),
            "emails": len(records.messages_to(user)),
            "join_requests": len(records.join_requests_of(user)),
        },
        "keep": {
            "proposals": sum(1 for p in proposals if p.receipt_number is not None),
            "reviews": len(records.reviews_of(user)),
            "jury_seats": len(records.seats_of(user)),
            "conflicts": len(records.conflicts_of(user)),
            "discussion_posts": len(records.posts_of(user)),
            "contracts": len(records.contracts_of(user)),
            "reports": len(records.reports_of(user)),
        },
    }


def _anonymise_snapshot(proposal, user: User, label: str) -> None:
    """The submitted copy names the applicant: it keeps the record but not the person."""
    snapshot = dict(proposal.snapshot or {})
    snapshot["applicant"] = {**(snapshot.get("applicant") or {}), "name": label, "email": "", "organisation": ""}
    if (snapshot.get("lead_contact_email") or "").lower() == user.email:
        snapshot.update(lead_contact_name=label, lead_contact_email="", lead_contact_phone="")
    proposal.snapshot = snapshot  # a new dict: the JSON column notices only a new value
    if (proposal.lead_contact_email or "").lower() == user.email:
        proposal.lead_contact_name, proposal.lead_contact_email, proposal.lead_contact_phone = label, "", ""


def erase_person(user: User) -> dict[str, int]:
    """Erase everything about the person that need not be kept; anonymise them in the kept records."""
    counts: Counter[str] = Counter()
    label = STORED_LABEL.format(id=user.id)
    for proposal in records.proposals_of(user):
        if proposal.receipt_number is None:  # never submitted: not a record of the procedure
            for attachment in proposal.attachments:
                delete_when_committed(attachment.storage_key)
            db.session.delete(proposal)
            counts["drafts_deleted"] += 1
        else:
            _anonymise_snapshot(proposal, user, label)
            counts["proposals_kept"] += 1
    for consent in records.consents_of(user):
        db.session.delete(consent)
        counts["consents_deleted"] += 1
    for join_request in records.join_requests_of(user):
        db.session.delete(join_request)
        counts["join_requests_deleted"] += 1
    for message in records.messages_to(user):
        db.session.delete(message)
        counts["emails_deleted"] += 1
    for member in db.session.scalars(select(NetworkMember).where(NetworkMember.user_id == user.id)):
        member.user_id = None  # the company's listing is the company's, not the person's
    for seat in records.seats_of(user):
        seat.keywords, seat.sectors = "", []
        counts["jury_seats_kept"] += 1
    counts["reviews_kept"] = len(records.reviews_of(user))
    counts["contracts_kept"] = len(records.contracts_of(user))
    counts["reports_kept"] = len(records.reports_of(user))
    # The audit trail keeps that something happened, not the person's details or addresses.
    db.session.execute(update(AuditEvent).where(AuditEvent.object_type == "users", AuditEvent.object_id == user.id)
                       .values(before=null(), after=null(), ip=None))
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(ip=None))
    user.email = erased_email(user.id)
    user.name = label
    user.organisation = ""
    user.password_hash = None
    user.active = False
    user.is_admin = False
    user.privacy_consent_at = None
    user.last_login_at = None
    user.deleted_at = utcnow()
    user.end_sessions()
    db.session.flush()
    return dict(counts)


def complete_deletion(request: DeletionRequest, admin: User) -> dict[str, int]:
    """Carry out a pending request, record the outcome and tell the person by e-mail."""
    if request.status != "pending":
        raise DomainError(_l("This request has already been decided."))
    if request.user_id == admin.id:
        raise DomainError(_l("Another administrator must carry out a request about yourself."))
    user = request.user
    address, locale = user.email, user.locale
    outcome = erase_person(user)
    request.status, request.decided_at, request.decided_by_id = "completed", utcnow(), admin.id
    request.outcome = outcome
    record_event("privacy.deletion_completed", request, after={"user_id": user.id, **outcome}, actor=admin)
    # Sent after the erasure, so this last message to the old address is the one thing left (retention clears it).
    queue_mail(address, "deletion_completed", locale, user=user, outcome=outcome)
    return outcome


def decline_deletion(request: DeletionRequest, admin: User, reason: str) -> None:
    """Decline a pending request with a reason the person is told by e-mail."""
    if request.status != "pending":
        raise DomainError(_l("This request has already been decided."))
    if not (reason or "").strip():
        raise DomainError(_l("Please give the reason the person will read."), "reason")
    request.status, request.decided_at, request.decided_by_id = "declined", utcnow(), admin.id
    request.decision_reason = reason.strip()
    record_event("privacy.deletion_declined", request, after={"user_id": request.user_id}, actor=admin)
    user = request.user
    queue_mail(user.email, "deletion_declined", user.locale, user=user, request=request)
