"""Admin pages for proposals: list, filters, exports, formal pre-check, reopening."""

from flask import abort

from app.proposals.views import bp


@bp.route("/admin/competitions/<int:competition_id>/proposals")
def admin_list(competition_id: int):
    """Admin list of a competition's proposals (to be built)."""
    abort(404)
