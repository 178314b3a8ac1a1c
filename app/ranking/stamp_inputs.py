"""A recorded draw by lot is an input of the competition's stamps (app/competitions/stamps.py): it settles ties."""

from __future__ import annotations

from app.competitions.stamps import BOTH, register_stamp_inputs
from app.ranking.models import RankingDraw


def _draw(session, obj: RankingDraw, change, written) -> None:
    written.mark(BOTH, obj.competition_id)


def register() -> None:
    """Register these models as inputs of the competition's stamps."""
    register_stamp_inputs(_draw, RankingDraw)
