"""Ranking and review exports (CSV, XLSX) with a header block that documents the method.

Jurors appear as stable pseudonyms per competition ("J01", "J02", ... in the order they
joined the jury) unless the administrator asks for names. Text that a spreadsheet would
run as a formula (= + - @, tab, carriage return) is prefixed with an apostrophe.
Exports are for administrators only; jurors never download them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.formatting import format_exact, format_percent, format_plain_number
from app.core.i18n import gettext as _
from app.core.time import utcnow
from app.decisions.services import OUTCOME_LABELS, decisions_by_proposal
from app.extensions import db
from app.jury.models import JuryMembership, Review
from app.proposals.models import Proposal
from app.ranking.aggregate import Method
from app.ranking.forms import METHOD_LABELS

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types itself
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHOD_REFERENCE = "METHOD.md"
METHODS = tuple(m.value for m in Method)


def neutralise_formula(value: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def juror_pseudonyms(competition_id: int) -> dict[int, str]:
    """Stable pseudonyms per competition: J01, J02, ... in the order jurors joined the jury.

    Reviewers without a membership row (which the jury rules do not allow, but old data
    might hold) follow in user id order, so every review has a pseudonym.
    """
    member_ids = list(db.session.scalars(
        select(JuryMembership.user_id).where(JuryMembership.competition_id == competition_id)
        .order_by(JuryMembership.id)
    ))
    extra = db.session.scalars(
        select(Review.user_id).join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.competition_id == competition_id, Review.user_id.not_in(member_ids or [0]))
        .distinct().order_by(Review.user_id)
    )
    ordered = member_ids + list(extra)
    width = max(2, len(str(len(ordered))))
    return {user_id: f"J{index:0{width}d}" for index, user_id in enumerate(ordered, start=1)}


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One export column: its heading and whether it holds text, a number or a time."""

    heading: str
    # text | number (computed figure) | exact (weight, score value) | percent | money | integer | datetime | boolean
    kind: str = "text"


@dataclass(frozen=True)
class ExportTable:
    """A documented table: header block (key, value) lines, columns and rows of plain values."""

    name: str
    header: list[tuple[str, str]]
    columns: list[Column]
    rows: list[list[Any]]


def _local(value: datetime | None, competition: Competition) -> datetime | None:
    """A UTC time as a naive time in the competition's zone (spreadsheets know no zones)."""
    return value.astimezone(competition.zone).replace(tzinfo=None) if value else None


def plain_decimal(value: Decimal) -> str:
    """A decimal without trailing zeros and never in exponent notation: 9, 2.5."""
    return format(Decimal(value).normalize(), "f")


def method_header(competition: Competition, method: str, *, what: str, with_names: bool) -> list[tuple[str, str]]:
    """The lines that document how the exported figures were computed."""
    locale = str(get_locale() or "de")
    criteria = competition.criteria
    lines = [
        (_("Export"), what),
        (_("Competition"), f"{competition.title} (#{competition.id})"),
        (_("Created"), utcnow().astimezone(competition.zone).strftime("%Y-%m-%d %H:%M %Z")),
        (_("Aggregation method"), str(METHOD_LABELS.get(method, method))),
        (_("Method description"), _("See %(ref)s, sections “Scores”, “Aggregation methods” and “Ranking, ties "
                                    "and the funding line”.", ref=METHOD_REFERENCE)),
        (_("Scale"), f"{format_exact(competition.scale_min)} – {format_exact(competition.scale_max)}, "
                     f"{_('step')} {format_exact(competition.scale_step)}"),
        (_("Overall threshold H"), format_exact(competition.default_overall_threshold())),
        (_("Total"), "T_p = Σ_c w_c · S_pc"),
    ]
    for criterion in criteria:
        lines.append((_("Criterion %(id)s", id=criterion.id),
                      _("%(name)s: weight %(weight)s, threshold %(threshold)s, tie-break priority %(priority)s",
                        name=criterion.name(locale), weight=format_exact(criterion.weight),
                        threshold=format_exact(criterion.threshold),
                        priority=criterion.priority)))
    lines.append((_("Jurors"), _("with names") if with_names else _("pseudonymised (stable per competition)")))
    return lines


