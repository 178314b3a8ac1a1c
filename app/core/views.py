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
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.accounts.models import User
from app.core.i18n import LOCALE_SESSION_KEY
from app.core.models import AuditEvent, OutboxMessage
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
        db.session.commit()
    target = form.next.data
    return redirect(target if is_safe_next_url(target) else url_for("core.index"))


@bp.route("/health")
def health():
    """Liveness probe for the load balancer: the app answers and the database responds."""
    db.session.execute(select(1))
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
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if form.validate():
        if form.action.data:
            query = query.where(AuditEvent.action.like(f"{form.action.data.strip()}%"))
        if form.object_type.data:
            query = query.where(AuditEvent.object_type == form.object_type.data.strip())
        if form.actor.data:
            query = query.join(User, AuditEvent.actor_id == User.id).where(
                User.email.like(f"%{form.actor.data.strip().lower()}%"))
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
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if form.validate():
        if form.recipient.data:
            query = query.where(OutboxMessage.recipient.like(f"%{form.recipient.data.strip().lower()}%"))
        if form.status.data:
            query = query.where(OutboxMessage.status == form.status.data)
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
