"""The records of one person, by kind: what the export shows and what deletion erases or keeps.

Every query here is limited to rows that belong to the person (their account, what they wrote,
what was sent to them), so nothing of another person can slip into an export.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app.accounts.models import User
from app.contracts.models import Contract, ContractFile, ProgressReport
from app.core.models import OutboxMessage
from app.directory.models import JoinRequest
from app.extensions import db
from app.jury.models import Conflict, DiscussionPost, JuryMembership, Review
from app.legal.models import Consent
from app.privacy.models import DeletionRequest
from app.proposals.models import Proposal


def proposals_of(user: User) -> list[Proposal]:
    """The proposals the person drafted or submitted."""
    return list(db.session.scalars(select(Proposal).where(Proposal.applicant_id == user.id).order_by(Proposal.id)))


def reviews_of(user: User) -> list[Review]:
    """The reviews the person wrote as a juror."""
    return list(db.session.scalars(select(Review).where(Review.user_id == user.id).order_by(Review.id)))


def seats_of(user: User) -> list[JuryMembership]:
    """The person's jury seats with their signed declarations."""
    return list(db.session.scalars(select(JuryMembership).where(JuryMembership.user_id == user.id)
                                   .order_by(JuryMembership.id)))


def conflicts_of(user: User) -> list[Conflict]:
    """The conflicts of interest recorded for the person."""
    return list(db.session.scalars(select(Conflict).where(Conflict.user_id == user.id).order_by(Conflict.id)))


def posts_of(user: User) -> list[DiscussionPost]:
    """The person's messages in jury discussions."""
    return list(db.session.scalars(select(DiscussionPost).where(DiscussionPost.author_id == user.id)
                                   .order_by(DiscussionPost.id)))


def contracts_of(user: User) -> list[Contract]:
    """The contracts the person operates (their awarded proposals)."""
    return list(db.session.scalars(select(Contract).join(Proposal, Contract.proposal_id == Proposal.id)
                                   .where(Proposal.applicant_id == user.id).order_by(Contract.id)))


def reports_of(user: User) -> list[ProgressReport]:
    """The KPI reports the person submitted."""
    return list(db.session.scalars(select(ProgressReport).where(ProgressReport.submitted_by_id == user.id)
                                   .order_by(ProgressReport.id)))


def evidence_of(user: User) -> list[ContractFile]:
    """The files the person uploaded to their contracts (documents and evidence)."""
    return list(db.session.scalars(select(ContractFile).where(ContractFile.uploaded_by_id == user.id)
                                   .order_by(ContractFile.id)))


def messages_to(user: User) -> list[OutboxMessage]:
    """The e-mails the system sent to the person (by account, or to their address)."""
    return list(db.session.scalars(select(OutboxMessage).where(or_(
        OutboxMessage.recipient_user_id == user.id, OutboxMessage.recipient == user.email)).order_by(OutboxMessage.id)))


def join_requests_of(user: User) -> list[JoinRequest]:
    """The person's requests to join a network of the directory."""
    return list(db.session.scalars(select(JoinRequest).where(JoinRequest.user_id == user.id).order_by(JoinRequest.id)))


def consents_of(user: User) -> list[Consent]:
    """The person's consents to the privacy notice."""
    return list(db.session.scalars(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)))


def deletion_requests_of(user: User) -> list[DeletionRequest]:
    """The person's deletion requests."""
    return list(db.session.scalars(select(DeletionRequest).where(DeletionRequest.user_id == user.id)
                                   .order_by(DeletionRequest.id)))
