"""Forms of the legal pages: editing a text, the accessibility feedback, confirming the privacy notice."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.accounts.forms import strip_whitespace
from app.core.i18n import lazy_gettext as _l


class LegalTextForm(FlaskForm):
    """Publish a new version of a legal page (Markdown, both languages)."""

    body_de = TextAreaField(_l("Text in German (Markdown)"), validators=[DataRequired(), Length(max=100_000)],
                            render_kw={"rows": 18})
    body_en = TextAreaField(_l("Text in English (Markdown)"), validators=[Length(max=100_000)],
                            render_kw={"rows": 18})
    enforcement_contact = TextAreaField(_l("Enforcement body (name, address, email, website)"),
                                        validators=[Length(max=2000)], render_kw={"rows": 4})
    change_note = StringField(_l("What changed"), validators=[Length(max=300)])
    material = BooleanField(_l("Material change: every user confirms the new version at their next login"))
    submit = SubmitField(_l("Publish new version"))


class FeedbackForm(FlaskForm):
    """Report a barrier on this site."""

    message = TextAreaField(_l("Which barrier did you meet?"), validators=[DataRequired(), Length(max=5000)],
                            render_kw={"rows": 5})
    page = StringField(_l("On which page (optional)"), filters=[strip_whitespace], validators=[Length(max=300)])
    name = StringField(_l("Your name (optional)"), filters=[strip_whitespace], validators=[Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Your email address for a reply (optional)"), filters=[strip_whitespace],
                       validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send feedback"))


class ConfirmPrivacyForm(FlaskForm):
    """Agree to the changed privacy notice."""

    agree = BooleanField(_l("I have read the privacy notice and agree that my data is processed as it describes."),
                         validators=[DataRequired(message=_l("Please agree to the privacy notice to continue."))])
    next = HiddenField()
    submit = SubmitField(_l("Continue"))
