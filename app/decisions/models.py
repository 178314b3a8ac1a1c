"""The decision on each proposal of the jury pool, with its rationale; awarding starts the contract period."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.proposals.models import Proposal

OUTCOMES = ("shortlisted", "awarded", "reserve", "rejected")


class Decision(db.Model):
    """The outcome for one proposal, with its rationale; awarding starts the contract period."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("proposal_id", name="uq_decisions_proposal_id"),
        CheckConstraint("outcome IN ('shortlisted', 'awarded', 'reserve', 'rejected')", name="outcome_known"),
        CheckConstraint("outcome != 'awarded' OR award_date IS NOT NULL", name="award_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(12), index=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    meeting_note: Mapped[str] = mapped_column(Text, default="")
    award_date: Mapped[date | None] = mapped_column(Date)
    # The rank and total at the time of the decision, so the protocol shows what was decided on.
    rank_at_decision: Mapped[int | None]
    total_at_decision: Mapped[str | None] = mapped_column(String(20))
    method_at_decision: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    letter_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The letter as queued in the outbox: the applicant downloads this copy from the portal.
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship()
    decided_by: Mapped[User | None] = relationship()