def ranking_table(competition: Competition, view, *, method: str) -> ExportTable:
    """The ranking as a table: one row per proposal in rank order, with its decision."""
    locale = str(get_locale() or "de")
    criteria = list(competition.criteria)
    proposals = {p.id: p for p in db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id))}
    decisions = decisions_by_proposal(competition)
    columns = [
        Column(_("Rank"), "integer"), Column(_("Shared rank"), "integer"), Column(_("Proposal id"), "integer"),
        Column(_("Receipt number")), Column(_("Network idea")), Column(_("Sector")),
        Column(_("Requested funding (EUR)"), "money"),
        *[Column(_("Score: %(name)s", name=c.name(locale)), "number") for c in criteria],
        Column(_("Total"), "number"), Column(_("Passed thresholds"), "boolean"), Column(_("Failing criteria")),
        Column(_("Reviews"), "integer"), Column(_("Above the funding line"), "boolean"),
        Column(_("Rank interval (90 %)")), Column(_("P(rank ≤ K)"), "percent"), Column(_("Decision")),
    ]
    rows = []
    for row in view.rows:
        proposal = proposals.get(row.proposal_id)
        decision = decisions.get(row.proposal_id)
        low, high = row.rank_low, row.rank_high
        cents = proposal.requested_funding_cents if proposal else None
        rows.append([
            row.rank, row.shared_rank, row.proposal_id,
            proposal.receipt_number if proposal else "", proposal.title if proposal else "",
            proposal.sector if proposal else "", euros(cents),
            *[row.scores.get(c.id) for c in criteria],
            float(row.total), bool(row.passed), ", ".join(c.name(locale) for c in row.failing_criteria),
            row.reviews, bool(row.above_funding_line),
            f"{low}–{high}" if low is not None and high is not None else "",
            row.p_top_k, str(OUTCOME_LABELS.get(decision.outcome, decision.outcome)) if decision else "",
        ])
    header = method_header(competition, method, what=_("Ranking"), with_names=False)
    header.append((_("Seed of the draw by lot"), _("%(seed)s (recorded draw)", seed=view.seed)
                   if view.draw_id else _("%(seed)s (provisional, no draw recorded)", seed=view.seed)))
    if view.with_uncertainty:
        header.append((_("Rank uncertainty"), _("bootstrap, %(num)s resamples, seed %(seed)s, K = %(k)s",
                                                num=view.bootstrap_resamples, seed=view.bootstrap_seed,
                                                k=competition.winners_max)))
    return ExportTable(_("Ranking"), header, columns, rows)


def reviews_table(competition: Competition, *, with_names: bool) -> ExportTable:
    """Every score of every submitted review: one row per review and criterion."""
    locale = str(get_locale() or "de")
    criteria = {c.id: c for c in competition.criteria}
    pseudonyms = juror_pseudonyms(competition.id)
    reviews = db.session.scalars(
        select(Review).join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.competition_id == competition.id, Review.status == "submitted")
        .options(selectinload(Review.scores), selectinload(Review.proposal))
        .order_by(Review.proposal_id, Review.id)
    ).all()
    users = {}
    if with_names:
        user_ids = {r.user_id for r in reviews}
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids or {0})))}
    columns = [
        Column(_("Proposal id"), "integer"), Column(_("Receipt number")), Column(_("Network idea")),
        Column(_("Juror")),
        *([Column(_("Juror name")), Column(_("Juror organisation"))] if with_names else []),
        Column(_("Review id"), "integer"), Column(_("Submitted at (local time)"), "datetime"),
        Column(_("Criterion id"), "integer"), Column(_("Criterion")), Column(_("Weight"), "exact"),
        Column(_("Score"), "exact"), Column(_("Justification")), Column(_("Overall comment")),
    ]
    rows = []
    for review in reviews:
        person = []
        if with_names:
            user = users.get(review.user_id)
            person = [user.name if user else "", user.organisation if user else ""]
        for score in sorted(review.scores, key=lambda s: (criteria[s.criterion_id].priority, s.criterion_id)):
            criterion = criteria[score.criterion_id]
            rows.append([
                review.proposal_id, review.proposal.receipt_number or "", review.proposal.title,
                pseudonyms.get(review.user_id, ""), *person, review.id,
                _local(review.submitted_at, competition), criterion.id, criterion.name(locale),
                float(criterion.weight), float(score.value) if score.value is not None else None,
                score.justification, review.overall_comment,
            ])
    header = method_header(competition, "–", what=_("Individual reviews"), with_names=with_names)
    return ExportTable(_("Reviews"), header, columns, rows)


