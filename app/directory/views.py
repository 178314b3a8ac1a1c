"""Public network directory pages."""

from flask import Blueprint, abort

bp = Blueprint("directory", __name__)


@bp.route("/networks")
def index():
    """Public network directory (to be built)."""
    abort(404)
