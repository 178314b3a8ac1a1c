"""The administrators' decisions, jury meeting, letters, protocol, exports and audit file.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.competitions.cockpit import register_cockpit_source, register_next_step
from app.core.audit_labels import register_value_labels
from app.core.i18n import lazy_gettext as _l
from app.decisions import admin_views, cockpit, documents, queries, services
from app.proposals.outcomes import register_fact_loader
from app.ranking.weights import register_weight_lock


def init_app(app: Flask) -> None:
    """Register the decisions routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("decisions", __name__)
    # administrators
    bp.add_url_rule("/admin/competitions/<int:competition_id>/decisions",
                    view_func=admin_views.decisions, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/decisions/<int:proposal_id>",
                    view_func=admin_views.decision_edit, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/meeting",
                    view_func=admin_views.meeting, methods=["GET", "POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/letters",
                    view_func=admin_views.send_letters, methods=["POST"])
    bp.add_url_rule("/admin/competitions/<int:competition_id>/protocol", view_func=admin_views.protocol_page)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/protocol.<any(html, pdf):file_format>",
                    view_func=admin_views.protocol_download)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/exports", view_func=admin_views.exports_page)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/exports/<any(ranking, reviews):kind>"
                    ".<any(csv, xlsx):file_format>",
                    view_func=admin_views.export_download)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/audit-file", view_func=admin_views.audit_file_download)
    app.register_blueprint(bp)
    register_cockpit_source(cockpit.decision_figures)
    register_next_step("decision", _l("Decide on the proposals and send the letters"), "decisions.decisions")
    register_weight_lock(services.has_award)
    register_fact_loader(queries.applicant_decision_facts)
    register_value_labels("outcome", services.OUTCOME_LABELS)
    register_value_labels("method_at_decision", services.METHOD_LABELS)
    documents.register_documents()  # audit file, protocol PDF, reviews workbook: built by the job queue
