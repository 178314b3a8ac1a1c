"""Jury membership, conflicts, assignments, reviews with scores, discussion and consensus."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.competitions.models import Competition, Criterion
    from app.proposals.models import Proposal


class JuryMembership(db.Model):
    """A user's seat on one competition's jury, with expertise and the signed declaration."""

    __tablename__ = "jury_memberships"
    __table_args__ = (
        UniqueConstraint("competition_id", "user_id", name="uq_jury_memberships_competition_user"),
        CheckConstraint("status IN ('active', 'removed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[str] = mapped_column(String(300), default="")
    declaration_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    competition: Mapped[Competition] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def has_signed_declaration(self) -> bool:
        """Jurors see no proposal before signing the confidentiality and impartiality declaration."""
        return self.declaration_signed_at is not None


class Conflict(db.Model):
    """A conflict of interest between a juror and a proposal: declared, detected or set by an admin."""

    __tablename__ = "conflicts"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id", name="uq_conflicts_proposal_user"),
        CheckConstraint("source IN ('declared', 'detected', 'admin')", name="source_known"),
        CheckConstraint("status IN ('active', 'lifted')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(40), default="declared")
    reason: Mapped[str] = mapped_column(Text, default="")
    # What detection found, as kinds with parameters ({"kind", "params"}), shown as sentences in
    # the reader's language; `reason` keeps the English record. None for declared and admin conflicts.
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8), default="active", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        """Only active conflicts block assignment and visibility."""
        return self.status == "active"


class Assignment(db.Model):
    """Who reviews what."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id", name="uq_assignments_proposal_user"),
        CheckConstraint("source IN ('auto', 'manual')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    source: Mapped[str] = mapped_column(String(6), default="auto")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Review(db.Model):
    """One juror's review of one proposal: a score and justification per criterion."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("proposal_id", "user_id", name="uq_reviews_proposal_user"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking for two tabs; autosave sends the version it last saw.
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship()
    user: Mapped[User] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="review", cascade="all, delete-orphan")

    @property
    def is_submitted(self) -> bool:
        """A review counts only once submitted."""
        return self.status == "submitted"

    def score_for(self, criterion_id: int) -> Score | None:
        """The score row of one criterion, if any."""
        return next((s for s in self.scores if s.criterion_id == criterion_id), None)


class Score(db.Model):
    """The score and justification of one criterion in one review."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id", name="uq_scores_review_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="RESTRICT"), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    justification: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class ReviewHistory(db.Model):
    """Every submitted or reopened state of a review, kept for the audit file."""

    __tablename__ = "review_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DiscussionPost(db.Model):
    """A message in a proposal's jury discussion (non-conflicted jurors and admins only)."""

    __tablename__ = "discussion_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()


class Consensus(db.Model):
    """The consensus report of a proposal, drafted by the rapporteur and approved by the jurors."""

    __tablename__ = "consensus"
    __table_args__ = (
        UniqueConstraint("proposal_id", name="uq_consensus_proposal_id"),
        CheckConstraint("status IN ('draft', 'proposed', 'approved')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    rapporteur_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    report: Mapped[str] = mapped_column(Text, default="")
    minority_view: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship()
    rapporteur: Mapped[User | None] = relationship()
    scores: Mapped[list[ConsensusScore]] = relationship(back_populates="consensus", cascade="all, delete-orphan")
    approvals: Mapped[list[ConsensusApproval]] = relationship(back_populates="consensus",
                                                              cascade="all, delete-orphan")

    @property
    def is_approved(self) -> bool:
        """Approved consensus scores become the proposal's scores (METHOD.md, method 6)."""
        return self.status == "approved"


class ConsensusScore(db.Model):
    """The agreed score and comment of one criterion, with a minority view where there is one."""

    __tablename__ = "consensus_scores"
    __table_args__ = (UniqueConstraint("consensus_id", "criterion_id", name="uq_consensus_scores_consensus_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consensus_id: Mapped[int] = mapped_column(ForeignKey("consensus.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="RESTRICT"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    comment: Mapped[str] = mapped_column(Text, default="")
    minority_view: Mapped[str] = mapped_column(Text, default="")

    consensus: Mapped[Consensus] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class ConsensusApproval(db.Model):
    """A juror's approval of the proposed consensus report."""

    __tablename__ = "consensus_approvals"
    __table_args__ = (UniqueConstraint("consensus_id", "user_id", name="uq_consensus_approvals_consensus_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consensus_id: Mapped[int] = mapped_column(ForeignKey("consensus.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consensus: Mapped[Consensus] = relationship(back_populates="approvals")
