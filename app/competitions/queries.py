"""Named queries of the competitions package, for its views."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.competitions.models import Competition
from app.extensions import db


def competitions_newest_first() -> Select:
    """All competitions, the newest first (the admin list pages through it)."""
    return select(Competition).order_by(Competition.created_at.desc(), Competition.id.desc())


def competition_with_criteria(competition_id: int) -> Competition | None:
    """A competition with its criteria loaded, or None."""
    return db.session.scalar(select(Competition).where(Competition.id == competition_id)
                             .options(selectinload(Competition.criteria)))


def running_competitions() -> list[Competition]:
    """The competitions not yet closed, the newest first (an administrator's landing lists them)."""
    return list(db.session.scalars(select(Competition).where(Competition.phase != "closed")
                                   .order_by(Competition.created_at.desc(), Competition.id.desc())))
