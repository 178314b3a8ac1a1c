"""The error summary's entries: every field error of a form, with the id of the field it belongs to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorLink:
    """One error as the summary lists it: a link to the field, named by its label."""

    target_id: str
    label: str
    message: str


def _walk(form_or_field, labels: dict[str, str]):
    for field in form_or_field:
        if field.type == "CSRFTokenField":
            continue  # an expired form gets its own message, not a link to a hidden field
        if field.type == "FieldList":
            for entry in field.entries:
                yield from _walk([entry], labels)
        elif field.type == "FormField":
            yield from _walk(field.form, labels)
        else:
            for message in field.errors:
                if isinstance(message, str):  # a list field's row errors are walked above
                    yield ErrorLink(field.id, labels.get(field.id) or str(field.label.text), message)


def error_links(form, labels: dict[str, str] | None = None) -> list[ErrorLink]:
    """Every error of the form in field order; `labels` names fields whose own label is ambiguous (table rows)."""
    if form is None:
        return []
    return list(_walk(form, labels or {}))
