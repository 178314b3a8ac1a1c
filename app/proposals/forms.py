"""Proposal forms: one form per section, repeatable rows without JavaScript, uploads, submit.

Every field is optional while drafting (the completeness check says what is missing
before submission); the forms only refuse malformed input such as "1.234,5x".
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
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
from wtforms.validators import Email, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.core.bounds import parse_version
from app.core.forms import LocaleDecimalField, MoneyField, WholeNumberField
from app.core.i18n import lazy_gettext as _l
from app.proposals.models import COMPANY_SIZES, INITIATIVE_KINDS

MAX_ROWS = 50
MAX_LONG_TEXT = 20_000

INITIATIVE_KIND_LABELS = {
    "companies": _l("Companies form their own network"),
    "consultancy": _l("A consultancy initiates a network after a site analysis"),
}
COMPANY_SIZE_LABELS = {
    "micro": _l("Micro enterprise (fewer than 10 employees)"),
    "small": _l("Small enterprise (fewer than 50 employees)"),
    "medium": _l("Medium-sized enterprise (fewer than 250 employees)"),
    "large": _l("Large enterprise"),
    "other": _l("Other organisation (e.g. research institute, association)"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
}
PLEASE_CHOOSE = _l("Please choose")
# The example is translated, so it shows the number format of the language in use.
EUROS_HELP = _l("In euros, e.g. 240,000.00")


class AmountField(MoneyField):
    """MoneyField that keeps its stored value when the field is absent from a post.

    The shared MoneyField would convert the stored cents a second time in that case.
    """

    def process_formdata(self, valuelist):
        """Parse only what was posted."""
        if valuelist:
            super().process_formdata(valuelist)


def strip_text(value):
    """Leading and trailing spaces never belong to what the applicant meant."""
    return value.strip() if isinstance(value, str) else value


def _text(label, max_length: int, **kwargs) -> StringField:
    return StringField(label, validators=[Length(max=max_length)], filters=[strip_text], **kwargs)


def _long_text(label, **kwargs) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=MAX_LONG_TEXT)], filters=[strip_text],
                         render_kw={"rows": 8}, **kwargs)


def _email(label) -> EmailField:
    return EmailField(label, filters=[strip_text],
                      validators=[Optional(), Email(check_deliverability=False), Length(max=254)])


def _is_blank(values: dict[str, Any]) -> bool:
    """A row where nothing was typed or ticked (an unused empty row) is not kept."""
    return all(value in (None, "", False) for value in values.values())


class SectorField(SelectField):
    """The call's sectors as choices; a text input when the call lists none."""

    def use_free_text(self) -> None:
        """Let the applicant name the sector (the type tells the field macro to style a text input)."""
        self.widget = TextInput()
        self.type = "StringField"
        self.validate_choice = False

    def _value(self) -> str:
        return self.data or ""


class SectionForm(FlaskForm):
    """Common parts of every section: the optimistic-locking version and the save buttons."""

    version = HiddenField()
    save = SubmitField(_l("Save"))
    save_next = SubmitField(_l("Save and continue"))

    @classmethod
    def initial(cls, proposal) -> dict[str, Any]:
        """The form's data for the proposal as stored."""
        raise NotImplementedError

    def configure(self, proposal) -> None:
        """Set choices that depend on the competition (nothing by default)."""

    def values(self) -> Any:
        """The submitted values in the model's terms, for the service."""
        raise NotImplementedError

    def expected_version(self) -> int | None:
        """The version the form was loaded with (None when tampered with)."""
        return parse_version(self.version.data)


class _FieldsSection(SectionForm):
    """A section of plain proposal fields whose form names equal the column names."""

    field_names: tuple[str, ...] = ()

    @classmethod
    def initial(cls, proposal) -> dict[str, Any]:
        """Read the columns of this section."""
        return {name: getattr(proposal, name) for name in cls.field_names}

    def values(self) -> dict[str, Any]:
        """Return the typed values keyed by column."""
        return {name: getattr(self, name).data for name in self.field_names}


class BasicsForm(_FieldsSection):
    """Network name, sector, kind of initiative, keywords."""

    field_names = ("network_name", "short_name", "sector", "initiative_kind", "keywords")

    network_name = _text(_l("Name of the network"), 200)
    short_name = _text(_l("Short name"), 40)
    sector = SectorField(_l("Sector"), choices=[], validators=[Length(max=120)])
    initiative_kind = SelectField(
        _l("Kind of initiative"),
        choices=[SelectChoice("", PLEASE_CHOOSE),
                 *[SelectChoice(kind, INITIATIVE_KIND_LABELS[kind]) for kind in INITIATIVE_KINDS]],
    )
    keywords = _text(_l("Keywords"), 300, description=_l("Separate keywords with commas."))

    def configure(self, proposal) -> None:
        """Offer the competition's sectors (and keep a stored value the call no longer lists)."""
        sectors = list(proposal.competition.sectors or [])
        if not sectors:
            self.sector.use_free_text()
            return
        if proposal.sector and proposal.sector not in sectors:
            sectors.append(proposal.sector)
        self.sector.choices = [SelectChoice("", PLEASE_CHOOSE), *[SelectChoice(sector, sector) for sector in sectors]]


