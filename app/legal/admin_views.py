"""Administrators edit the legal pages: every save publishes a new version with date and author."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.legal import services
from app.legal.forms import LegalTextForm
from app.legal.models import ACCESSIBILITY, PRIVACY, TEXT_KINDS


def _known(kind: str) -> str:
    if kind not in TEXT_KINDS:
        abort(404)
    return kind


@admin_required
def admin_texts():
    """The three legal pages with their current versions."""
    return render_template("legal/admin_texts.html", texts={kind: services.text_versions(kind) for kind in TEXT_KINDS})


@admin_required
def admin_edit(kind: str):
    """Publish a new version of a legal page, starting from the current one."""
    kind = _known(kind)
    current = services.current_text(kind)
    form = LegalTextForm(obj=current)
    if current is not None and not form.is_submitted():
        form.material.data = False
        form.change_note.data = ""
    if form.validate_on_submit():
        with refusal_shown(form) as refusal:
            text = services.publish_text(
                kind, body_de=form.body_de.data, body_en=form.body_en.data or "",
                material=kind == PRIVACY and form.material.data, change_note=form.change_note.data or "",
                enforcement_contact=form.enforcement_contact.data if kind == ACCESSIBILITY else "",
                author=current_user)
        if not refusal.refused:
            flash(_("Version %(version)s has been published.", version=text.version), "success")
            return redirect(url_for("legal.admin_texts"))
    return render_template("legal/admin_edit.html", kind=kind, form=form, current=current)


@admin_required
def admin_version(kind: str, version: int):
    """Read an earlier version of a legal page."""
    text = services.text_version(_known(kind), version)
    if text is None:
        abort(404)
    return render_template("legal/admin_version.html", kind=kind, text=text)
