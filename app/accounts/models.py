"""The user account."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.i18n import lazy_gettext
from app.core.time import UTCDateTime, utcnow
from app.extensions import db


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored trimmed and lower-cased."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    """A person using the system: applicant by default, admin by flag, juror by membership."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("locale IN ('de', 'en')", name="locale_supported"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read and written as `name` (below), which shows an erased person as "deleted user <id>".
    stored_name: Mapped[str] = mapped_column("name", String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    locale: Mapped[str] = mapped_column(String(5), default="de")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    privacy_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Sessions and remember cookies carry this number; raising it ends all of them (docs/security.md).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set when the person's data was erased on request (app/privacy): the row stays for kept records.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        """The id Flask-Login signs into the session and the remember cookie: "<id>:<session version>"."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Make every session and remember cookie issued so far invalid."""
        self.session_version = (self.session_version or 1) + 1

    @hybrid_property
    def name(self) -> str:
        """The person's name; once their data was erased, "deleted user <id>" in the reader's language."""
        # Read from the loaded state: pages that load only the name (load_only) must not pay a query per
        # person for this column; there the stored German label ("Gelöschte Person <id>") is shown.
        if self.__dict__.get("deleted_at") is not None:
            return str(lazy_gettext("deleted user %(id)s", id=self.id))
        return self.stored_name

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.stored_name = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls):
        """In SQL the stored column (which holds the German label once erased)."""
        return cls.stored_name

    @property
    def is_deleted(self) -> bool:
        """True once the person's data was erased; kept records show them anonymised."""
        return self.deleted_at is not None

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in (Flask-Login reads this)."""
        return self.active

    @property
    def is_confirmed(self) -> bool:
        """True once the user clicked the confirmation link."""
        return self.email_confirmed_at is not None

    def set_password(self, password: str) -> None:
        """Hash and store a new password (scrypt)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Check a password against the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def audit_view(self) -> dict:
        """The fields recorded in the audit trail (never the password hash)."""
        return {
            "email": self.email,
            "name": self.name,
            "organisation": self.organisation,
            "locale": self.locale,
            "active": self.active,
            "is_admin": self.is_admin,
        }

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
