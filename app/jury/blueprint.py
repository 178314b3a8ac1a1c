"""The jurors' pages (declaration, conflicts, scoring, discussion, consensus) and the administrators' jury pages.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.competitions.cockpit import register_cockpit_source, register_next_step
from app.competitions.phases import register_requirement
from app.core.audit_labels import register_value_formatter, register_value_labels
from app.core.i18n import lazy_gettext as _l
from app.core.navigation import register_nav_role
from app.jury import (
    admin_views,
    cockpit,
    conflict_reasons,
    consensus,
    juror_setup_views,
    juror_views,
    membership,
    permissions,
    progress,
    stamp_inputs,
)
from app.jury.admin_forms import REASON_LABELS, SOURCE_LABELS
from app.proposals.services import register_applicant_check


def init_app(app: Flask) -> None:
    """Register the jury routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("jury", __name__)
    # jurors: declaration and conflicts
    bp.add_url_rule("/jury/competitions/<int:competition_id>/declaration",
                    view_func=juror_setup_views.declaration, methods=["GET", "POST"])
    bp.add_url_rule("/jury/competitions/<int:competition_id>/conflicts",
                    view_func=juror_setup_views.conflicts, methods=["GET", "POST"])
    # jurors
    bp.add_url_rule("/jury", view_func=juror_views.dashboard)
    bp.add_url_rule("/jury/proposals/<int:proposal_id>", view_func=juror_views.proposal)
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/attachments/<int:attachment_id>",
                    view_func=juror_views.attachment)
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/review", view_func=juror_views.review, methods=["GET", "POST"])
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/review/autosave",
                    view_func=juror_views.review_autosave, methods=["POST"])
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/review/submit",
                    view_func=juror_views.review_submit, methods=["GET", "POST"])
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/reviews", view_func=juror_views.reviews)
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/discussion",
                    view_func=juror_views.discussion_thread, methods=["GET", "POST"], endpoint="discussion")
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/consensus",
                    view_func=juror_views.consensus, methods=["GET", "POST"])
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/consensus/approve",
                    view_func=juror_views.consensus_approve, methods=["POST"])
    bp.add_url_rule("/jury/proposals/<int:proposal_id>/consensus/revise",
                    view_func=juror_views.consensus_revise, methods=["POST"])
    # administrators
    bp.add_url_rule("/admin/competitions/<int:competition_id>/jury", view_func=admin_views.admin_jury)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/jury/appoint",
                    view_func=admin_views.admin_appoint_juror, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/jury/members/<int:membership_id>/remove",
                    view_func=admin_views.admin_remove_member, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/conflicts", view_func=admin_views.admin_conflicts)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/jury/<int:user_id>/proposed-conflicts",
                    view_func=admin_views.admin_proposed_conflicts, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/conflicts/detect",
                    view_func=admin_views.admin_detect_conflicts, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/conflicts/add",
                    view_func=admin_views.admin_add_conflict, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/conflicts/<int:conflict_id>/lift",
                    view_func=admin_views.admin_lift_conflict, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/assignments", view_func=admin_views.admin_assignments)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/assignments/auto",
                    view_func=admin_views.admin_assign_auto, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/assignments/proposals/<int:proposal_id>/add",
                    view_func=admin_views.admin_add_reviewer, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/assignments/proposals/<int:proposal_id>/replace",
                    view_func=admin_views.admin_replace_reviewer, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/assignments/<int:assignment_id>/remove",
                    view_func=admin_views.admin_remove_assignment, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/progress", view_func=admin_views.admin_progress)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/progress/remind",
                    view_func=admin_views.admin_send_reminders, methods=["POST"])
    bp.add_url_rule("/admin/reviews/<int:review_id>/reopen",
                    view_func=admin_views.admin_reopen_review, methods=["POST"])
    bp.add_url_rule("/admin/proposals/<int:proposal_id>/rapporteur",
                    view_func=admin_views.admin_rapporteur, methods=["POST"])
    bp.add_url_rule("/admin/proposals/<int:proposal_id>/consensus/confirm",
                    view_func=admin_views.admin_confirm_consensus, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/consensus", view_func=admin_views.admin_consensus)
    app.register_blueprint(bp)
    register_cockpit_source(cockpit.jury_figures)
    register_next_step("review", _l("Follow the review progress"), "jury.admin_progress")
    register_next_step("consensus", _l("Agree the consensus reports"), "jury.admin_consensus")
    app.add_template_global(conflict_reasons.conflict_reason_text, "conflict_reason")
    register_requirement("consensus", progress.consensus_requirement)
    register_requirement("decision", consensus.decision_requirement)
    register_nav_role("juror", permissions.holds_any_seat)
    stamp_inputs.register()
    register_value_labels("source", SOURCE_LABELS)
    register_value_labels("reason_code", REASON_LABELS)
    register_value_formatter("findings", conflict_reasons.findings_text)
    register_applicant_check(membership.juror_application_refusal)
