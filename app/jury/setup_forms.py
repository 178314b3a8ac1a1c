"""Forms a juror fills in before reviewing: expertise, the declaration, conflicts of interest."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.i18n import lazy_gettext as _l


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes in a fieldset (easier by keyboard than a list box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExpertiseForm(FlaskForm):
    """The juror's sectors (from the call's list) and keywords, used to match proposals."""

    sectors = MultiCheckboxField(_l("Sectors in which you are an expert"), validators=[Optional()])
    keywords = StringField(_l("Keywords of your expertise"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save expertise"))

    def __init__(self, sectors: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors.choices = [(s, s) for s in sectors]


class DeclarationForm(FlaskForm):
    """The confidentiality and impartiality declaration: a checkbox and a signing button."""

    agree = BooleanField(
        _l("I have read the declaration and agree to it."),
        validators=[DataRequired(message=_l("Please confirm that you agree to the declaration."))],
    )
    submit = SubmitField(_l("Sign the declaration"))


class ConflictDeclarationForm(FlaskForm):
    """Declare a conflict of interest with one proposal, with a required reason."""

    reason = TextAreaField(_l("Reason for the conflict of interest"),
                           validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Declare conflict"))