class LeadForm(_FieldsSection):
    """The lead organisation (Träger) with address and contact person."""

    field_names = ("lead_name", "lead_street", "lead_postcode", "lead_town", "lead_contact_name",
                   "lead_contact_email", "lead_contact_phone")

    lead_name = _text(_l("Name of the lead organisation"), 200)
    lead_street = _text(_l("Street and number"), 200)
    lead_postcode = _text(_l("Postcode"), 10)
    lead_town = _text(_l("Town"), 100)
    lead_contact_name = _text(_l("Contact person"), 120)
    lead_contact_email = _email(_l("Email address of the contact person"))
    lead_contact_phone = _text(_l("Phone"), 40, render_kw={"type": "tel"})


class ConceptForm(_FieldsSection):
    """The analysis of the cluster potential and the objectives."""

    field_names = ("cluster_analysis", "objectives")

    cluster_analysis = _long_text(_l("Analysis of the cluster potential"), description=_l(
        "Why does a network fit this place? Describe the companies in the programme area, their strengths, "
        "what links them and what they lack today."))
    objectives = _long_text(_l("Objectives of the network"), description=_l(
        "What should the network have achieved at the end of the funding period?"))


class FinancesForm(SectionForm):
    """Duration, requested funding and own contribution (amounts in the user's locale)."""

    duration_months = WholeNumberField(
        _l("Duration in months"),
        validators=[Optional(), NumberRange(min=1, max=120, message=_l("Please enter between 1 and 120 months."))],
        render_kw={"inputmode": "numeric"},
    )
    requested_funding = AmountField(_l("Requested funding (EUR)"), description=EUROS_HELP)
    own_contribution = AmountField(_l("Own contribution (EUR)"), description=EUROS_HELP)

    @classmethod
    def initial(cls, proposal) -> dict[str, Any]:
        """Amounts are stored in cents; MoneyField shows them in euros."""
        return {"duration_months": proposal.duration_months,
                "requested_funding": proposal.requested_funding_cents,
                "own_contribution": proposal.own_contribution_cents}

    def values(self) -> dict[str, Any]:
        """Return duration and amounts in cents."""
        return {"duration_months": self.duration_months.data,
                "requested_funding_cents": self.requested_funding.data,
                "own_contribution_cents": self.own_contribution.data}


# --- repeatable rows ------------------------------------------------------------------------


class PartnerRowForm(Form):
    """One partner company (a sub-form: the section form carries the CSRF token)."""

    organisation = _text(_l("Organisation"), 200)
    town = _text(_l("Town"), 100)
    in_programme_area = BooleanField(_l("Located in the programme area"))
    sector = _text(_l("Sector"), 120)
    size = SelectField(_l("Size"), choices=[SelectChoice("", PLEASE_CHOOSE),
                                            *[SelectChoice(size, COMPANY_SIZE_LABELS[size]) for size in COMPANY_SIZES]])
    contact_name = _text(_l("Contact person"), 120)
    contact_email = _email(_l("Email address of the contact person"))
    letter_of_intent = BooleanField(_l("Letter of intent available"))
    remove = BooleanField(_l("Remove this partner"))


class MeasureRowForm(Form):
    """One entry of the catalogue of measures."""

    title = _text(_l("Title"), 200)
    description = TextAreaField(_l("Description"), validators=[Length(max=MAX_LONG_TEXT)], filters=[strip_text],
                                render_kw={"rows": 3})
    period = _text(_l("Period"), 100, description=_l("For example: months 1 to 6"))
    cost = AmountField(_l("Cost (EUR)"), description=EUROS_HELP)
    remove = BooleanField(_l("Remove this measure"))


class KpiRowForm(Form):
    """One proposed KPI with unit, baseline and target."""

    indicator = _text(_l("Indicator"), 200)
    unit = _text(_l("Unit"), 60, description=_l("For example: companies, jobs, euros"))
    baseline = LocaleDecimalField(_l("Baseline"), places=3)
    target = LocaleDecimalField(_l("Target"), places=3)
    remove = BooleanField(_l("Remove this KPI"))


