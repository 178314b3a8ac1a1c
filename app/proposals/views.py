"""Proposal pages for applicants: dashboard, drafting, submission."""

from flask import Blueprint, abort

bp = Blueprint("proposals", __name__)


@bp.route("/my/proposals")
def dashboard():
    """Applicant dashboard (to be built)."""
    abort(404)


@bp.route("/calls/<int:competition_id>/apply", methods=["POST"])
def create_draft(competition_id: int):
    """Start a draft proposal for a call (to be built)."""
    abort(404)
