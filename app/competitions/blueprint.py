"""The public call pages and the administrators' competition and criteria pages.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.competitions import admin_views, public_views, requirements, stamps
from app.competitions.display import format_in_zone, format_share
from app.competitions.phases import PHASE_LABELS, register_requirement
from app.core.audit_labels import register_value_labels


def init_app(app: Flask) -> None:
    """Register the competitions routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("competitions", __name__)
    bp.add_app_template_global(public_views.phase_label)
    bp.app_context_processor(public_views.inject_open_calls_teaser)
    bp.add_app_template_filter(format_in_zone, "in_zone")
    bp.add_app_template_filter(format_share, "share")
    # the public
    bp.add_url_rule("/calls", view_func=public_views.public_list)
    bp.add_url_rule("/calls/<int:competition_id>", view_func=public_views.public_call)
    # administrators
    bp.add_url_rule("/admin", view_func=admin_views.admin_home)
    bp.add_url_rule("/admin/competitions", view_func=admin_views.admin_list)
    bp.add_url_rule("/admin/competitions/new", view_func=admin_views.admin_create, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>", view_func=admin_views.admin_detail)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/cockpit", view_func=admin_views.admin_cockpit)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/edit",
                    view_func=admin_views.admin_edit, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/advance",
                    view_func=admin_views.admin_advance, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/criteria",
                    view_func=admin_views.admin_criteria, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/criteria/<int:criterion_id>/edit",
                    view_func=admin_views.admin_criterion_edit, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/criteria/<int:criterion_id>/delete",
                    view_func=admin_views.admin_criterion_delete, methods=["POST"])
    app.register_blueprint(bp)
    for requirement in (requirements.call_has_title, requirements.call_has_text,
                        requirements.deadline_in_future, requirements.has_criteria,
                        requirements.funding_shares_complete):
        register_requirement("open", requirement)
    register_requirement("precheck", requirements.submission_deadline_passed)
    stamps.listen()
    register_value_labels("phase", PHASE_LABELS)
