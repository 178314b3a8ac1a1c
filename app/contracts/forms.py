"""Contract, milestone, report, verification and release forms (CSRF via Flask-WTF)."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.contracts import services
from app.contracts.display import RULE_LABELS, STATUS_LABELS
from app.contracts.models import CONTRACT_STATUSES, MILESTONE_RULES
from app.core.forms import LocaleDecimalField, MoneyField
from app.core.i18n import lazy_gettext as _l

MAX_ROWS = 30
BLANK_ROWS = 3


def _reason_field():
    return TextAreaField(_l("Reason for the amendment"), validators=[Length(max=2000)],
                         description=_l("Required once the contract is signed: every change is then an amendment."),
                         render_kw={"rows": 2})


class ConfirmForm(FlaskForm):
    """A button that posts a state change, protected by CSRF."""

    submit = SubmitField(_l("Confirm"))


class ContractTermsForm(FlaskForm):
    """Number and period of a contract."""

    number = StringField(_l("Contract number"), validators=[DataRequired(), Length(max=40)])
    start_date = DateField(_l("Start of the contract period"), validators=[InputRequired()])
    end_date = DateField(_l("End of the contract period"), validators=[InputRequired()])
    reason = _reason_field()
    submit = SubmitField(_l("Save"))


class PublicationForm(FlaskForm):
    """What the EU list of operations publishes about the contract beyond its terms."""

    operation_purpose = TextAreaField(_l("Purpose of the operation"), validators=[Length(max=4000)],
                                      render_kw={"rows": 3},
                                      description=_l("Empty: the objectives of the proposal are published."))
    operation_achievements = TextAreaField(_l("Achievements so far"), validators=[Length(max=4000)],
                                           render_kw={"rows": 3})
    location_postcode = StringField(_l("Postcode of the location"), validators=[Length(max=10)],
                                    description=_l("Empty: the lead organisation's postcode is published."))
    country = StringField(_l("Country (ISO code)"), default="DE",
                          validators=[DataRequired(), Length(min=2, max=2)])
    submit = SubmitField(_l("Save"))


class CreateContractForm(ContractTermsForm):
    """Record the contract of an awarded proposal."""

    reason = None
    amount = MoneyField(_l("Contract amount (EUR)"), validators=[InputRequired()])
    fixed = MoneyField(_l("Fixed part (EUR)"), validators=[InputRequired()],
                       description=_l("Paid once as the fixed tranche; the rest is paid by results through the "
                                      "milestones."))
    take_over_kpis = BooleanField(_l("Take over the proposal's KPIs as milestones"), default=True)
    submit = SubmitField(_l("Create contract"))


class TrancheRowForm(Form):
    """One milestone's tranche in the amounts form (no own CSRF)."""

    milestone_id = HiddenField()
    tranche = MoneyField(_l("Tranche (EUR)"))


class AmountsForm(FlaskForm):
    """Contract amount, fixed part and every tranche at once, so they can be made to add up."""

    amount = MoneyField(_l("Contract amount (EUR)"), validators=[InputRequired()])
    fixed = MoneyField(_l("Fixed part (EUR)"), validators=[InputRequired()])
    tranches = FieldList(FormField(TrancheRowForm), min_entries=0, max_entries=200)
    reason = _reason_field()
    submit = SubmitField(_l("Save amounts"))


class OperatorRowForm(Form):
    """An operator organisation and its role."""

    name = StringField(_l("Organisation"), validators=[Length(max=200)])
    role = StringField(_l("Role"), validators=[Length(max=120)])


class ShareRowForm(Form):
    """A funding source and its share."""

    source = StringField(_l("Funding source"), validators=[Length(max=80)])
    share = LocaleDecimalField(_l("Share in %"), places=4, minimum=Decimal(0), maximum=Decimal(100))


class StepRowForm(Form):
    """An approval step with planned and actual date."""

    label = StringField(_l("Approval step"), validators=[Length(max=200)])
    planned_on = DateField(_l("Planned"), validators=[Optional()])
    done_on = DateField(_l("Done"), validators=[Optional()])


class TeamRowForm(Form):
    """A member of the project team."""

    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = StringField(_l("Role"), validators=[Length(max=120)])


class RowsForm(FlaskForm):
    """Base of the list editors (operators, shares, approval steps, team)."""

    reason = _reason_field()
    submit = SubmitField(_l("Save"))


