"""Account forms (CSRF via Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from app.core.i18n import lazy_gettext as _l

LANGUAGE_CHOICES = [SelectChoice("de", "Deutsch"), SelectChoice("en", "English")]


def strip_whitespace(value):
    """Users paste addresses with stray spaces; they never belong to the value."""
    return value.strip() if isinstance(value, str) else value


def _password_field(label):
    return PasswordField(label, validators=[InputRequired(), Length(max=200)],
                         render_kw={"autocomplete": "new-password"})


class RegistrationForm(FlaskForm):
    """Register as an applicant."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    email = EmailField(_l("Email address"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = _password_field(_l("Password (at least 10 characters)"))
    password_confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    privacy_consent = BooleanField(
        _l("I agree that my data is processed to run this competition, as described in the privacy notice."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice to register."))],
    )
    submit = SubmitField(_l("Register"))


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = EmailField(_l("Email address"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class RequestResetForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("Email address"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send link"))


class SetPasswordForm(FlaskForm):
    """Choose a new password (reset or invitation)."""

    password = _password_field(_l("New password (at least 10 characters)"))
    password_confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password"))


class ProfileForm(FlaskForm):
    """Edit name, organisation and language."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save profile"))


class ChangePasswordForm(FlaskForm):
    """Change the password while logged in."""

    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    password = _password_field(_l("New password (at least 10 characters)"))
    password_confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class InviteUserForm(FlaskForm):
    """Admin: invite a person by email."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    locale = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Send invitation"))


class UserSearchForm(FlaskForm):
    """Admin: search the user list (GET, no CSRF needed)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search name, organisation or email"), validators=[Length(max=100)])


class ConfirmActionForm(FlaskForm):
    """A button that posts a state change, protected by CSRF."""

    submit = SubmitField(_l("Confirm"))
