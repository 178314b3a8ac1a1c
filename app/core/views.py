"""Home page, language switch, and the admin pages for the audit trail and outbox."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.core import queries
from app.core.i18n import LOCALE_SESSION_KEY
from app.core.models import OutboxMessage
from app.core.permissions import admin_required, is_safe_next_url
from app.extensions import db

bp = Blueprint("core", __name__)


class LanguageForm(FlaskForm):
    """The language switch in the header (posted with CSRF)."""

    locale = HiddenField()
    next = HiddenField()


@bp.app_context_processor
def inject_language_form():
    """Every page renders the language switch (never bound to the request's own form data)."""
    return {"language_form": lambda: LanguageForm(formdata=None)}


@bp.route("/")
def index():
    """Home page: what the product is and where to go next."""
    return render_template("core/index.html")


@bp.route("/favicon.ico")
def favicon():
    """The site icon, where browsers look for it without a link in the page."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the UI language for this session (and the profile when logged in)."""
    form = LanguageForm()
    if not form.validate_on_submit() or form.locale.data not in current_app.config["LANGUAGES"]:
        abort(400)
    session[LOCALE_SESSION_KEY] = form.locale.data
    if current_user.is_authenticated and current_user.locale != form.locale.data:
        current_user.locale = form.locale.data  # mails then follow the chosen language too
    target = form.next.data
    return redirect(target if is_safe_next_url(target) else url_for("core.index"))


@bp.route("/health")
def health():
    """Liveness probe for the load balancer: the app answers and the database responds."""
    queries.ping_database()
    return {"status": "ok"}


class AuditFilterForm(FlaskForm):
    """Filters of the audit trail page (GET)."""

    class Meta:
        csrf = False

    action = StringField("action", validators=[Optional(), Length(max=80)])
    object_type = StringField("object_type", validators=[Optional(), Length(max=60)])
    actor = StringField("actor", validators=[Optional(), Length(max=254)])


@bp.route("/admin/audit")
@admin_required
def audit_trail():
    """List audit events, newest first, filtered by action, object type or actor."""
    form = AuditFilterForm(request.args)
    query = queries.audit_events()
    if form.validate():
        query = queries.audit_events(form.action.data, form.object_type.data, form.actor.data)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("core/audit.html", form=form, page=page)


class OutboxFilterForm(FlaskForm):
    """Filters of the outbox page (GET)."""

    class Meta:
        csrf = False

    recipient = StringField("recipient", validators=[Optional(), Length(max=254)])
    status = SelectField("status",
                         choices=[SelectChoice("", "–")]
                         + [SelectChoice(s) for s in ("queued", "sent", "logged", "failed")],
                         validators=[Optional()])


@bp.route("/admin/outbox")
@admin_required
def outbox():
    """List every mail the system has stored, newest first."""
    form = OutboxFilterForm(request.args)
    query = queries.outbox_messages()
    if form.validate():
        query = queries.outbox_messages(form.recipient.data, form.status.data)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("core/outbox.html", form=form, page=page)


@bp.route("/admin/outbox/<int:message_id>")
@admin_required
def outbox_message(message_id: int):
    """Show one stored mail."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("core/outbox_message.html", message=message,
                           body=redact_account_links(message.body))


_ACCOUNT_LINK = re.compile(r"(/(?:confirm|reset|invitation)/)[A-Za-z0-9._-]+")


def redact_account_links(body: str) -> str:
    """Hide the secret part of account links so an admin cannot take over an account."""
    return _ACCOUNT_LINK.sub(r"\1…", body)