def rows_form_class(row_form: type[Form], entries: int, with_reason: bool = True) -> type[RowsForm]:
    """A list editor with the stored rows plus a few blank ones."""
    count = min(entries + BLANK_ROWS, MAX_ROWS)

    class EditRowsForm(RowsForm):
        rows = FieldList(FormField(row_form), min_entries=count, max_entries=MAX_ROWS)

    if not with_reason:
        EditRowsForm.reason = None  # type: ignore[assignment]
    return EditRowsForm


class MilestoneForm(FlaskForm):
    """A milestone: KPI, baseline, target, due date, weight, tranche and payment rule."""

    title = StringField(_l("KPI (what is measured)"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(_l("Unit"), validators=[Length(max=60)], description=_l("For example: companies, events"))
    baseline = LocaleDecimalField(_l("Baseline"), places=3, minimum=Decimal(0), validators=[InputRequired()])
    target = LocaleDecimalField(_l("Target"), places=3, minimum=Decimal(0), validators=[InputRequired()])
    due_date = DateField(_l("Due date"), validators=[InputRequired()])
    weight = LocaleDecimalField(_l("Weight"), places=3, minimum=Decimal(0), maximum=services.MILESTONE_WEIGHT_MAX,
                                default=Decimal(1),
                                validators=[InputRequired()])
    tranche = MoneyField(_l("Tranche (EUR)"), validators=[InputRequired()])
    rule = SelectField(_l("Payment rule"), choices=[SelectChoice(r, RULE_LABELS[r]) for r in MILESTONE_RULES],
                       default="pro_rata")
    minimum_level = LocaleDecimalField(_l("Minimum level θ (%)"), places=2, minimum=Decimal(0), maximum=Decimal(100),
                                       default=Decimal(50),
                                       validators=[InputRequired()],
                                       description=_l("Pro rata only: below this share of the way from baseline "
                                                      "to target nothing is paid."))
    cap = LocaleDecimalField(_l("Cap (%)"), places=2, minimum=Decimal(0), maximum=Decimal(100), default=Decimal(100),
                             validators=[InputRequired()],
                             description=_l("Pro rata only: at most this share of the tranche is paid."))
    reason = _reason_field()
    submit = SubmitField(_l("Save milestone"))


class SignForm(FlaskForm):
    """Record the signature of the contract."""

    signed_on = DateField(_l("Date of signature"), validators=[InputRequired()])
    submit = SubmitField(_l("Record signature"))


class StatusForm(FlaskForm):
    """Record the project status."""

    status = SelectField(_l("Project status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in CONTRACT_STATUSES])
    submit = SubmitField(_l("Save status"))


class DocumentForm(FlaskForm):
    """Upload a contract document."""

    file = FileField(_l("Document (PDF, image or office document, at most 10 MB)"),
                     validators=[FileRequired(message=_l("Please choose a file."))])
    submit = SubmitField(_l("Upload"))


class ReportForm(FlaskForm):
    """The operator's progress report on one milestone."""

    achieved = LocaleDecimalField(_l("Achieved value"), places=3, minimum=Decimal(0),
                                  validators=[InputRequired(message=_l("Please enter the achieved value."))])
    evidence_text = TextAreaField(_l("Evidence"), validators=[
        DataRequired(message=_l("Please describe the evidence for the reported value.")), Length(max=10000)],
                                  description=_l("How was the value reached and how can it be checked (lists, "
                                                 "minutes, links)?"), render_kw={"rows": 5})
    files = MultipleFileField(_l("Evidence files (PDF, image or office document, at most 10 MB each)"))
    submit = SubmitField(_l("Submit report"))


class RejectForm(FlaskForm):
    """Reject a report with a reason."""

    reason = TextAreaField(_l("Reason for the rejection"), validators=[
        DataRequired(message=_l("Please give the reason for the rejection; the operator will read it.")),
        Length(max=5000)],
                           description=_l("The operator reads this reason on the contract page and by email."),
                           render_kw={"rows": 3})
    submit = SubmitField(_l("Reject report"))


class CloseMilestoneForm(FlaskForm):
    """Close a milestone before it is fully earned (e.g. after the final report), with a reason."""

    reason = TextAreaField(_l("Reason for closing"), validators=[
        DataRequired(message=_l("Please give the reason for closing the milestone.")), Length(max=2000)],
                           description=_l("After closing, the milestone pays nothing more and takes no reports."),
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Close milestone"))


class ReleaseForm(FlaskForm):
    """Release a payment: the amount the administrator saw travels with the request."""

    expected_cents = HiddenField()
    submit = SubmitField(_l("Release payment"))

    def expected(self) -> int | None:
        """The amount shown on the page, in cents (None when missing or malformed)."""
        try:
            return int(self.expected_cents.data)
        except (TypeError, ValueError):
            return None
