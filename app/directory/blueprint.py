"""The public network directory, the operators' network pages and the administrators' directory pages.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.directory import admin_views, operator_views, views


def init_app(app: Flask) -> None:
    """Register the directory routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("directory", __name__)
    bp.context_processor(views.directory_template_helpers)
    # the public
    bp.add_url_rule("/networks", view_func=views.index)
    bp.add_url_rule("/networks/companies", view_func=views.companies)
    bp.add_url_rule("/networks/<slug>", view_func=views.network)
    bp.add_url_rule("/networks/<slug>/contact", view_func=views.contact, methods=["POST"])
    bp.add_url_rule("/networks/<slug>/join", view_func=views.join, methods=["GET", "POST"])
    bp.add_url_rule("/networks.csv", view_func=views.open_data_csv)
    bp.add_url_rule("/networks.json", view_func=views.open_data_json)
    bp.add_url_rule("/operations.csv", view_func=views.operations_csv)
    bp.add_url_rule("/operations.json", view_func=views.operations_json)
    # network operators
    bp.add_url_rule("/my/networks", view_func=operator_views.my_networks)
    bp.add_url_rule("/my/networks/<int:network_id>", view_func=operator_views.operator_network)
    bp.add_url_rule("/my/networks/<int:network_id>/edit",
                    view_func=operator_views.operator_edit, methods=["GET", "POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/members/import",
                    view_func=operator_views.operator_import_partners, methods=["POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/members/new",
                    view_func=operator_views.operator_member_new, methods=["GET", "POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/members/<int:member_id>",
                    view_func=operator_views.operator_member_edit, methods=["GET", "POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/members/<int:member_id>/remove",
                    view_func=operator_views.operator_member_remove, methods=["POST"])
    bp.add_url_rule("/my/memberships/<int:member_id>/consent",
                    view_func=operator_views.member_consent, methods=["POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/posts/new",
                    view_func=operator_views.operator_post_new, methods=["GET", "POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/posts/<int:post_id>",
                    view_func=operator_views.operator_post_edit, methods=["GET", "POST"])
    bp.add_url_rule("/my/networks/<int:network_id>/join-requests/<int:request_id>",
                    view_func=operator_views.operator_join_request, methods=["GET", "POST"])
    # administrators
    bp.add_url_rule("/admin/networks", view_func=admin_views.admin_networks)
    bp.add_url_rule("/admin/networks/new", view_func=admin_views.admin_network_new, methods=["GET", "POST"])
    bp.add_url_rule("/admin/networks/from-proposal/<int:proposal_id>",
                    view_func=admin_views.admin_network_from_proposal, methods=["POST"])
    bp.add_url_rule("/admin/networks/<int:network_id>/edit",
                    view_func=admin_views.admin_network_edit, methods=["GET", "POST"])
    bp.add_url_rule("/admin/networks/<int:network_id>/publish",
                    view_func=admin_views.admin_network_publish, methods=["POST"])
    bp.add_url_rule("/admin/networks/<int:network_id>/unpublish",
                    view_func=admin_views.admin_network_unpublish, methods=["POST"])
    bp.add_url_rule("/admin/networks/posts", view_func=admin_views.admin_posts)
    bp.add_url_rule("/admin/networks/posts/<int:post_id>", view_func=admin_views.admin_post, methods=["GET", "POST"])
    bp.add_url_rule("/admin/networks/messages", view_func=admin_views.admin_contact_messages)
    app.register_blueprint(bp)
