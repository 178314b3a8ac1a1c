"""Legal notice, privacy notice and accessibility statement; consents to the privacy notice.

Every route of the package is listed in init_app, with what the package registers with the app.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import user_loaded_from_cookie, user_logged_in

from app.accounts.services import on_registration
from app.legal import admin_views, reconfirm, services, views
from app.legal.models import TEXT_KINDS


def record_registration_consent(user) -> None:
    """The registration form's consent, recorded with the privacy notice version it was given to."""
    services.record_consent(user, occasion="registration")


def legal_template_helpers() -> dict:
    """The kinds of legal page, for the footer and the admin pages."""
    return {"legal_kinds": TEXT_KINDS}


def init_app(app: Flask) -> None:
    """Register the legal routes, the login check of the privacy notice and the registration consent."""
    bp = Blueprint("legal", __name__)
    bp.app_context_processor(legal_template_helpers)
    # everyone
    bp.add_url_rule("/legal-notice", view_func=views.imprint)
    bp.add_url_rule("/privacy", view_func=views.privacy)
    bp.add_url_rule("/accessibility", view_func=views.accessibility)
    bp.add_url_rule("/accessibility/feedback", view_func=views.send_feedback, methods=["POST"])
    # the person themselves
    bp.add_url_rule("/privacy/confirm", view_func=views.confirm_privacy, methods=["GET", "POST"])
    # administrators
    bp.add_url_rule("/admin/legal", view_func=admin_views.admin_texts)
    bp.add_url_rule("/admin/legal/<kind>/edit", view_func=admin_views.admin_edit, methods=["GET", "POST"])
    bp.add_url_rule("/admin/legal/<kind>/<int:version>", view_func=admin_views.admin_version)
    app.register_blueprint(bp)
    app.before_request(reconfirm.redirect_to_confirmation)
    user_logged_in.connect(reconfirm.check_at_login, app)
    user_loaded_from_cookie.connect(reconfirm.check_at_login, app)
    on_registration(record_registration_consent)
