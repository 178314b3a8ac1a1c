"""The rights of a person (export, deletion) and retention.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.privacy import admin_views, views


def init_app(app: Flask) -> None:
    """Register the privacy routes and the profile page's helpers."""
    bp = Blueprint("privacy", __name__)
    bp.app_context_processor(views.privacy_template_helpers)
    # the person themselves
    bp.add_url_rule("/profile/data.zip", view_func=views.export_data)
    bp.add_url_rule("/profile/deletion-request", view_func=views.request_deletion, methods=["POST"])
    # administrators
    bp.add_url_rule("/admin/privacy", view_func=admin_views.admin_requests, methods=["GET", "POST"])
    bp.add_url_rule("/admin/privacy/export", view_func=admin_views.admin_export, methods=["POST"])
    bp.add_url_rule("/admin/privacy/requests/<int:request_id>", view_func=admin_views.admin_request)
    bp.add_url_rule("/admin/privacy/requests/<int:request_id>/complete", view_func=admin_views.admin_complete,
                    methods=["POST"])
    bp.add_url_rule("/admin/privacy/requests/<int:request_id>/decline", view_func=admin_views.admin_decline,
                    methods=["POST"])
    bp.add_url_rule("/admin/privacy/retention", view_func=admin_views.admin_retention)
    bp.add_url_rule("/admin/privacy/retention/<int:competition_id>", view_func=admin_views.admin_retention_edit,
                    methods=["GET", "POST"])
    app.register_blueprint(bp)
