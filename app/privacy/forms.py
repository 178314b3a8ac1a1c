"""Forms of the person's data page and the administrators' data protection pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.accounts.forms import strip_whitespace
from app.core.i18n import lazy_gettext as _l


class RequestDeletionForm(FlaskForm):
    """The person asks for their data to be deleted."""

    confirm = BooleanField(_l("I understand that my account will be closed and I can no longer log in."),
                           validators=[DataRequired(message=_l("Please tick the box to confirm."))])
    submit = SubmitField(_l("Ask for deletion"))


class FileOnBehalfForm(FlaskForm):
    """An administrator records a request that came by letter."""

    email = EmailField(_l("Email address of the person"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    note = TextAreaField(_l("Note (e.g. letter of 1 December, reference)"), validators=[DataRequired(),
                                                                                        Length(max=2000)],
                         render_kw={"rows": 3})
    submit = SubmitField(_l("File request"))


class ExportOnBehalfForm(FlaskForm):
    """An administrator exports a person's data to answer a request by letter."""

    email = EmailField(_l("Email address of the person"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    submit = SubmitField(_l("Download the person's data (ZIP)"))


class DeclineForm(FlaskForm):
    """Decline a request, with the reason the person reads."""

    reason = TextAreaField(_l("Reason (sent to the person)"), validators=[DataRequired(), Length(max=2000)],
                           render_kw={"rows": 3})
    submit = SubmitField(_l("Decline the request"))


class RetentionForm(FlaskForm):
    """Set a competition's retention end with the reason."""

    retention_until = DateField(_l("Keep the records until"), validators=[Optional()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Save retention end"))
