"""Ranking, statistics, decisions, protocol and exports."""

from flask import Blueprint, abort

bp = Blueprint("ranking", __name__)


@bp.route("/admin/competitions/<int:competition_id>/ranking")
def ranking(competition_id: int):
    """Ranking of a competition (to be built)."""
    abort(404)
