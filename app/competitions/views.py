"""Competition pages: admin set-up and the public call pages."""

from flask import Blueprint

bp = Blueprint("competitions", __name__)
