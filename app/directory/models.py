"""The public network directory: networks, their member companies, results posts, contact
messages and join requests.

A network is either *funded* (it points at an awarded proposal; its operator is the awarded
applicant and its status is the contract's project status) or *external* (entered by the
funding office; status active or inactive). Only published networks, members who agreed to
be listed and approved results posts are ever shown to the public.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.contracts.models import Contract
from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.core.models import OutboxMessage
    from app.proposals.models import Proposal, ProposalPartner

NETWORK_KINDS = ("funded", "external")
# A funded network's status is its contract's project status (GLOSSARY "Projektstand").
FUNDED_STATUSES = ("preliminary_planning", "planning", "implementation", "completed")
EXTERNAL_STATUSES = ("active", "inactive")
NETWORK_STATUSES = FUNDED_STATUSES + EXTERNAL_STATUSES
# An awarded network without a recorded contract yet is still in preliminary planning.
FUNDED_STATUS_WITHOUT_CONTRACT = "preliminary_planning"
POST_STATUSES = ("draft", "submitted", "approved", "rejected")
POST_EDITABLE_STATUSES = ("draft", "rejected")
JOIN_STATUSES = ("pending", "accepted", "declined")
MEMBER_SOURCES = ("proposal", "join_request", "manual")


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


class Network(db.Model):
    """A public directory entry: a funded network (from an awarded proposal) or an external one."""

    __tablename__ = "networks"
    __table_args__ = (
        UniqueConstraint("slug", name="uq_networks_slug"),
        UniqueConstraint("proposal_id", name="uq_networks_proposal_id"),
        CheckConstraint("kind IN ('funded', 'external')", name="kind_known"),
        CheckConstraint("(kind = 'funded' AND proposal_id IS NOT NULL) OR (kind = 'external' AND proposal_id IS NULL)",
                        name="funded_has_proposal"),
        CheckConstraint("external_status IN ('active', 'inactive')", name="external_status_known"),
        CheckConstraint("NOT published OR published_at IS NOT NULL", name="published_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="RESTRICT"))

    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(120), default="", index=True)
    region: Mapped[str] = mapped_column(String(120), default="", index=True)
    operator_name: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Where the contact form of an external network goes; never shown publicly (funded: the operator's account).
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Only external networks use it; a funded network's status comes from its contract.
    external_status: Mapped[str] = mapped_column(String(10), default="active")
    open_for_members: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    technology_fields: Mapped[list[NetworkTechnologyField]] = relationship(
        back_populates="network", order_by="NetworkTechnologyField.position", cascade="all, delete-orphan")
    members: Mapped[list[NetworkMember]] = relationship(
        back_populates="network", order_by="NetworkMember.company_name", cascade="all, delete-orphan")
    posts: Mapped[list[ResultsPost]] = relationship(
        back_populates="network", order_by="ResultsPost.created_at.desc()", cascade="all, delete-orphan")
    join_requests: Mapped[list[JoinRequest]] = relationship(
        back_populates="network", order_by="JoinRequest.created_at.desc()", cascade="all, delete-orphan")

    @property
    def is_funded(self) -> bool:
        """True for a network built from an awarded proposal."""
        return self.kind == "funded"

    @hybrid_property
    def status(self) -> str:
        """Project status from the contract (funded) or active/inactive (external)."""
        if self.is_funded:
            return self.contract_status or FUNDED_STATUS_WITHOUT_CONTRACT
        return self.external_status

    @status.inplace.expression
    @classmethod
    def _status_expression(cls):
        """The same rule in SQL, so the directory can filter by status."""
        contract_status = (select(Contract.status).where(Contract.proposal_id == cls.proposal_id)
                           .correlate(cls).scalar_subquery())
        return case((cls.kind == "funded", func.coalesce(contract_status, FUNDED_STATUS_WITHOUT_CONTRACT)),
                    else_=cls.external_status)

    @property
    def technology_names(self) -> list[str]:
        """The technology fields as plain names, in their order."""
        return [field.name for field in self.technology_fields]

    @property
    def operator_user_id(self) -> int | None:
        """The account that runs a funded network (the awarded applicant); external networks have none."""
        return self.proposal.applicant_id if self.is_funded and self.proposal is not None else None

    def is_operated_by(self, user) -> bool:
        """True for the awarded applicant who operates this funded network."""
        return _is_user(user) and self.operator_user_id is not None and user.id == self.operator_user_id

    def can_manage(self, user) -> bool:
        """Administrators manage every network, the operator their own."""
        return _is_user(user) and (user.is_admin or self.is_operated_by(user))

    def is_visible_to(self, user) -> bool:
        """The public sees published networks; those who manage one also see it unpublished."""
        return self.published or self.can_manage(user)

    @property
    def accepts_contact(self) -> bool:
        """A published network with somewhere to deliver a contact message."""
        return self.published and (self.operator_user_id is not None or bool(self.contact_email))

    @property
    def accepts_join_requests(self) -> bool:
        """Only a published, open network with an operator account can decide on join requests."""
        return self.published and self.open_for_members and self.operator_user_id is not None

    def audit_view(self) -> dict[str, Any]:
        """The public fields and flags as recorded in the audit trail."""
        return {
            "name": self.name, "kind": self.kind, "proposal_id": self.proposal_id, "summary": self.summary,
            "sector": self.sector, "region": self.region, "operator_name": self.operator_name,
            "website": self.website, "external_status": self.external_status,
            "technology_fields": self.technology_names, "open_for_members": self.open_for_members,
            "published": self.published, "has_contact_email": bool(self.contact_email),
        }


# Loaded with every network in the same statement, so lists never query contracts per row.
Network.contract_status = column_property(
    select(Contract.status).where(Contract.proposal_id == Network.__table__.c.proposal_id)
    .correlate_except(Contract).scalar_subquery())


class NetworkTechnologyField(db.Model):
    """One technology field of a network (searchable and filterable)."""

    __tablename__ = "network_technology_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(80), index=True)

    network: Mapped[Network] = relationship(back_populates="technology_fields")


class NetworkMember(db.Model):
    """A member company; it appears publicly only once it has agreed to be listed."""

    __tablename__ = "network_members"
    __table_args__ = (
        UniqueConstraint("network_id", "proposal_partner_id", name="uq_network_members_network_partner"),
        CheckConstraint("source IN ('proposal', 'join_request', 'manual')", name="source_known"),
        CheckConstraint("NOT listed_consent OR consent_recorded_at IS NOT NULL", name="consent_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    company_name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100), default="")
    sector: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    listed_consent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(12), default="manual")
    # The company's own account when it joined through a join request; it may change its consent itself.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    proposal_partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_partners.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    network: Mapped[Network] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    proposal_partner: Mapped[ProposalPartner | None] = relationship()

    def can_change_consent(self, user) -> bool:
        """The company itself, the network's operator and administrators may record the consent."""
        return _is_user(user) and (user.id == self.user_id or self.network.can_manage(user))

    def audit_view(self) -> dict[str, Any]:
        """The member's fields as recorded in the audit trail."""
        return {"company_name": self.company_name, "town": self.town, "sector": self.sector,
                "website": self.website, "listed_consent": self.listed_consent, "source": self.source,
                "user_id": self.user_id}


