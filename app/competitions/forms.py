"""Competition and criterion forms (CSRF via Flask-WTF)."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.competitions import rules
from app.competitions.defaults import DEFAULT_TIMEZONE
from app.core.forms import LocaleDecimalField, MoneyField, WholeNumberField
from app.core.i18n import lazy_gettext as _l

# The largest values the NUMERIC(4, 2) and NUMERIC(6, 3) columns hold (score scale and threshold; weight).
SCALE_MAX = rules.SCALE_LIMIT  # the Numeric columns' limits, which the service checks as well
WEIGHT_MAX = rules.WEIGHT_LIMIT

FUNDING_ROWS = 4
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def timezone_choices() -> list[SelectChoice]:
    """European zones (the funders this product serves) and UTC."""
    zones = sorted(z for z in available_timezones() if z.startswith("Europe/"))
    return [SelectChoice(z, z) for z in zones] + [SelectChoice("UTC", "UTC")]


VISIBILITY_CHOICES = [
    SelectChoice("never", _l("Never")),
    SelectChoice("after_own", _l("After the juror has submitted their own review")),
    SelectChoice("always", _l("Always")),
]


class FundingSourceForm(Form):
    """One funding source and its share in percent (a row of the competition form, no own CSRF)."""

    name = StringField(_l("Funding source"), validators=[Optional(), Length(max=80)])
    share = LocaleDecimalField(_l("Share in %"), places=2, minimum=Decimal("0"), maximum=Decimal(100))


def _datetime_field(label):
    return DateTimeLocalField(label, format=DATETIME_FORMATS, validators=[Optional()])


class CompetitionForm(FlaskForm):
    """Create or edit a competition; times are typed in the competition's time zone."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    programme = StringField(_l("Funding programme"), validators=[Length(max=200)])
    measure = StringField(_l("Measure"), validators=[Length(max=200)])
    call_text = TextAreaField(_l("Call text (Markdown)"), render_kw={"rows": 12})
    eligibility_rules = TextAreaField(_l("Eligibility rules (one per line)"), render_kw={"rows": 5})
    sectors = TextAreaField(_l("Sectors offered (one per line)"), render_kw={"rows": 5})
    legal_remedies_de = TextAreaField(_l("Notice on legal remedies (German)"), render_kw={"rows": 5})
    legal_remedies_en = TextAreaField(_l("Notice on legal remedies (English)"), render_kw={"rows": 5})
    timezone = SelectField(_l("Time zone"), default=DEFAULT_TIMEZONE)
    submission_opens_at = _datetime_field(_l("Submissions open"))
    submission_deadline = _datetime_field(_l("Submission deadline"))
    review_deadline = _datetime_field(_l("Review deadline"))
    winners_min = WholeNumberField(_l("Winners: at least"), default=3,
                               validators=[InputRequired(), NumberRange(min=1, max=9999)])
    winners_max = WholeNumberField(_l("Winners: at most"), default=5,
                               validators=[InputRequired(), NumberRange(min=1, max=9999)])
    budget = MoneyField(_l("Total budget (EUR)"), validators=[Optional()])
    funding_sources = FieldList(FormField(FundingSourceForm), min_entries=FUNDING_ROWS, max_entries=FUNDING_ROWS)
    contract_months = WholeNumberField(_l("Default contract duration (months)"), default=24,
                                   validators=[InputRequired(), NumberRange(min=1, max=240)])
    eu_fund = StringField(_l("EU fund"), default="ERDF", validators=[Length(max=20)],
                          description=_l("As in the list of operations, e.g. ERDF."))
    eu_funding_source = StringField(_l("Funding source that is the Union's share"), default="EFRE",
                                    validators=[Length(max=80)],
                                    description=_l("The name of one of the funding sources above; its share is the "
                                                   "Union co-financing rate."))
    specific_objective = StringField(_l("Specific objective"), validators=[Length(max=200)],
                                     description=_l("E.g. RSO1.3 (growth and competitiveness of SMEs)."))
    intervention_type = StringField(_l("Type of intervention"), validators=[Length(max=200)],
                                    description=_l("The code and name from Annex I of Regulation (EU) 2021/1060."))
    scale_min = LocaleDecimalField(_l("Lowest score"), default=Decimal("0"), maximum=SCALE_MAX,
                                   validators=[InputRequired()])
    scale_max = LocaleDecimalField(_l("Highest score"), default=Decimal("5"), maximum=SCALE_MAX,
                                   validators=[InputRequired()])
    scale_step = LocaleDecimalField(_l("Step"), default=Decimal("0.5"), maximum=SCALE_MAX, validators=[InputRequired()])
    reviews_per_proposal = WholeNumberField(_l("Reviews per proposal"), default=3,
                                        validators=[InputRequired(), NumberRange(min=1, max=50)])
    blind_review = BooleanField(_l("Blind review (jurors do not see who submitted a proposal)"))
    other_reviews_visibility = SelectField(_l("Jurors see the other jurors' reviews"), choices=VISIBILITY_CHOICES,
                                           default="after_own")
    use_default_criteria = BooleanField(_l("Start with the default criteria (you can change them afterwards)"),
                                        default=True)
    # Asked only when a new deadline in the past would shut out open drafts (edit form).
    confirm_deadline = BooleanField(_l("Yes, move the deadline into the past: the drafts listed can then no "
                                       "longer be submitted"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        # Each row gets its own label so screen readers tell the rows apart.
        for number, entry in enumerate(self.funding_sources, start=1):
            entry.form.name.label.text = _l("Funding source %(num)s", num=number)
            entry.form.share.label.text = _l("Share of source %(num)s in %%", num=number)

    def funding_rows(self) -> list[tuple[str | None, Decimal | None]]:
        """The (name, share) rows as typed, for the service."""
        return [(entry.form.name.data, entry.form.share.data) for entry in self.funding_sources]


class CriterionForm(FlaskForm):
    """Add or edit an evaluation criterion in German and English."""

    name_de = StringField(_l("Name (German)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    rubric_de = TextAreaField(_l("Rubric (German): what each score level means, one line per level"),
                              render_kw={"rows": 6})
    rubric_en = TextAreaField(_l("Rubric (English): what each score level means, one line per level"),
                              render_kw={"rows": 6})
    weight = LocaleDecimalField(_l("Weight"), places=3, default=Decimal("1"), maximum=WEIGHT_MAX,
                                validators=[InputRequired()])
    threshold = LocaleDecimalField(_l("Threshold"), default=Decimal("3"), maximum=SCALE_MAX,
                                   validators=[InputRequired()])
    priority = WholeNumberField(_l("Tie-break priority (1 = decides first)"),
                           validators=[InputRequired(), NumberRange(min=-9999, max=9999)])


class AdvancePhaseForm(FlaskForm):
    """Move on to the named phase; naming it keeps a double click from skipping a phase."""

    target_phase = HiddenField(validators=[DataRequired()])


class ConfirmActionForm(FlaskForm):
    """A button that posts a state change, protected by CSRF."""
