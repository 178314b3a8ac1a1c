"""The public legal pages, the accessibility feedback form and the confirmation of a changed privacy notice."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.i18n import gettext as _
from app.core.permissions import is_safe_next_url
from app.core.refusals import refusal_shown
from app.extensions import limiter
from app.legal import reconfirm, services
from app.legal.feedback import AccessibilityFeedback, send_accessibility_feedback
from app.legal.forms import ConfirmPrivacyForm, FeedbackForm
from app.legal.models import ACCESSIBILITY, IMPRINT, PRIVACY


def _render_page(kind: str, feedback_form: FeedbackForm | None = None, status: int = 200):
    text = services.current_text(kind)
    return render_template("legal/page.html", kind=kind, text=text, feedback_form=feedback_form), status


def imprint():
    """The legal notice (Impressum, § 5 DDG)."""
    return _render_page(IMPRINT)


def privacy():
    """The privacy notice (Art. 13 GDPR), including the cookies the site sets."""
    return _render_page(PRIVACY)


def accessibility():
    """The accessibility statement (BITV 2.0 § 7) with its feedback form."""
    return _render_page(ACCESSIBILITY, FeedbackForm())


def _feedback_limit() -> str:
    return current_app.config["ACCESSIBILITY_FEEDBACK_RATE_LIMIT"]


@limiter.limit(_feedback_limit)
def send_feedback():
    """Send a barrier report to the office through the outbox."""
    form = FeedbackForm()
    if form.validate_on_submit():
        with refusal_shown(form) as refusal:
            send_accessibility_feedback(AccessibilityFeedback(
                message=form.message.data, page=form.page.data or "", name=form.name.data or "",
                email=form.email.data or ""))
        if not refusal.refused:
            flash(_("Thank you. Your message has been sent to the office."), "success")
            return redirect(url_for("legal.accessibility"))
    return _render_page(ACCESSIBILITY, form, 400 if request.method == "POST" else 200)


@login_required
def confirm_privacy():
    """Show the changed privacy notice and record the user's agreement to it."""
    form = ConfirmPrivacyForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    text = services.current_text(PRIVACY)
    if text is None:  # nothing published, nothing to confirm
        reconfirm.clear_mark()
        return redirect(url_for("core.index"))
    if form.validate_on_submit():
        services.record_consent(current_user, occasion="reconfirmation")
        reconfirm.clear_mark()
        flash(_("Thank you for confirming the privacy notice."), "success")
        target = form.next.data
        return redirect(target if is_safe_next_url(target) else url_for("core.index"))
    return render_template("legal/confirm_privacy.html", form=form, text=text,
                           previous=services.consented_version(current_user))
