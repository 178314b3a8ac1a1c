"""Personal API tokens: shown once, stored as a SHA-256 digest, with a scope and an expiry."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

TOKEN_SCOPES = ("read", "read_write")


class ApiToken(db.Model):
    """A bearer token acting for its owner, never with more rights than the owner has in the browser."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'read_write')", name="scope_known"),
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # Only the digest is kept: a leaked database does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so the owner can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        """True while the token is neither revoked nor expired."""
        return self.revoked_at is None and (now or utcnow()) < self.expires_at

    @property
    def can_write(self) -> bool:
        """True for read-write tokens."""
        return self.scope == "read_write"

    def audit_view(self) -> dict[str, Any]:
        """The token as recorded in the audit trail (never the secret or its digest)."""
        return {"name": self.name, "prefix": self.prefix, "scope": self.scope,
                "expires_at": self.expires_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}
