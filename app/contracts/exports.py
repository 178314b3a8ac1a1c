"""CSV and XLSX exports of contracts, milestones, reports and payments.

Text cells that a spreadsheet would run as a formula (= + - @, tab, carriage return) are
prefixed with an apostrophe; money is exported as euros with two decimals, KPI values as
numbers, times in the funder's zone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.contracts.display import PAYMENT_KIND_LABELS, REPORT_STATUS_LABELS, RULE_LABELS, STATUS_LABELS
from app.contracts.models import Contract, Milestone, Payment, ProgressReport
from app.core.i18n import gettext as _
from app.extensions import db

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types itself
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATASETS = ("contracts", "milestones", "reports", "payments")
ZONE = ZoneInfo("Europe/Berlin")
NUMBER_FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "integer": "0",
                  "number": "0.###"}


def neutralise_formula(value: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def euros(cents: int | None) -> Decimal | None:
    """Integer cents as euros with exactly two decimals."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def local(moment: datetime | None) -> datetime | None:
    """A UTC time as naive wall-clock time in Berlin (spreadsheets know no zones)."""
    return moment.astimezone(ZONE).replace(tzinfo=None) if moment else None


@dataclass
class Table:
    """An export: sheet title, (heading, kind) columns and rows of plain values."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)


def _contracts_query(competition_id: int | None):
    query = select(Contract).order_by(Contract.competition_id, Contract.number)
    return query.where(Contract.competition_id == competition_id) if competition_id else query


def contracts_table(competition_id: int | None) -> Table:
    """One row per contract with its terms and money."""
    table = Table(_("Contracts"), [
        (_("Contract number"), "text"), (_("Network"), "text"), (_("Competition"), "text"),
        (_("Operators"), "text"), (_("Award date"), "date"), (_("Start"), "date"), (_("End"), "date"),
        (_("Project status"), "text"), (_("Signed on"), "date"), (_("Contract amount (EUR)"), "money"),
        (_("Fixed part (EUR)"), "money"), (_("Paid (EUR)"), "money"), (_("Open (EUR)"), "money"),
        (_("Funding shares"), "text"),
    ])
    contracts = db.session.scalars(_contracts_query(competition_id).options(
        joinedload(Contract.proposal), joinedload(Contract.competition), selectinload(Contract.operators),
        selectinload(Contract.funding_shares), selectinload(Contract.payments))).unique()
    for c in contracts:
        table.rows.append([
            c.number, c.title, c.competition.title, "; ".join(f"{o.name} ({o.role})" if o.role else o.name
                                                              for o in c.operators),
            c.award_date, c.start_date, c.end_date, str(STATUS_LABELS[c.status]), c.signed_on,
            euros(c.amount_cents), euros(c.fixed_cents), euros(c.paid_cents), euros(c.amount_cents - c.paid_cents),
            "; ".join(f"{s.source} {s.share.normalize():f} %" for s in c.funding_shares),
        ])
    return table


def milestones_table(competition_id: int | None) -> Table:
    """One row per milestone with its rule, accepted value and payment."""
    table = Table(_("Milestones"), [
        (_("Contract number"), "text"), (_("Network"), "text"), (_("KPI"), "text"), (_("Unit"), "text"),
        (_("Baseline"), "number"), (_("Target"), "number"), (_("Due date"), "date"), (_("Weight"), "number"),
        (_("Payment rule"), "text"), (_("Minimum level θ"), "number"), (_("Cap c"), "number"),
        (_("Tranche (EUR)"), "money"), (_("Accepted value"), "number"), (_("Paid (EUR)"), "money"),
    ])
    contracts = db.session.scalars(_contracts_query(competition_id).options(
        joinedload(Contract.proposal),
        selectinload(Contract.milestones).selectinload(Milestone.reports),
        selectinload(Contract.milestones).selectinload(Milestone.payments))).unique()
    for c in contracts:
        for m in c.milestones:
            accepted = m.accepted_report
            table.rows.append([
                c.number, c.title, m.title, m.unit, m.baseline, m.target, m.due_date, m.weight,
                str(RULE_LABELS[m.rule]), m.minimum_level, m.cap, euros(m.tranche_cents),
                accepted.achieved if accepted else None, euros(m.paid_cents) if m.payments else None,
            ])
    return table


def reports_table(competition_id: int | None) -> Table:
    """One row per progress report with its verification."""
    table = Table(_("Reports"), [
        (_("Contract number"), "text"), (_("KPI"), "text"), (_("Achieved value"), "number"), (_("Status"), "text"),
        (_("Submitted at (local time)"), "datetime"), (_("Verified at (local time)"), "datetime"),
        (_("Reason for the rejection"), "text"), (_("Evidence"), "text"), (_("Evidence files"), "integer"),
    ])
    query = (select(ProgressReport).join(Milestone, Milestone.id == ProgressReport.milestone_id)
             .join(Contract, Contract.id == Milestone.contract_id)
             .options(joinedload(ProgressReport.milestone).joinedload(Milestone.contract),
                      selectinload(ProgressReport.files))
             .order_by(Contract.number, ProgressReport.submitted_at))
    if competition_id:
        query = query.where(Contract.competition_id == competition_id)
    for r in db.session.scalars(query).unique():
        table.rows.append([
            r.milestone.contract.number, r.milestone.title, r.achieved, str(REPORT_STATUS_LABELS[r.status]),
            local(r.submitted_at), local(r.verified_at), r.rejection_reason, r.evidence_text, len(r.files),
        ])
    return table


def payments_table(competition_id: int | None) -> Table:
    """One row per payment and funding source (the parts add up to the payment)."""
    table = Table(_("Payments"), [
        (_("Payment number"), "integer"), (_("Contract number"), "text"), (_("Network"), "text"),
        (_("Kind"), "text"), (_("KPI"), "text"), (_("Released at (local time)"), "datetime"),
        (_("Payment (EUR)"), "money"), (_("Funding source"), "text"), (_("Share in %"), "number"),
        (_("Part (EUR)"), "money"),
    ])
    query = (select(Payment).join(Contract, Contract.id == Payment.contract_id)
             .options(joinedload(Payment.contract).joinedload(Contract.proposal), joinedload(Payment.milestone),
                      selectinload(Payment.parts))
             .order_by(Payment.released_at, Payment.id))
    if competition_id:
        query = query.where(Contract.competition_id == competition_id)
    for p in db.session.scalars(query).unique():
        for part in p.parts:
            table.rows.append([
                p.id, p.contract.number, p.contract.title, str(PAYMENT_KIND_LABELS[p.kind]),
                p.milestone.title if p.milestone else "", local(p.released_at), euros(p.amount_cents), part.source,
                part.share, euros(part.amount_cents),
            ])
    return table


BUILDERS = {"contracts": contracts_table, "milestones": milestones_table, "reports": reports_table,
            "payments": payments_table}


def build_table(dataset: str, competition_id: int | None = None) -> Table:
    """The named export's table."""
    return BUILDERS[dataset](competition_id)


