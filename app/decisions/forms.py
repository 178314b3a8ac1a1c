"""Forms for decisions, the bulk decision table, the jury meeting and the exports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.core.i18n import lazy_gettext as _l
from app.decisions.services import METHOD_LABELS, OUTCOME_LABELS
from app.ranking.aggregate import Method

RATIONALE_REQUIRED = _l("Please give a rationale for the decision.")


def outcome_choices() -> list[SelectChoice]:
    """The four outcomes, after an empty choice so that nothing is decided by accident."""
    return [SelectChoice("", _l("Please choose")),
            *[SelectChoice(value, label) for value, label in OUTCOME_LABELS.items()]]


METHOD_CHOICES = [SelectChoice(value, label) for value, label in METHOD_LABELS.items()]


def _award_date_field():
    return DateField(_l("Award date"), validators=[Optional()])


def _confirm_field():
    return BooleanField(_l("I confirm despite the warning"))


class DecisionForm(FlaskForm):
    """The decision on one proposal: outcome, rationale, award date and meeting note."""

    outcome = SelectField(_l("Outcome"), choices=outcome_choices(),
                          validators=[DataRequired(message=_l("Please choose an outcome."))])
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 4},
                              validators=[DataRequired(message=RATIONALE_REQUIRED), Length(max=10_000)])
    award_date = _award_date_field()
    meeting_note = TextAreaField(_l("Note from the jury meeting"), render_kw={"rows": 3},
                                 validators=[Length(max=10_000)])
    confirm_warnings = _confirm_field()


class BulkRowForm(Form):
    """One row of the bulk decision table (part of the bulk form, which carries the CSRF token)."""

    proposal_id = HiddenField()
    selected = BooleanField(_l("Select"))
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 2}, validators=[Length(max=10_000)])


class BulkDecisionForm(FlaskForm):
    """One outcome for the selected rows, each with its own rationale."""

    outcome = SelectField(_l("Outcome for the selected proposals"), choices=outcome_choices(),
                          validators=[DataRequired(message=_l("Please choose an outcome."))])
    award_date = _award_date_field()
    confirm_warnings = _confirm_field()
    rows = FieldList(FormField(BulkRowForm))

    def rationales(self) -> dict[int, str]:
        """Rationales of the selected rows keyed by proposal id (ids that are not numbers are dropped)."""
        chosen = {}
        for row in self.rows:
            if row.form.selected.data and str(row.form.proposal_id.data or "").isdigit():
                chosen[int(row.form.proposal_id.data)] = row.form.rationale.data or ""
        return chosen

    def mark_missing(self, proposal_ids: list[int]) -> None:
        """Show the error on every selected row that has no rationale."""
        missing = {str(pid) for pid in proposal_ids}
        for row in self.rows:
            if str(row.form.proposal_id.data) in missing:
                row.form.rationale.errors = [*row.form.rationale.errors, str(RATIONALE_REQUIRED)]


class ExportForm(FlaskForm):
    """Choices of an export download (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    method = SelectField(_l("Aggregation method"), choices=METHOD_CHOICES, default=Method.MEAN.value)
    with_names = BooleanField(_l("With juror names (recorded in the audit trail)"))


class MethodForm(FlaskForm):
    """The ranking method a page shows (GET, no CSRF)."""

    class Meta:
        csrf = False

    method = SelectField(_l("Ranking method"), choices=METHOD_CHOICES, default=Method.MEAN.value)


class SendLettersForm(FlaskForm):
    """Send the decision letters (CSRF only)."""
