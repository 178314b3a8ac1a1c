"""CSV and XLSX exports of the admin proposal list.

Cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) are
prefixed with an apostrophe; money is a number of euros with two decimals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import get_locale

from app.core.i18n import gettext as _
from app.proposals.admin_forms import ELIGIBILITY_LABELS, STATUS_LABELS
from app.proposals.models import Proposal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types itself
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(value: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def euros(cents: int | None) -> Decimal | None:
    """Integer cents as euros with exactly two decimals."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Column:
    """One export column: its heading and whether it holds money, a time or text."""

    heading: str
    kind: str = "text"  # text | money | datetime | integer


def columns() -> list[Column]:
    """The export's columns with headings in the current language."""
    return [
        Column(_("Receipt number")),
        Column(_("Submitted at (local time)"), "datetime"),
        Column(_("Status")),
        Column(_("Pre-check result")),
        Column(_("Reason of the pre-check")),
        Column(_("Network name")),
        Column(_("Short name")),
        Column(_("Sector")),
        Column(_("Lead organisation")),
        Column(_("Town")),
        Column(_("Partners"), "integer"),
        Column(_("Requested funding (EUR)"), "money"),
        Column(_("Own contribution (EUR)"), "money"),
    ]


def _eligibility_label(proposal: Proposal) -> str:
    """The pre-check result in words; submitted proposals without one say so."""
    if proposal.eligibility:
        return str(ELIGIBILITY_LABELS[proposal.eligibility])
    return str(ELIGIBILITY_LABELS["pending"]) if proposal.status == "submitted" else ""


def row_values(proposal: Proposal, zone: ZoneInfo) -> list:
    """One proposal as plain values in column order (times naive in the competition's zone)."""
    submitted = proposal.submitted_at.astimezone(zone).replace(tzinfo=None) if proposal.submitted_at else None
    return [
        proposal.receipt_number or "",
        submitted,
        str(STATUS_LABELS.get(proposal.status, proposal.status)),
        _eligibility_label(proposal),
        proposal.eligibility_reason or "",
        proposal.network_name,
        proposal.short_name,
        proposal.sector,
        proposal.lead_name,
        proposal.lead_town,
        len(proposal.partners),
        euros(proposal.requested_funding_cents),
        euros(proposal.own_contribution_cents),
    ]


def _csv_cell(value, kind: str, decimal_comma: bool) -> str:
    """One CSV cell: money with two decimals, ISO local time, text neutralised."""
    if value is None:
        return ""
    if kind == "money":
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "integer":
        return str(value)
    return neutralise_formula(str(value))


def build_csv(proposals: Iterable[Proposal], zone: ZoneInfo) -> bytes:
    """The list as CSV in UTF-8 with BOM, laid out for the spreadsheet of the current language.

    German Excel expects semicolons and a decimal comma; English Excel commas and a point.
    """
    german = str(get_locale() or "de") == "de"
    cols = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([neutralise_formula(c.heading) for c in cols])
    for proposal in proposals:
        values = row_values(proposal, zone)
        writer.writerow([_csv_cell(v, c.kind, german) for v, c in zip(values, cols, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


NUMBER_FORMATS = {"money": "#,##0.00", "datetime": "yyyy-mm-dd hh:mm", "integer": "0"}


def build_xlsx(proposals: Iterable[Proposal], zone: ZoneInfo, title: str) -> bytes:
    """The list as an Excel workbook: numeric money, real date cells, a filterable header."""
    # openpyxl is imported when a workbook is made: kept out of every worker's memory (~8 MB) until then.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Proposals")[:31]
    sheet.append([neutralise_formula(c.heading) for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for proposal in proposals:
        values = row_values(proposal, zone)
        sheet.append([_xlsx_cell(v, c.kind) for v, c in zip(values, cols, strict=True)])
        for index, col in enumerate(cols, start=1):
            if col.kind in NUMBER_FORMATS:
                sheet.cell(row=sheet.max_row, column=index).number_format = NUMBER_FORMATS[col.kind]
    for index, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18 if col.kind != "text" else 28
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value, kind: str):
    """One Excel cell value: text neutralised, numbers and times as native cells."""
    if value is None:
        return None
    if kind == "text":
        # openpyxl stores text starting with "=" as a formula; the prefix keeps it text.
        return neutralise_formula(str(value))
    return value  # numbers (Decimal euros, integers) and naive local datetimes are native cells


def export_filename(competition_id: int, extension: str, now: datetime) -> str:
    """A plain ASCII file name such as proposals-3-2002-05-24.csv."""
    return f"proposals-{competition_id}-{now:%Y-%m-%d}.{extension}"
