"""Directory forms: search (GET), network entries, members, results posts, contact and join requests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.accounts.forms import strip_whitespace
from app.core.i18n import lazy_gettext as _l
from app.directory.display import KIND_LABELS, STATUS_LABELS, safe_website
from app.directory.models import EXTERNAL_STATUSES


def website_url(form, field) -> None:
    """Accept an empty value or an http(s) address."""
    if field.data and safe_website(field.data) is None:
        raise ValidationError(_l("Please enter a web address starting with https:// or http://."))


def _website_field(label):
    return StringField(label, filters=[strip_whitespace], validators=[Optional(), Length(max=300), website_url],
                       render_kw={"inputmode": "url", "autocomplete": "url"})


class DirectorySearchForm(FlaskForm):
    """Search and filters of the public directory (GET, no CSRF); choices are set by the view."""

    class Meta:
        csrf = False

    q = StringField(_l("Search name, description or technology field"), filters=[strip_whitespace],
                    validators=[Optional(), Length(max=100)])
    sector = SelectField(_l("Sector"), validate_choice=False)
    technology = SelectField(_l("Technology field"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    kind = SelectField(_l("Funded or external"), validate_choice=False)

    def set_choices(self, *, sectors: list[str], technologies: list[str], regions: list[str]) -> None:
        """Offer the values that occur in published networks, plus "all"."""
        every = SelectChoice("", _l("All"))
        self.sector.choices = [every, *(SelectChoice(s, s) for s in sectors)]
        self.technology.choices = [every, *(SelectChoice(t, t) for t in technologies)]
        self.region.choices = [every, *(SelectChoice(r, r) for r in regions)]
        self.status.choices = [every, *(SelectChoice(k, v) for k, v in STATUS_LABELS.items())]
        self.kind.choices = [every, *(SelectChoice(k, v) for k, v in KIND_LABELS.items())]


class CompanySearchForm(FlaskForm):
    """Search the listed member companies (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search company, town or sector"), filters=[strip_whitespace],
                    validators=[Optional(), Length(max=100)])


class OperatorNetworkForm(FlaskForm):
    """What the operator of a funded network may edit on its public entry."""

    summary = StringField(_l("Short description (one sentence)"), filters=[strip_whitespace],
                          validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description and purpose (Markdown)"), validators=[Length(max=20_000)],
                                render_kw={"rows": 10})
    technology_fields = StringField(_l("Technology fields (separated by commas)"), filters=[strip_whitespace],
                                    validators=[Length(max=800)])
    website = _website_field(_l("Website"))
    open_for_members = BooleanField(_l("Open for new member companies (join requests are accepted)"))
    submit = SubmitField(_l("Save"))


class NetworkForm(OperatorNetworkForm):
    """The administrator's form for a directory entry (funded or external)."""

    name = StringField(_l("Name of the network"), filters=[strip_whitespace],
                       validators=[DataRequired(), Length(max=200)])
    sector = StringField(_l("Sector"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=120)])
    region = StringField(_l("Region"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=120)])
    operator_name = StringField(_l("Operator (organisation)"), filters=[strip_whitespace],
                                validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(_l("Contact address for the contact form (never shown publicly)"),
                               filters=[strip_whitespace],
                               validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    external_status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in EXTERNAL_STATUSES])



class MemberForm(FlaskForm):
    """A member company of a network."""

    company_name = StringField(_l("Company"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=200)])
    town = StringField(_l("Town"), filters=[strip_whitespace], validators=[Length(max=100)])
    sector = StringField(_l("Sector"), filters=[strip_whitespace], validators=[Length(max=120)])
    website = _website_field(_l("Website"))
    listed_consent = BooleanField(_l("The company has agreed to be listed publicly in the network directory"))
    submit = SubmitField(_l("Save member"))


class ResultsPostForm(FlaskForm):
    """A results post of a network: saved as a draft or submitted for approval."""

    title = StringField(_l("Title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=200)])
    event_date = DateField(_l("Date of the event or result (optional)"), validators=[Optional()])
    body = TextAreaField(_l("Text (Markdown)"), validators=[DataRequired(), Length(max=20_000)],
                         render_kw={"rows": 10})
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Save and submit for approval"))


class PostDecisionForm(FlaskForm):
    """The administrator approves a results post or returns it with a reason."""

    reason = TextAreaField(_l("Reason for returning the post (the operator reads it)"),
                           validators=[Length(max=5000)], render_kw={"rows": 4})
    approve = SubmitField(_l("Approve and publish"))
    reject = SubmitField(_l("Return to the operator"))


class ContactForm(FlaskForm):
    """The contact form of a network page; the message is forwarded to the operator by mail."""

    name = StringField(_l("Your name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Your email address (for the reply)"), filters=[strip_whitespace],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    organisation = StringField(_l("Company or organisation (optional)"), filters=[strip_whitespace],
                               validators=[Length(max=200)], render_kw={"autocomplete": "organization"})
    message = TextAreaField(_l("Message"), validators=[DataRequired(), Length(min=10, max=5000)],
                            render_kw={"rows": 6})
    consent = BooleanField(
        _l("I agree that my message and contact details are passed on to the network operator so that they can "
           "reply."),
        validators=[DataRequired(message=_l("Please agree so that we can pass your message on."))])
    # A trap for bots: hidden from people (and assistive technology), bots fill in every field.
    homepage = StringField(_l("Leave this field empty"), validators=[Length(max=300)],
                           render_kw={"autocomplete": "off", "tabindex": "-1"})
    submit = SubmitField(_l("Send message"))


class JoinRequestForm(FlaskForm):
    """A company asks to join a network."""

    company_name = StringField(_l("Company"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=200)],
                               render_kw={"autocomplete": "organization"})
    town = StringField(_l("Town"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=100)])
    sector = StringField(_l("Sector"), filters=[strip_whitespace], validators=[Length(max=120)])
    website = _website_field(_l("Website"))
    message = TextAreaField(_l("Why would you like to join? (optional)"), validators=[Length(max=5000)],
                            render_kw={"rows": 5})
    listing_consent = BooleanField(_l("If we are accepted, our company may be listed publicly as a member "
                                      "(name, town, sector, website)"))
    submit = SubmitField(_l("Send join request"))


class JoinDecisionForm(FlaskForm):
    """The operator accepts or declines a join request, with an optional message."""

    response_message = TextAreaField(_l("Message to the company (required when declining)"),
                                     validators=[Length(max=5000)], render_kw={"rows": 4})
    accept = SubmitField(_l("Accept request"))
    decline = SubmitField(_l("Decline request"))
