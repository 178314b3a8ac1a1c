"""The error summary's entries: every field error, in field order, named by its label, rows included."""

from __future__ import annotations

from wtforms import FieldList, Form, FormField, StringField, TextAreaField

from app.core.form_errors import error_links


class RowForm(Form):
    rationale = TextAreaField("Rationale")


class BulkForm(Form):
    outcome = StringField("Outcome")
    rows = FieldList(FormField(RowForm), min_entries=2)


def test_every_error_is_listed_with_its_field_id_and_label_including_table_rows():
    form = BulkForm()
    form.outcome.errors = ["Please choose an outcome."]
    form.rows.entries[1].form.rationale.errors = ["Please give a rationale for the decision."]

    links = error_links(form, labels={"rows-1-rationale": "Rationale for Netzwerk West"})

    assert [(link.target_id, link.label, link.message) for link in links] == [
        ("outcome", "Outcome", "Please choose an outcome."),
        ("rows-1-rationale", "Rationale for Netzwerk West", "Please give a rationale for the decision."),
    ]


def test_a_form_without_errors_has_no_entries():
    assert error_links(BulkForm()) == []
    assert error_links(None) == []