class ResultsPost(db.Model):
    """A results post written by the operator; public only once the funding office approved it."""

    __tablename__ = "network_results_posts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted', 'approved', 'rejected')", name="status_known"),
        CheckConstraint("status != 'approved' OR approved_at IS NOT NULL", name="approved_has_date"),
        Index("ix_network_results_posts_network_status", "network_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    event_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    network: Mapped[Network] = relationship(back_populates="posts")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_public(self) -> bool:
        """Only approved posts of published networks are public."""
        return self.status == "approved" and self.network.published

    def can_edit(self, user) -> bool:
        """The operator (or an administrator) edits drafts and rejected posts."""
        return self.status in POST_EDITABLE_STATUSES and self.network.can_manage(user)

    def can_decide(self, user) -> bool:
        """Administrators approve or reject submitted posts."""
        return _is_user(user) and user.is_admin and self.status == "submitted"

    def audit_view(self) -> dict[str, Any]:
        """The post as recorded in the audit trail."""
        return {"title": self.title, "event_date": self.event_date.isoformat() if self.event_date else None,
                "status": self.status, "rejection_reason": self.rejection_reason or None,
                "body_length": len(self.body or "")}


class ContactMessage(db.Model):
    """A message sent through a network page's contact form, forwarded by mail to the operator."""

    __tablename__ = "network_contact_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    sender_name: Mapped[str] = mapped_column(String(120))
    sender_email: Mapped[str] = mapped_column(String(254))
    sender_organisation: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))

    network: Mapped[Network] = relationship()
    outbox_message: Mapped[OutboxMessage | None] = relationship()


class JoinRequest(db.Model):
    """A registered company asks to join a network; the operator accepts or declines."""

    __tablename__ = "network_join_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
        # One open request per company account and network, whatever the application does.
        Index("uq_network_join_requests_pending", "network_id", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100), default="")
    sector: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    listing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    response_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("network_members.id", ondelete="SET NULL"))

    network: Mapped[Network] = relationship(back_populates="join_requests")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    member: Mapped[NetworkMember | None] = relationship()

    def can_decide(self, user) -> bool:
        """The operator (or an administrator) decides on a pending request."""
        return self.status == "pending" and self.network.can_manage(user)

    def audit_view(self) -> dict[str, Any]:
        """The request as recorded in the audit trail."""
        return {"company_name": self.company_name, "town": self.town, "sector": self.sector,
                "listing_consent": self.listing_consent, "status": self.status,
                "response_message": self.response_message or None, "member_id": self.member_id}
