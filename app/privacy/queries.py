"""Reads of the data protection pages."""

from __future__ import annotations

from sqlalchemy import select

from app.competitions.models import Competition
from app.extensions import db


def competitions_by_id() -> list[Competition]:
    """Every competition, oldest first."""
    return list(db.session.scalars(select(Competition).order_by(Competition.id)))
