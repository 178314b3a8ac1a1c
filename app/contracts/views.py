"""Contracts, milestones, reports and payments."""

from flask import Blueprint, abort

bp = Blueprint("contracts", __name__)


@bp.route("/admin/contracts")
def portfolio():
    """Portfolio of all contracts (to be built)."""
    abort(404)


@bp.route("/my/contracts")
def operator_contracts():
    """The network operator's contracts (to be built)."""
    abort(404)