# --------------------------------------------------------------------------- formats


def euros(cents: int | None) -> Decimal | None:
    """Integer cents as euros with exactly two decimals."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _csv_cell(value, kind: str, decimal_comma: bool) -> str:
    """One value as CSV text for its column kind, as the pages show it (the audit file keeps full precision)."""
    if value is None:
        return ""
    if kind == "money":
        text = f"{value:.2f}"
        return text.replace(".", ",") if decimal_comma else text
    if kind == "number":
        return format_plain_number(value, 2)  # two decimals, as the ranking page shows them
    if kind == "exact":
        return format_exact(value)  # a weight of 0.15 stays 0,15
    if kind == "percent":
        return format_percent(float(value) * 100)
    if kind == "integer":
        return str(value)
    if kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "boolean":
        return _("Yes") if value else _("No")
    return neutralise_formula(str(value))


def build_csv(table: ExportTable, *, german: bool | None = None) -> bytes:
    """The table as CSV (UTF-8 with BOM) laid out for the spreadsheet of the current language.

    The header block comes first, one "# key" / value pair per line, then an empty line,
    then the column headings and the rows. German Excel expects semicolons and a decimal
    comma, English Excel commas and a point.
    """
    if german is None:
        german = str(get_locale() or "de") == "de"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    for key, value in table.header:
        writer.writerow(["# " + key, neutralise_formula(value)])
    writer.writerow([])
    writer.writerow([neutralise_formula(c.heading) for c in table.columns])
    for values in table.rows:
        writer.writerow([_csv_cell(v, c.kind, german) for v, c in zip(values, table.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


NUMBER_FORMATS = {"datetime": "yyyy-mm-dd hh:mm", "integer": "0", "money": "#,##0.00"}


def _xlsx_cell(value, kind: str):
    """One value as an Excel cell value (text neutralised, numbers native)."""
    if value is None:
        return None
    if kind == "text":
        # openpyxl stores text starting with "=" as a formula; the prefix keeps it text.
        return neutralise_formula(str(value))
    return value


def build_xlsx(tables: Sequence[ExportTable], title: str) -> bytes:
    """The tables as one workbook: a sheet "Method" with the header block, then one sheet per table."""
    # openpyxl is imported when a workbook is made: kept out of every worker's memory (~8 MB) until then.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    method_sheet = workbook.active
    method_sheet.title = _("Method")[:31]
    for key, value in tables[0].header:
        method_sheet.append([neutralise_formula(key), neutralise_formula(value)])
    method_sheet.column_dimensions["A"].width = 28
    method_sheet.column_dimensions["B"].width = 90
    for table in tables:
        sheet = workbook.create_sheet(table.name[:31])
        sheet.append([neutralise_formula(c.heading) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in table.rows:
            sheet.append([_xlsx_cell(v, c.kind) for v, c in zip(values, table.columns, strict=True)])
            for index, col in enumerate(table.columns, start=1):
                if col.kind in NUMBER_FORMATS:
                    sheet.cell(row=sheet.max_row, column=index).number_format = NUMBER_FORMATS[col.kind]
        for index, col in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 40 if col.kind == "text" else 14
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(kind: str, competition_id: int, method: str | None, extension: str) -> str:
    """A plain ASCII file name such as ranking-3-mean-2002-05-24.csv."""
    stamp = utcnow().strftime("%Y-%m-%d")
    middle = f"-{method}" if method else ""
    return f"{kind}-{competition_id}{middle}-{stamp}.{extension}"
