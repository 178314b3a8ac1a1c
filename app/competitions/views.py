"""Competition pages: admin set-up and the public call pages."""

from flask import Blueprint, abort

bp = Blueprint("competitions", __name__)


@bp.route("/calls")
def public_list():
    """Public list of open and past calls (to be built)."""
    abort(404)


@bp.route("/admin/competitions")
def admin_list():
    """Admin list of competitions (to be built)."""
    abort(404)
