"""The profile page's API token form (CSRF via Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.api.tokens import MAX_VALID_DAYS
from app.core.forms import WholeNumberField
from app.core.i18n import lazy_gettext as _l


class CreateTokenForm(FlaskForm):
    """Name, scope and lifetime of a new API token."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("So you recognise it later, e.g. the system that uses it."))
    scope = SelectField(_l("Scope"), choices=[SelectChoice("read", _l("Read only")),
                                               SelectChoice("read_write", _l("Read and write (KPI reports)"))],
                        default="read", validators=[InputRequired()])
    valid_days = WholeNumberField(_l("Valid for (days)"), default=90,
                                  validators=[InputRequired(), NumberRange(min=1, max=MAX_VALID_DAYS)])
    submit = SubmitField(_l("Create token"))
