"""Home page, language switch, and the administrators' audit trail and outbox pages.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.core import admin_views, audit_display, audit_labels, views
from app.core.form_errors import error_links


def init_app(app: Flask) -> None:
    """Register the core routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("core", __name__)
    bp.app_context_processor(views.inject_language_form)
    app.add_template_global(audit_labels.action_label, "audit_action_label")
    app.add_template_global(audit_labels.object_label, "audit_object_label")
    app.add_template_global(audit_display.field_changes, "audit_field_changes")
    bp.add_app_template_global(error_links)
    # everyone
    bp.add_url_rule("/", view_func=views.index)
    bp.add_url_rule("/favicon.ico", view_func=views.favicon)
    bp.add_url_rule("/language", view_func=views.set_language, methods=["POST"])
    bp.add_url_rule("/health", view_func=views.health)
    # administrators
    bp.add_url_rule("/admin/audit", view_func=admin_views.audit_trail)
    bp.add_url_rule("/admin/outbox", view_func=admin_views.outbox)
    bp.add_url_rule("/admin/outbox/<int:message_id>", view_func=admin_views.outbox_message)
    app.register_blueprint(bp)
