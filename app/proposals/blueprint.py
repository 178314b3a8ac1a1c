"""The applicants' drafting and submission pages and the administrators' list, exports and pre-check.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.competitions.cockpit import register_cockpit_source, register_next_step
from app.competitions.phases import register_requirement
from app.competitions.services import register_open_drafts
from app.core.audit_labels import register_value_labels
from app.core.i18n import lazy_gettext as _l
from app.proposals import admin_views, cockpit, precheck, queries, stamp_inputs, views
from app.proposals.admin_forms import ELIGIBILITY_LABELS


def init_app(app: Flask) -> None:
    """Register the proposals routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("proposals", __name__)
    bp.context_processor(views.proposal_helpers)
    # applicants
    bp.add_url_rule("/my/proposals", view_func=views.dashboard)
    bp.add_url_rule("/calls/<int:competition_id>/apply", view_func=views.create_draft, methods=["GET", "POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>", view_func=views.detail)
    bp.add_url_rule("/proposals/<int:proposal_id>/edit", view_func=views.edit_start)
    bp.add_url_rule("/proposals/<int:proposal_id>/edit/<section>", view_func=views.edit, methods=["GET", "POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>/attachments", view_func=views.upload_attachment, methods=["POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>/attachments/<int:attachment_id>/delete",
                    view_func=views.delete_attachment, methods=["POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>/attachments/<int:attachment_id>", view_func=views.download_attachment)
    bp.add_url_rule("/proposals/<int:proposal_id>/review", view_func=views.review)
    bp.add_url_rule("/proposals/<int:proposal_id>/submit", view_func=views.submit, methods=["POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>/withdraw", view_func=views.withdraw, methods=["GET", "POST"])
    bp.add_url_rule("/proposals/<int:proposal_id>/print", view_func=views.print_view)
    bp.add_url_rule("/proposals/<int:proposal_id>/letters/<any(decision, ineligibility):kind>.txt",
                    view_func=views.download_letter)
    # administrators
    bp.add_url_rule("/admin/competitions/<int:competition_id>/proposals", view_func=admin_views.admin_list)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/proposals/export.<any(csv, xlsx):file_format>",
                    view_func=admin_views.admin_export)
    bp.add_url_rule("/admin/proposals/<int:proposal_id>", view_func=admin_views.admin_detail)
    bp.add_url_rule("/admin/proposals/<int:proposal_id>/precheck",
                    view_func=admin_views.admin_precheck, methods=["GET", "POST"])
    bp.add_url_rule("/admin/proposals/<int:proposal_id>/reopen", view_func=admin_views.admin_reopen, methods=["POST"])
    app.register_blueprint(bp)
    register_cockpit_source(cockpit.proposal_figures)
    register_open_drafts(queries.open_draft_names)
    register_next_step("open", _l("Follow the submissions"), "proposals.admin_list")
    register_next_step("precheck", _l("Carry out the formal pre-check"), "proposals.admin_list")
    register_requirement("review", precheck.review_requirement)
    stamp_inputs.register()
    register_value_labels("eligibility", ELIGIBILITY_LABELS)
