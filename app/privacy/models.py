"""Requests to delete a person's data, and how they ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.time import UTCDateTime, utcnow
from app.extensions import db

REQUEST_STATUSES = ("pending", "completed", "declined")
CHANNELS = ("self", "letter")


class DeletionRequest(db.Model):
    """A person's request to erase their data (Art. 17 GDPR), made by themselves or filed by an administrator."""

    __tablename__ = "deletion_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'completed', 'declined')", name="status_known"),
        CheckConstraint("channel IN ('self', 'letter')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The anonymised account row stays (kept records point to it), so the link stays too.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    channel: Mapped[str] = mapped_column(String(10), default="self")
    note: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # What was erased and what was kept, by kind of record (counts).
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    filed_by: Mapped[User | None] = relationship(foreign_keys=[filed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def export_view(self) -> dict:
        """The request as it appears in the person's data export."""
        return {"status": self.status, "channel": self.channel, "requested_at": self.requested_at.isoformat(),
                "decided_at": self.decided_at.isoformat() if self.decided_at else None,
                "decision_reason": self.decision_reason}
