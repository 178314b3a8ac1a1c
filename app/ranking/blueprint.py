"""The ranking, proposal detail, what-if weights and statistics pages (administrators; jurors from the decision phase).

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.jury.progress import register_disagreement_source
from app.ranking import service, stamp_inputs, views


def init_app(app: Flask) -> None:
    """Register the ranking routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("ranking", __name__)
    # administrators; signed jurors from the decision phase
    bp.add_url_rule("/admin/competitions/<int:competition_id>/ranking", view_func=views.ranking)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/ranking/draw",
                    view_func=views.record_draw, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/ranking/proposals/<int:proposal_id>",
                    view_func=views.proposal)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/ranking/weights",
                    view_func=views.what_if_weights, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/statistics", view_func=views.statistics)
    app.register_blueprint(bp)
    register_disagreement_source(service.contested_proposal_ids)
    stamp_inputs.register()
