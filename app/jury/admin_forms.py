"""Admin forms of the jury: appointing jurors, conflicts, assignments, reminders; display labels."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.accounts.forms import LANGUAGE_CHOICES, strip_whitespace
from app.core.i18n import lazy_gettext as _l
from app.jury.setup_forms import MultiCheckboxField

SOURCE_LABELS = {
    "declared": _l("Declared by the juror"),
    "detected": _l("Detected automatically"),
    "admin": _l("Recorded by the administration"),
}

REASON_LABELS = {
    "declared": _l("Declared by the juror"),
    "admin": _l("Recorded by the administration"),
    "same_organisation": _l("Same organisation as the lead organisation"),
    "same_email_domain": _l("Same email domain as the proposal"),
    "named_partner": _l("Named among the partners or contacts"),
}

CONFLICT_STATUS_LABELS = {"active": _l("Active"), "lifted": _l("Lifted")}

REVIEW_STATE_LABELS = {"pending": _l("not started"), "draft": _l("draft"), "submitted": _l("submitted")}

ASSIGNMENT_SOURCE_LABELS = {"auto": _l("automatic"), "manual": _l("manual")}


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (detection, replacement, removal)."""


class AppointJurorForm(FlaskForm):
    """Appoint a juror: an existing account by email, or a new person who is invited."""

    email = EmailField(_l("Email address"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "off"})
    name = StringField(_l("Name (only for people without an account)"), validators=[Optional(), Length(max=120)])
    organisation = StringField(_l("Organisation (only for people without an account)"),
                               validators=[Optional(), Length(max=200)])
    locale = SelectField(_l("Language of the emails (only for people without an account)"),
                         choices=LANGUAGE_CHOICES, default="de")
    submit = SubmitField(_l("Appoint to the jury"))


class AddConflictForm(FlaskForm):
    """An administrator records a conflict of interest between a juror and a proposal."""

    proposal_id = SelectField(_l("Proposal"), coerce=int, validators=[DataRequired()])
    user_id = SelectField(_l("Juror"), coerce=int, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Please give a reason.")),
                                                      Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Record conflict"))


class LiftConflictForm(FlaskForm):
    """Lift a conflict of interest; the reason goes into the audit trail."""

    reason = TextAreaField(_l("Why is the conflict lifted?"),
                           validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)],
                           render_kw={"rows": 3})
    submit = SubmitField(_l("Lift conflict"))


class AutoAssignForm(FlaskForm):
    """Run the automatic assignment."""

    full_panel = BooleanField(_l("Full panel: every juror without a conflict reviews every proposal"))
    submit = SubmitField(_l("Assign automatically"))


class AddReviewerForm(FlaskForm):
    """Assign one more juror to a proposal by hand."""

    user_id = SelectField(_l("Add reviewer"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Add"))


class ReminderForm(FlaskForm):
    """Send a reminder to the chosen jurors."""

    user_ids = MultiCheckboxField(_l("Jurors to remind"), coerce=int)
    submit = SubmitField(_l("Send reminder"))
