"""Admin forms for proposals: list filters, the formal pre-check checklist, reopening."""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.core.i18n import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
}

# "pending" is not stored: it means submitted but not pre-checked yet.
ELIGIBILITY_LABELS = {
    "eligible": _l("Eligible"),
    "not_eligible": _l("Not eligible"),
    "pending": _l("Not pre-checked yet"),
}

YES_NO = [SelectChoice("yes", _l("Met")), SelectChoice("no", _l("Not met"))]


@dataclass(frozen=True)
class ProposalFilters:
    """The list filters as plain values (empty string: no filter)."""

    q: str = ""
    status: str = ""
    eligibility: str = ""
    sector: str = ""

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments (for export links)."""
        return {key: value for key, value in vars(self).items() if value}


class ProposalFilterForm(FlaskForm):
    """Filters of the admin proposal list (GET, no CSRF needed)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search title or organisation"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), validators=[Optional()])
    eligibility = SelectField(_l("Pre-check result"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])

    def __init__(self, formdata, sectors: list[str]):
        """Bind to the query string; the sector choices are the competition's."""
        super().__init__(formdata)
        self.status.choices = [SelectChoice("", _l("All")),
                               *(SelectChoice(k, v) for k, v in STATUS_LABELS.items())]
        self.eligibility.choices = [SelectChoice("", _l("All")),
                                    *(SelectChoice(k, v) for k, v in ELIGIBILITY_LABELS.items())]
        self.sector.choices = [SelectChoice("", _l("All")), *(SelectChoice(s, s) for s in sectors)]

    def filters(self) -> ProposalFilters:
        """The valid filters; an invalid value (an old link, a typo) is ignored rather than refused."""
        self.validate()

        def clean(field) -> str:
            """The field's value, or "" when it is empty or invalid."""
            return "" if field.errors or not field.data else str(field.data).strip()

        return ProposalFilters(q=clean(self.q), status=clean(self.status),
                               eligibility=clean(self.eligibility), sector=clean(self.sector))


class PrecheckForm(FlaskForm):
    """The formal pre-check: one yes/no per eligibility rule, then the result with a reason."""

    result = RadioField(_l("Result of the formal pre-check"),
                        choices=[SelectChoice("eligible", _l("Eligible")),
                                 SelectChoice("not_eligible", _l("Not eligible"))],
                        validators=[InputRequired(message=_l("Please choose a result."))])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=4000)], render_kw={"rows": 4})
    submit = SubmitField(_l("Save pre-check"))

    # (field name, rule text) in the competition's order; set by build_precheck_form.
    rule_fields: list[tuple[str, str]] = []

    def checklist(self) -> dict[str, bool]:
        """The answers as {rule text: met}, as stored on the proposal."""
        return {rule: getattr(self, name).data == "yes" for name, rule in self.rule_fields}

    def rule_items(self):
        """Pairs of (form field, rule text) for the template."""
        return [(getattr(self, name), rule) for name, rule in self.rule_fields]


def build_precheck_form(rules: list[str], **kwargs) -> PrecheckForm:
    """A pre-check form with one required yes/no field per rule of the competition."""

    class _Form(PrecheckForm):
        """The pre-check form of this competition's rules."""

    names = []
    for index, rule in enumerate(rules):
        name = f"rule_{index}"
        setattr(_Form, name, RadioField(rule, choices=YES_NO,
                                        validators=[InputRequired(message=_l("Please answer for this rule."))]))
        names.append((name, rule))
    _Form.rule_fields = names
    return _Form(**kwargs)


def precheck_form_data(checklist: dict[str, bool] | None, rules: list[str]) -> dict[str, str]:
    """Initial form values from an earlier pre-check (rules not answered then stay empty)."""
    checklist = checklist or {}
    return {f"rule_{i}": ("yes" if checklist[rule] else "no") for i, rule in enumerate(rules) if rule in checklist}


class ReopenForm(FlaskForm):
    """Reopen a submitted proposal so the applicant can change it; the reason goes to them."""

    reason = TextAreaField(_l("Reason for reopening (sent to the applicant)"),
                           validators=[InputRequired(message=_l("Please give a reason.")), Length(max=4000)])
    submit = SubmitField(_l("Reopen proposal"))
