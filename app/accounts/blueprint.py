"""Registration, confirmation, login, password reset, the profile, and the administrators' user pages.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.accounts import admin_views, queries, views
from app.core.audit_labels import register_value_formatter


def init_app(app: Flask) -> None:
    """Register the accounts routes, template helpers and what the package contributes to shared rules."""
    bp = Blueprint("accounts", __name__)
    # the person themselves
    bp.add_url_rule("/register", view_func=views.register, methods=["GET", "POST"])
    bp.add_url_rule("/confirm/<token>", view_func=views.confirm_email)
    bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
    bp.add_url_rule("/profile/logout-everywhere", view_func=views.logout_everywhere, methods=["POST"])
    bp.add_url_rule("/reset", view_func=views.request_reset, methods=["GET", "POST"])
    bp.add_url_rule("/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
    bp.add_url_rule("/invitation/<token>", view_func=views.accept_invitation, methods=["GET", "POST"])
    bp.add_url_rule("/profile", view_func=views.profile, methods=["GET", "POST"])
    # administrators
    bp.add_url_rule("/admin/users", view_func=admin_views.admin_users)
    bp.add_url_rule("/admin/users/invite", view_func=admin_views.admin_invite, methods=["GET", "POST"])
    bp.add_url_rule("/admin/users/<int:user_id>", view_func=admin_views.admin_user)
    bp.add_url_rule("/admin/users/<int:user_id>/confirm", view_func=admin_views.admin_confirm, methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/resend-link", view_func=admin_views.admin_resend_link,
                    methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/copy-link", view_func=admin_views.admin_copy_link, methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/grant-admin", view_func=admin_views.admin_grant, methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/revoke-admin", view_func=admin_views.admin_revoke, methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/deactivate", view_func=admin_views.admin_deactivate, methods=["POST"])
    bp.add_url_rule("/admin/users/<int:user_id>/reactivate", view_func=admin_views.admin_reactivate, methods=["POST"])
    app.register_blueprint(bp)
    for field in queries.PERSON_FIELDS:
        register_value_formatter(field, queries.person_name)
