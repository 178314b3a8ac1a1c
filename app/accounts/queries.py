"""Named queries of the accounts package, for its views."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from app.accounts.models import User
from app.extensions import db

# Columns that record who did something; the audit trail shows the person's name for them.
PERSON_FIELDS = ("consent_recorded_by_id", "created_by_id", "decided_by_id", "filed_by_id", "invited_by_id",
                 "lifted_by_id", "prechecked_by_id", "released_by_id", "signed_by_id", "submitted_by_id",
                 "uploaded_by_id", "verified_by_id")


def users_matching(search: str | None) -> Select:
    """Users by name, optionally those whose name, e-mail or organisation contains the search text."""
    query = select(User).order_by(User.name, User.id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern),
                                func.lower(User.email).like(pattern),
                                func.lower(User.organisation).like(pattern)))
    return query


def person_name(user_id) -> str:
    """The name of the person with this id for the audit trail (a deleted person's shows as such)."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user.name if user is not None else f"#{user_id}"
