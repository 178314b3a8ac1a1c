"""Admin pages of the jury: members, conflicts, assignment, progress, reminders."""

from flask import abort

from app.jury.views import bp


@bp.route("/admin/competitions/<int:competition_id>/jury")
def admin_jury(competition_id: int):
    """Jury administration of a competition (to be built)."""
    abort(404)
