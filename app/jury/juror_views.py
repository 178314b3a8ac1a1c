"""Juror pages: dashboard, declaration, conflicts, scoring, discussion, consensus."""

from flask import abort

from app.jury.views import bp


@bp.route("/jury")
def dashboard():
    """Juror dashboard (to be built)."""
    abort(404)
