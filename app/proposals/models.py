"""Proposal (network idea) with partners, measures, KPIs, attachments and its pre-check."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.competitions.models import Competition

PROPOSAL_STATUSES = ("draft", "submitted", "withdrawn")
ELIGIBILITY = ("eligible", "not_eligible")
INITIATIVE_KINDS = ("companies", "consultancy")
COMPANY_SIZES = ("micro", "small", "medium", "large", "other")
# Phases in which a proposal reopened by the funding office may still be corrected and resubmitted.
CORRECTION_PHASES = ("open", "precheck")


class Proposal(db.Model):
    """A network idea: drafted by an applicant, frozen as a snapshot when submitted."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted', 'withdrawn')", name="status_known"),
        CheckConstraint("eligibility IS NULL OR eligibility IN ('eligible', 'not_eligible')",
                        name="eligibility_known"),
        CheckConstraint("requested_funding_cents IS NULL OR requested_funding_cents >= 0",
                        name="requested_not_negative"),
        CheckConstraint("own_contribution_cents IS NULL OR own_contribution_cents >= 0",
                        name="own_contribution_not_negative"),
        CheckConstraint("status != 'submitted' OR (receipt_number IS NOT NULL AND snapshot IS NOT NULL)",
                        name="submitted_has_receipt"),
        UniqueConstraint("receipt_number", name="uq_proposals_receipt_number"),
        # The admin list: its order (submitted first, by submission time) and its grouped counts, read
        # from the index instead of every row of a large competition.
        Index("ix_proposals_competition_submitted", "competition_id", "submitted_at", "id"),
        Index("ix_proposals_competition_groups", "competition_id", "status", "sector", "eligibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    # Optimistic locking: a save carries the version it was loaded with (two tabs never overwrite).
    version: Mapped[int] = mapped_column(Integer, default=1)

    network_name: Mapped[str] = mapped_column(String(200), default="")
    short_name: Mapped[str] = mapped_column(String(40), default="")
    sector: Mapped[str] = mapped_column(String(120), default="")
    initiative_kind: Mapped[str] = mapped_column(String(12), default="")
    keywords: Mapped[str] = mapped_column(String(300), default="")

    lead_name: Mapped[str] = mapped_column(String(200), default="")
    lead_street: Mapped[str] = mapped_column(String(200), default="")
    lead_postcode: Mapped[str] = mapped_column(String(10), default="")
    lead_town: Mapped[str] = mapped_column(String(100), default="")
    lead_contact_name: Mapped[str] = mapped_column(String(120), default="")
    lead_contact_email: Mapped[str] = mapped_column(String(254), default="")
    lead_contact_phone: Mapped[str] = mapped_column(String(40), default="")

    cluster_analysis: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    duration_months: Mapped[int | None] = mapped_column(Integer)
    requested_funding_cents: Mapped[int | None] = mapped_column(BigInteger)
    own_contribution_cents: Mapped[int | None] = mapped_column(BigInteger)

    receipt_number: Mapped[str | None] = mapped_column(String(30))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The frozen copy the jury reads: set at submission, never edited afterwards.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    eligibility: Mapped[str | None] = mapped_column(String(12), index=True)
    eligibility_reason: Mapped[str] = mapped_column(Text, default="")
    # {"rule text": true/false, ...} as checked by the administrator.
    precheck_checklist: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prechecked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    prechecked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The letter of ineligibility: claimed by setting the time, the outbox copy is what the applicant downloads.
    ineligibility_letter_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ineligibility_letter_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    competition: Mapped[Competition] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    prechecked_by: Mapped[User | None] = relationship(foreign_keys=[prechecked_by_id])
    partners: Mapped[list[ProposalPartner]] = relationship(
        back_populates="proposal", order_by="ProposalPartner.position", cascade="all, delete-orphan"
    )
    measures: Mapped[list[ProposalMeasure]] = relationship(
        back_populates="proposal", order_by="ProposalMeasure.position", cascade="all, delete-orphan"
    )
    kpis: Mapped[list[ProposalKpi]] = relationship(
        back_populates="proposal", order_by="ProposalKpi.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="proposal", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        """What lists show: the network's name, or a placeholder for an empty draft."""
        return self.network_name or f"#{self.id}"

    @hybrid_property
    def in_jury_pool(self) -> bool:
        """Only submitted proposals found eligible in the pre-check go to the jury."""
        return self.status == "submitted" and self.eligibility == "eligible"

    @in_jury_pool.inplace.expression
    @classmethod
    def _in_jury_pool_expression(cls):
        """The same rule in SQL, for queries that list or count the jury's pool."""
        return and_(cls.status == "submitted", cls.eligibility == "eligible")

    @property
    def is_editable_status(self) -> bool:
        """Only drafts can be edited (submission freezes the proposal)."""
        return self.status == "draft"

    def is_owned_by(self, user) -> bool:
        """True for the applicant who created the proposal."""
        return user is not None and user.is_authenticated and user.id == self.applicant_id

    def can_view(self, user) -> bool:
        """The owner and administrators see a proposal (jurors: see the jury package)."""
        return user is not None and user.is_authenticated and (user.is_admin or self.is_owned_by(user))

    @property
    def is_reopened_for_correction(self) -> bool:
        """A submitted proposal the funding office has set back to draft (it keeps its receipt number)."""
        return self.status == "draft" and self.reopened_at is not None and self.receipt_number is not None

    def accepts_changes(self, now: datetime | None = None) -> bool:
        """A draft can change while the call is open (server time); a reopened one until the pre-check ends."""
        if not self.is_editable_status:
            return False
        if self.competition.is_open_for_submissions(now):
            return True
        return self.is_reopened_for_correction and self.competition.phase in CORRECTION_PHASES

    def can_edit(self, user, now: datetime | None = None) -> bool:
        """Only the applicant edits, and only a draft before the deadline."""
        return self.is_owned_by(user) and self.accepts_changes(now)

    def can_submit(self, user, now: datetime | None = None) -> bool:
        """Submitting follows the same rule as editing (completeness is checked separately)."""
        return self.can_edit(user, now)

    @property
    def is_withdrawable(self) -> bool:
        """Drafts and submitted proposals can be withdrawn until the decision phase starts."""
        return self.status in ("draft", "submitted") and not self.competition.phase_at_least("decision")

    def can_withdraw(self, user) -> bool:
        """The applicant may withdraw their own proposal before the decision."""
        return self.is_owned_by(user) and self.is_withdrawable

    def can_print(self, user) -> bool:
        """The print version shows the submitted snapshot, so one must exist."""
        return self.snapshot is not None and self.can_view(user)


class ProposalPartner(db.Model):
    """A partner company of the network."""

    __tablename__ = "proposal_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    in_programme_area: Mapped[bool] = mapped_column(Boolean, default=False)
    sector: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[str] = mapped_column(String(10), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    letter_of_intent: Mapped[bool] = mapped_column(Boolean, default=False)

    proposal: Mapped[Proposal] = relationship(back_populates="partners")


class ProposalMeasure(db.Model):
    """An entry of the catalogue of measures: what, when, at what cost."""

    __tablename__ = "proposal_measures"
    __table_args__ = (CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="cost_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(100), default="")
    cost_cents: Mapped[int | None] = mapped_column(BigInteger)

    proposal: Mapped[Proposal] = relationship(back_populates="measures")


class ProposalKpi(db.Model):
    """A proposed key performance indicator with baseline and target."""

    __tablename__ = "proposal_kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    indicator: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))

    proposal: Mapped[Proposal] = relationship(back_populates="kpis")


class Attachment(db.Model):
    """An uploaded file: bytes on disk under an opaque key, metadata here."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("storage_key", name="uq_attachments_storage_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(160))
    mime_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")
