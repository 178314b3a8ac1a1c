"""Proposal pages (applicant side and admin pre-check)."""

from flask import Blueprint

bp = Blueprint("proposals", __name__)
