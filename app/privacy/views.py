"""The person's own data: download it as a ZIP and ask for its deletion."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, send_file, url_for
from flask_login import current_user, login_required

from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.core.time import utcnow
from app.privacy import deletion
from app.privacy.export import build_export
from app.privacy.forms import RequestDeletionForm


def send_export(data: bytes):
    """Send an export ZIP as a download."""
    name = f"ideenwettbewerb-daten-{utcnow():%Y-%m-%d}.zip"
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name,
                     max_age=0)


@login_required
def export_data():
    """Download every record of the current user as a ZIP."""
    return send_export(build_export(current_user))


@login_required
def request_deletion():
    """File the current user's request to delete their data."""
    form = RequestDeletionForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Please tick the box to confirm."), "danger")
        return redirect(url_for("accounts.profile") + "#h-data")
    with refusal_shown(form) as refusal:
        deletion.request_deletion(current_user)
    if not refusal.refused:
        flash(_("Your request has been sent. The funding office will carry it out and tell you by email."), "success")
    return redirect(url_for("accounts.profile") + "#h-data")


def privacy_template_helpers() -> dict:
    """The profile page asks whether a request is waiting, and shows the form."""
    return {"pending_deletion": deletion.pending_request, "deletion_form": RequestDeletionForm}
