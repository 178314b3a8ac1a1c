"""Contracts: the administrators' pages, the operators' reports, and the shared contract file download.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.competitions.cockpit import register_cockpit_source, register_next_step
from app.competitions.phases import register_requirement
from app.contracts import admin_views, cockpit, operator_views, queries, requirements, stamp_inputs, views
from app.contracts.display import PAYMENT_KIND_LABELS, REPORT_STATUS_LABELS, RULE_LABELS, STATUS_LABELS
from app.core.audit_labels import register_value_labels
from app.core.i18n import lazy_gettext as _l
from app.core.navigation import register_nav_role
from app.proposals.outcomes import register_fact_loader


def init_app(app: Flask) -> None:
    """Register the contracts routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("contracts", __name__)
    bp.context_processor(views.contract_template_helpers)
    # administrators and the network's operators
    bp.add_url_rule("/contracts/<int:contract_id>/files/<int:file_id>", view_func=views.download_file)
    # network operators
    bp.add_url_rule("/my/contracts", view_func=operator_views.operator_contracts)
    bp.add_url_rule("/my/contracts/<int:contract_id>", view_func=operator_views.operator_detail)
    bp.add_url_rule("/my/contracts/<int:contract_id>/milestones/<int:milestone_id>/report",
                    view_func=operator_views.submit_report, methods=["GET", "POST"])
    # administrators
    bp.add_url_rule("/admin/contracts", view_func=admin_views.portfolio)
    bp.add_url_rule("/admin/contracts/export/<any(contracts, milestones, reports, payments):dataset>"
                    ".<any(csv, xlsx):fmt>",
                    view_func=admin_views.export)
    bp.add_url_rule("/admin/decisions/<int:decision_id>/contract",
                    view_func=admin_views.create, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>", view_func=admin_views.admin_detail)
    bp.add_url_rule("/admin/contracts/<int:contract_id>/publication",
                    view_func=admin_views.edit_publication, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/terms",
                    view_func=admin_views.edit_terms, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/amounts",
                    view_func=admin_views.change_amounts, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/<any(operators, shares, 'approval-steps', team):part>",
                    view_func=admin_views.edit_rows, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/status", view_func=admin_views.set_status, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/sign", view_func=admin_views.sign, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/milestones/new",
                    view_func=admin_views.new_milestone, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/milestones/<int:milestone_id>",
                    view_func=admin_views.edit_milestone, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/milestones/<int:milestone_id>/delete",
                    view_func=admin_views.delete_milestone, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/documents",
                    view_func=admin_views.upload_document, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/documents/<int:file_id>/delete",
                    view_func=admin_views.delete_document, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/reports/<int:report_id>", view_func=admin_views.review_report)
    bp.add_url_rule("/admin/contracts/<int:contract_id>/reports/<int:report_id>/accept",
                    view_func=admin_views.accept_report, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/reports/<int:report_id>/reject",
                    view_func=admin_views.reject_report, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/milestones/<int:milestone_id>/release",
                    view_func=admin_views.release_milestone, methods=["GET", "POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/milestones/<int:milestone_id>/close",
                    view_func=admin_views.close_milestone, methods=["POST"])
    bp.add_url_rule("/admin/contracts/<int:contract_id>/fixed-tranche/release",
                    view_func=admin_views.release_fixed, methods=["GET", "POST"])
    app.register_blueprint(bp)
    register_cockpit_source(cockpit.contract_figures)
    register_next_step("contracting", _l("Record contracts, verify reports and release payments"),
                       "contracts.portfolio", id_arg="competition")
    register_requirement("closed", requirements.contracts_completed)
    register_nav_role("operator", queries.operates_a_network)
    stamp_inputs.register()
    register_fact_loader(queries.applicant_contract_facts)
    register_value_labels("rule", RULE_LABELS)
    register_value_labels("kind", PAYMENT_KIND_LABELS, "contracts")
    register_value_labels("status", STATUS_LABELS, "contracts")
    register_value_labels("status", REPORT_STATUS_LABELS, "contract_reports")
