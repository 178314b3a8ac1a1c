"""The audit trail's before/after data as a table of changed fields with labels and formatted values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.core.audit_labels import field_label, value_formatter, value_label
from app.core.formatting import NONE_TEXT, format_date_local, format_datetime_local, format_exact, format_money
from app.core.i18n import gettext as _
from app.core.i18n import ngettext

MAX_TEXT = 200  # characters of a long text shown before "…"
MAX_LIST_ITEMS = 5  # a longer list is summarised by its count
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_FIELD_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class FieldChange:
    """One row of the table: the field's label and its value before and after, formatted."""

    label: str
    before: str
    after: str


def _is_record(value: Any) -> bool:
    """A dict of named fields (identifiers as keys), as opposed to a mapping of texts such as a checklist."""
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and _FIELD_KEY.match(k) for k in value)


def _flatten(data: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Nested records as one level of dotted keys, so a saved section shows its single changed fields."""
    flat: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if _is_record(value):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT].rstrip() + "…"


def format_value(field: str, value: Any, object_type: str | None = None) -> str:
    """A recorded value as a reader sees it: Ja/Nein, dates, money, exact numbers, labels, short lists."""
    if value is None or value == "" or value == [] or value == {}:
        return NONE_TEXT
    formatter = value_formatter(field)
    if formatter is not None:
        return _shorten(formatter(value))
    label = value_label(field, value, object_type)
    if label is not None:
        return label
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.endswith("_cents") and isinstance(value, int):
        return format_money(value)
    if isinstance(value, int | float | Decimal):
        return format_exact(value)
    if isinstance(value, list):
        if len(value) <= MAX_LIST_ITEMS and all(isinstance(v, str | int | float) for v in value):
            return _shorten(", ".join(str(v) for v in value))
        return ngettext("%(num)s entry", "%(num)s entries", len(value))
    if isinstance(value, dict):
        if len(value) <= MAX_LIST_ITEMS * 2 and all(not isinstance(v, dict | list) for v in value.values()):
            # a mapping of texts to values, such as the pre-check's checklist: "Sitz im Gebiet: Ja; ..."
            return _shorten("; ".join(f"{key}: {format_value('', item)}" for key, item in value.items()))
        return ngettext("%(num)s entry", "%(num)s entries", len(value))
    text = str(value)
    try:
        if _ISO_DATETIME.match(text):
            return format_datetime_local(datetime.fromisoformat(text))
        if _ISO_DATE.match(text):
            return format_date_local(date.fromisoformat(text))
        if _DECIMAL.match(text):
            return format_exact(Decimal(text))
    except (ValueError, InvalidOperation):
        pass  # not a date or number after all: shown as text
    return _shorten(text)


def field_changes(before: dict[str, Any] | None, after: dict[str, Any] | None,
                  object_type: str | None = None) -> list[FieldChange]:
    """The fields that differ between before and after (all of them for a creation or a deletion)."""
    old, new = _flatten(before), _flatten(after)
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        if key in old and key in new and old[key] == new[key]:
            continue
        if key not in old and new[key] in (None, "", [], {}):
            continue  # an empty field of a new object says nothing
        field = key.rsplit(".", 1)[-1]
        rows.append(FieldChange(field_label(field), format_value(field, old.get(key), object_type),
                                format_value(field, new.get(key), object_type)))
    return rows
