"""Versioned legal texts and the consents given to a version of the privacy notice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.time import UTCDateTime, utcnow
from app.extensions import db

IMPRINT = "imprint"
PRIVACY = "privacy"
ACCESSIBILITY = "accessibility"
TEXT_KINDS = (IMPRINT, PRIVACY, ACCESSIBILITY)


class LegalText(db.Model):
    """One version of a legal page in both languages; a new edit is a new row, old ones stay."""

    __tablename__ = "legal_texts"
    __table_args__ = (
        UniqueConstraint("kind", "version", name="uq_legal_texts_kind_version"),
        CheckConstraint("kind IN ('imprint', 'privacy', 'accessibility')", name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body_de: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    # A material change of the privacy notice asks every user to confirm it at the next login.
    material: Mapped[bool] = mapped_column(Boolean, default=False)
    # BITV 2.0 § 7: the enforcement body's contact (accessibility statement only).
    enforcement_contact: Mapped[str] = mapped_column(Text, default="")
    change_note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()

    def body_for(self, locale: str) -> str:
        """The text in the given language, falling back to German when the English one is empty."""
        return (self.body_en if locale == "en" else "") or self.body_de

    def audit_view(self) -> dict:
        """The version as recorded in the audit trail."""
        return {"kind": self.kind, "version": self.version, "material": self.material,
                "change_note": self.change_note, "length_de": len(self.body_de), "length_en": len(self.body_en)}


class Consent(db.Model):
    """A user's agreement to a version of the privacy notice (None: registered before any version existed)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=PRIVACY)
    version: Mapped[int | None] = mapped_column(Integer)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # How it was given: at registration or by confirming a changed notice.
    occasion: Mapped[str] = mapped_column(String(20), default="registration")

    def export_view(self) -> dict:
        """The consent as it appears in the person's data export."""
        return {"kind": self.kind, "version": self.version, "given_at": self.given_at.isoformat(),
                "occasion": self.occasion}