class RowsSectionForm(SectionForm):
    """A section of repeatable rows; "add" saves and appends an empty row, "remove" drops one."""

    rows_name = ""
    first_field = ""
    # Form field name -> column name, where they differ (money is stored in cents).
    column_names: dict[str, str] = {}

    @property
    def rows_field(self) -> FieldList:
        """The FieldList of this section."""
        return getattr(self, self.rows_name)

    @classmethod
    def row_initial(cls, row) -> dict[str, Any]:
        """A stored row as form data."""
        raise NotImplementedError

    @classmethod
    def initial(cls, proposal, add_row: bool = False) -> dict[str, Any]:
        """The stored rows; one empty row when there are none yet or the applicant asked for one."""
        rows = [cls.row_initial(row) for row in getattr(proposal, cls.rows_name)]
        if (add_row or not rows) and len(rows) < MAX_ROWS:
            rows.append({})
        return {cls.rows_name: rows}

    def values(self) -> list[dict[str, Any]]:
        """The rows to keep, in order, keyed by column: without removed and untouched empty rows."""
        rows = []
        for entry in self.rows_field.entries:
            data = {key: value for key, value in entry.data.items() if key != "remove"}
            if entry.data.get("remove") or _is_blank(data):
                continue
            rows.append({self.column_names.get(key, key): value for key, value in data.items()})
        return rows

    def wants_new_row(self) -> bool:
        """True when the applicant pressed the "add" button."""
        return bool(self.add_row.data)

    def new_row_anchor(self, stored_rows: int) -> str:
        """The id of the first input of the empty row shown after the stored ones."""
        return f"{self.rows_name}-{stored_rows}-{self.first_field}"


class PartnersForm(RowsSectionForm):
    """The partner companies of the network."""

    rows_name = "partners"
    first_field = "organisation"
    partners = FieldList(FormField(PartnerRowForm), min_entries=0, max_entries=MAX_ROWS)
    add_row = SubmitField(_l("Add partner"))

    @staticmethod
    def row_legend(number: int):
        """Heading of one row."""
        return _l("Partner %(number)s", number=number)

    @classmethod
    def row_initial(cls, row) -> dict[str, Any]:
        """A stored partner as form data."""
        return {name: getattr(row, name) for name in ("organisation", "town", "in_programme_area", "sector", "size",
                                                      "contact_name", "contact_email", "letter_of_intent")}


class MeasuresForm(RowsSectionForm):
    """The catalogue of measures."""

    rows_name = "measures"
    first_field = "title"
    column_names = {"cost": "cost_cents"}
    measures = FieldList(FormField(MeasureRowForm), min_entries=0, max_entries=MAX_ROWS)
    add_row = SubmitField(_l("Add measure"))

    @staticmethod
    def row_legend(number: int):
        """Heading of one row."""
        return _l("Measure %(number)s", number=number)

    @classmethod
    def row_initial(cls, row) -> dict[str, Any]:
        """A stored measure as form data (cost in cents, shown in euros)."""
        return {"title": row.title, "description": row.description, "period": row.period, "cost": row.cost_cents}


class KpisForm(RowsSectionForm):
    """The proposed KPIs."""

    rows_name = "kpis"
    first_field = "indicator"
    kpis = FieldList(FormField(KpiRowForm), min_entries=0, max_entries=MAX_ROWS)
    add_row = SubmitField(_l("Add KPI"))

    @staticmethod
    def row_legend(number: int):
        """Heading of one row."""
        return _l("KPI %(number)s", number=number)

    @classmethod
    def row_initial(cls, row) -> dict[str, Any]:
        """A stored KPI as form data."""
        return {"indicator": row.indicator, "unit": row.unit, "baseline": row.baseline, "target": row.target}


# The sections with a form of fields; "attachments" has its own upload form.
SECTION_FORMS: dict[str, type[SectionForm]] = {
    "basics": BasicsForm,
    "lead": LeadForm,
    "partners": PartnersForm,
    "concept": ConceptForm,
    "measures": MeasuresForm,
    "kpis": KpisForm,
    "finances": FinancesForm,
}


def build_section_form(section: str, proposal, *, add_row: bool = False) -> SectionForm:
    """The section's form: bound to the request when posted, else filled from the proposal."""
    form_class = SECTION_FORMS[section]
    if issubclass(form_class, RowsSectionForm):
        initial = form_class.initial(proposal, add_row=add_row)
    else:
        initial = form_class.initial(proposal)
    form = form_class(data=initial)
    form.configure(proposal)
    if not form.is_submitted():
        form.version.data = str(proposal.version)
    return form


class AttachmentForm(FlaskForm):
    """Upload one attachment."""

    file = FileField(_l("File (PDF, image or office document, at most 10 MB)"),
                     validators=[FileRequired(message=_l("Please choose a file."))])
    upload = SubmitField(_l("Upload"))


class SubmitProposalForm(FlaskForm):
    """Submit the reviewed proposal; the version proves the applicant saw the current state."""

    version = HiddenField()
    submit = SubmitField(_l("Submit the proposal now"))

    def expected_version(self) -> int | None:
        """The version shown on the review page."""
        return parse_version(self.version.data)


class ConfirmForm(FlaskForm):
    """A confirmation button that posts with CSRF."""

    submit = SubmitField(_l("Confirm"))