def _csv_cell(value, kind: str, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if kind == "money":
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    if kind == "number":
        text = format(Decimal(value).normalize(), "f")
        return text.replace(".", ",") if decimal_comma else text
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "date":
        return value.isoformat()
    if kind == "integer":
        return str(value)
    return neutralise_formula(str(value))


def to_csv(table: Table) -> bytes:
    """The table as CSV (UTF-8 with BOM): semicolons and decimal comma in German, commas and points in English."""
    german = str(get_locale() or "de") == "de"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([neutralise_formula(heading) for heading, _kind in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v, kind, german) for v, (_h, kind) in zip(row, table.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value, kind: str):
    if value is None:
        return None
    # openpyxl would store text starting with "=" as a formula; numbers and dates stay native cells.
    return neutralise_formula(str(value)) if kind == "text" else value


def to_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook with numeric money, real dates and a filterable header."""
    # openpyxl is imported when a workbook is made: kept out of every worker's memory (~8 MB) until then.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([neutralise_formula(heading) for heading, _kind in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_cell(v, kind) for v, (_h, kind) in zip(row, table.columns, strict=True)])
        for index, (_h, kind) in enumerate(table.columns, start=1):
            if kind in NUMBER_FORMATS:
                sheet.cell(row=sheet.max_row, column=index).number_format = NUMBER_FORMATS[kind]
    for index, (_h, kind) in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 16 if kind != "text" else 28
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
