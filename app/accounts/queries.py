"""Named queries of the accounts package, for its views."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from app.accounts.models import User


def users_matching(search: str | None) -> Select:
    """Users by name, optionally those whose name, e-mail or organisation contains the search text."""
    query = select(User).order_by(User.name, User.id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern),
                                func.lower(User.email).like(pattern),
                                func.lower(User.organisation).like(pattern)))
    return query
