"""The administrators' audit trail and outbox pages."""

from __future__ import annotations

import re

from flask import abort, render_template, request
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.core import queries
from app.core.audit_labels import ACTION_LABELS
from app.core.i18n import lazy_gettext as _l
from app.core.models import OutboxMessage
from app.core.permissions import admin_required
from app.extensions import db


class AuditFilterForm(FlaskForm):
    """Filters of the audit trail page (GET)."""

    class Meta:
        csrf = False

    action = StringField("action", validators=[Optional(), Length(max=80)])
    object_type = StringField("object_type", validators=[Optional(), Length(max=60)])
    actor = StringField("actor", validators=[Optional(), Length(max=254)])


@admin_required
def audit_trail():
    """List audit events, newest first, filtered by action, object type or actor."""
    form = AuditFilterForm(request.args)
    query = queries.audit_events()
    if form.validate():
        query = queries.audit_events(form.action.data, form.object_type.data, form.actor.data)
    page = db.paginate(query, per_page=50, error_out=False)
    choices = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda item: item[1])
    return render_template("core/audit.html", form=form, page=page, action_choices=choices)


# Each language in its own name, as the language switch and the profile show them.
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}

OUTBOX_STATUS_LABELS = {
    "queued": _l("waiting to be sent"),
    "sent": _l("sent"),
    "logged": _l("logged (no mail server)"),
    "failed": _l("failed, will be retried"),
}


class OutboxFilterForm(FlaskForm):
    """Filters of the outbox page (GET)."""

    class Meta:
        csrf = False

    recipient = StringField("recipient", validators=[Optional(), Length(max=254)])
    status = SelectField("status",
                         choices=[SelectChoice("", "–")]
                         + [SelectChoice(code, label) for code, label in OUTBOX_STATUS_LABELS.items()],
                         validators=[Optional()])


@admin_required
def outbox():
    """List every mail the system has stored, newest first."""
    form = OutboxFilterForm(request.args)
    query = queries.outbox_messages()
    if form.validate():
        query = queries.outbox_messages(form.recipient.data, form.status.data)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("core/outbox.html", form=form, page=page, status_labels=OUTBOX_STATUS_LABELS,
                           language_names=LANGUAGE_NAMES)


@admin_required
def outbox_message(message_id: int):
    """Show one stored mail."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("core/outbox_message.html", message=message, status_labels=OUTBOX_STATUS_LABELS,
                           language_names=LANGUAGE_NAMES,
                           body=redact_account_links(message.body))


_ACCOUNT_LINK = re.compile(r"(/(?:confirm|reset|invitation)/)[A-Za-z0-9._-]+")


def redact_account_links(body: str) -> str:
    """Hide the secret part of account links so an admin cannot take over an account."""
    return _ACCOUNT_LINK.sub(r"\1…", body)
