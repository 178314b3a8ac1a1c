"""The jury blueprint; juror pages live in juror_views.py, admin pages in admin_views.py."""

from flask import Blueprint

from app.jury import permissions  # noqa: F401 - registers the juror navigation role

bp = Blueprint("jury", __name__)
