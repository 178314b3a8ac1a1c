"""Administrators: deletion requests (carry out, decline, file on a person's behalf) and retention ends."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.services import find_user_by_email
from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.extensions import db
from app.privacy import deletion, retention
from app.privacy.export import build_export
from app.privacy.forms import DeclineForm, ExportOnBehalfForm, FileOnBehalfForm, RetentionForm
from app.privacy.models import DeletionRequest
from app.privacy.queries import competitions_by_id
from app.privacy.views import send_export


def _request_or_404(request_id: int) -> DeletionRequest:
    request = db.session.get(DeletionRequest, request_id)
    if request is None:
        abort(404)
    return request


@admin_required
def admin_requests():
    """Pending and decided deletion requests, and the forms for requests that came by letter."""
    form = FileOnBehalfForm(prefix="delete")
    if form.submit.data and form.validate_on_submit():
        person = find_user_by_email(form.email.data)
        if person is None:
            form.email.errors = [_("No account has this email address.")]
        else:
            with refusal_shown(form) as refusal:
                request = deletion.request_deletion(person, filed_by=current_user, note=form.note.data)
            if not refusal.refused:
                flash(_("The request has been filed."), "success")
                return redirect(url_for("privacy.admin_request", request_id=request.id))
    return _requests_page(form, ExportOnBehalfForm(prefix="export"))


def _requests_page(form: FileOnBehalfForm, export_form: ExportOnBehalfForm, status: int = 200):
    return render_template("privacy/admin_requests.html", form=form, export_form=export_form,
                           pending=deletion.pending_requests(), decided=deletion.decided_requests()), status


@admin_required
def admin_export():
    """Download a person's data for them (Art. 15 request by letter); audited with the administrator as actor."""
    export_form = ExportOnBehalfForm(prefix="export")
    if export_form.validate_on_submit():
        person = find_user_by_email(export_form.email.data)
        if person is not None and not person.is_deleted:
            return send_export(build_export(person, actor=current_user))
        export_form.email.errors = [_("No account has this email address.")]
    return _requests_page(FileOnBehalfForm(prefix="delete"), export_form, 400)


@admin_required
def admin_request(request_id: int):
    """One request: what carrying it out would erase and keep."""
    request = _request_or_404(request_id)
    preview = deletion.deletion_preview(request.user) if request.status == "pending" else None
    return render_template("privacy/admin_request.html", request=request, preview=preview,
                           decline_form=DeclineForm())


@admin_required
def admin_complete(request_id: int):
    """Carry out a pending request."""
    request = _request_or_404(request_id)
    form = DeclineForm()  # only its CSRF token is checked here
    if not form.csrf_token.validate(form):
        abort(400)
    with refusal_shown() as refusal:
        deletion.complete_deletion(request, current_user)
    if not refusal.refused:
        flash(_("The data has been deleted; the person has been told by email."), "success")
    return redirect(url_for("privacy.admin_request", request_id=request_id))


@admin_required
def admin_decline(request_id: int):
    """Decline a pending request with a reason."""
    request = _request_or_404(request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        with refusal_shown(form) as refusal:
            deletion.decline_deletion(request, current_user, form.reason.data)
        if not refusal.refused:
            flash(_("The request has been declined; the person has been told by email."), "info")
            return redirect(url_for("privacy.admin_requests"))
    preview = deletion.deletion_preview(request.user) if request.status == "pending" else None
    return render_template("privacy/admin_request.html", request=request, preview=preview, decline_form=form), 400


@admin_required
def admin_retention():
    """Every competition with its retention end and where that date comes from."""
    rows = [(c, retention.retention_end(c), retention.default_retention_end(c))
            for c in competitions_by_id()]
    return render_template("privacy/admin_retention.html", rows=rows)


@admin_required
def admin_retention_edit(competition_id: int):
    """Set a competition's retention end with the reason (empty date: back to the default rule)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        abort(404)
    form = RetentionForm(obj=competition)
    if form.validate_on_submit():
        with refusal_shown(form) as refusal:
            retention.set_retention_end(competition, form.retention_until.data, form.reason.data, current_user)
        if not refusal.refused:
            flash(_("The retention end has been saved."), "success")
            return redirect(url_for("privacy.admin_retention"))
    return render_template("privacy/admin_retention_edit.html", competition=competition, form=form,
                           default_end=retention.default_retention_end(competition))
