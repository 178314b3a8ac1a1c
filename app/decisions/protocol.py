"""The jury protocol (Niederschrift): who judged, who was conflicted, how, the ranking and the decisions.

`build_protocol` gathers the facts once; the HTML template and `render_protocol_pdf`
only lay them out, so both documents always say the same.

The PDF uses fpdf2 (pure Python). It embeds DejaVu Sans when the system has it (Debian:
fonts-dejavu-core) for full Unicode; otherwise it falls back to the PDF core font
Helvetica and replaces what Latin-1 cannot show.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyphen
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.competitions.models import Competition, Criterion
from app.competitions.phases import PHASE_LABELS
from app.core.formatting import format_date_local, format_datetime_local, format_exact, format_money, format_number
from app.core.i18n import gettext as _
from app.core.time import utcnow
from app.decisions.models import Decision
from app.decisions.services import (
    DEFAULT_METHOD,
    award_summary,
    compute_ranking_view,
    decisions_by_proposal,
    method_label,
    outcome_label,
)
from app.extensions import db
from app.jury.conflict_reasons import conflict_reason_text
from app.jury.models import Conflict, JuryMembership
from app.proposals.models import Proposal
from app.ranking.aggregate import Method
from app.ranking.models import RankingDraw

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

@dataclass(frozen=True)
class Participant:
    """A juror with the date of their confidentiality and impartiality declaration."""

    name: str
    organisation: str
    status: str
    declaration_signed_at: datetime | None


@dataclass(frozen=True)
class ConflictLine:
    """A declared, detected or admin-set conflict of interest."""

    juror: str
    proposal: str
    source: str
    reason: str
    status: str
    created_at: datetime | None


@dataclass(frozen=True)
class RankingLine:
    """One proposal's place in the ranking."""

    rank: int
    shared_rank: int | None
    title: str
    receipt_number: str
    scores: list[float | None]
    total: float
    passed: bool
    outcome: str | None


@dataclass(frozen=True)
class DecisionLine:
    """A decision with its rationale and note."""

    title: str
    receipt_number: str
    outcome: str
    rationale: str
    meeting_note: str
    award_date: date | None
    rank_at_decision: int | None
    decided_at: datetime | None
    decided_by: str


@dataclass(frozen=True)
class DrawGroup:
    """Proposals that stayed tied, in the order the draw put them, with the ranks they took."""

    titles: list[str]
    ranks: list[int]


@dataclass(frozen=True)
class DrawLine:
    """A recorded draw by lot: method, seed and result."""

    method: str
    seed: int
    created_at: datetime | None
    groups: list[DrawGroup]


@dataclass(frozen=True)
class Protocol:
    """Everything the protocol states, ready for the HTML template and the PDF."""

    competition: Competition
    method: str
    criteria: list[Criterion]
    participants: list[Participant]
    conflicts: list[ConflictLine]
    ranking: list[RankingLine]
    decisions: list[DecisionLine]
    draws: list[DrawLine]
    awarded_count: int
    awarded_cents: int
    generated_at: datetime


def protocol_method(competition: Competition, requested: str | None = None) -> str:
    """The method to show: the one asked for, else the one most decisions were taken on, else the mean."""
    if requested in {m.value for m in Method}:
        return requested
    methods = Counter(d.method_at_decision for d in decisions_by_proposal(competition).values()
                      if d.method_at_decision)
    return methods.most_common(1)[0][0] if methods else DEFAULT_METHOD


def _participants(competition: Competition) -> list[Participant]:
    """Every juror seat of the competition, removed ones included."""
    memberships = db.session.scalars(
        select(JuryMembership).where(JuryMembership.competition_id == competition.id)
        .options(selectinload(JuryMembership.user)).order_by(JuryMembership.id))
    return [Participant(m.user.name, m.user.organisation, m.status, m.declaration_signed_at) for m in memberships]


def _conflicts(competition: Competition) -> list[ConflictLine]:
    """Every conflict of interest, lifted ones included."""
    conflicts = db.session.scalars(
        select(Conflict).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.competition_id == competition.id)
        .options(selectinload(Conflict.user), selectinload(Conflict.proposal))
        .order_by(Conflict.proposal_id, Conflict.id))
    return [ConflictLine(c.user.name, c.proposal.title, c.source, conflict_reason_text(c) or c.reason_code, c.status,
                         c.created_at)
            for c in conflicts]


def _draws(competition: Competition, titles: dict[int, str]) -> list[DrawLine]:
    """The recorded draws with proposal titles in drawn order."""
    draws = db.session.scalars(
        select(RankingDraw).where(RankingDraw.competition_id == competition.id).order_by(RankingDraw.id))
    lines = []
    for draw in draws:
        groups = [DrawGroup([titles.get(pid, f"#{pid}") for pid in group.get("drawn_order", [])],
                            list(group.get("ranks", []))) for group in (draw.outcome or [])]
        lines.append(DrawLine(draw.method, draw.seed, draw.created_at, groups))
    return lines


def build_protocol(competition: Competition, method: str | None = None) -> Protocol:
    """Gather the protocol's facts: participants, conflicts, method, ranking, decisions, draws."""
    method = protocol_method(competition, method)
    proposals = {p.id: p for p in db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id))}
    titles = {pid: p.title for pid, p in proposals.items()}
    decisions = decisions_by_proposal(competition)
    criteria = list(competition.criteria)
    view = compute_ranking_view(competition, method)
    ranking = []
    for row in view.rows:
        proposal = proposals.get(row.proposal_id)
        decision = decisions.get(row.proposal_id)
        ranking.append(RankingLine(
            rank=row.rank, shared_rank=row.shared_rank, title=titles.get(row.proposal_id, ""),
            receipt_number=(proposal.receipt_number or "") if proposal else "",
            scores=[row.scores.get(c.id) for c in criteria], total=float(row.total), passed=bool(row.passed),
            outcome=decision.outcome if decision else None,
        ))
    deciders = _decider_names(list(decisions.values()))
    decision_lines = sorted(
        (DecisionLine(
            title=titles.get(d.proposal_id, ""), receipt_number=proposals[d.proposal_id].receipt_number or "",
            outcome=d.outcome, rationale=d.rationale, meeting_note=d.meeting_note, award_date=d.award_date,
            rank_at_decision=d.rank_at_decision, decided_at=d.decided_at, decided_by=deciders.get(d.id, ""))
         for d in decisions.values()),
        key=lambda line: (line.rank_at_decision is None, line.rank_at_decision or 0, line.title),
    )
    summary = award_summary(competition)
    return Protocol(competition, method, criteria, _participants(competition), _conflicts(competition), ranking,
                    decision_lines, _draws(competition, titles), summary.awarded_count, summary.awarded_cents,
                    utcnow())


def _decider_names(decisions: list[Decision]) -> dict[int, str]:
    """Who recorded each decision (names loaded in one query)."""
    from app.accounts.models import User

    ids = {d.decided_by_id for d in decisions if d.decided_by_id}
    users = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(ids or {0})))}
    return {d.id: users.get(d.decided_by_id, "") for d in decisions}


# --------------------------------------------------------------------------- PDF


ZERO_WIDTH_SPACE = "\u200b"
SOFT_HYPHEN = "\u00ad"
# A break opportunity after the hyphen of a compound ("Oberflächentechnik-Verbund"): fpdf2 breaks
# lines only at spaces, so a narrow cell would otherwise split such a name inside a word.
_COMPOUND_HYPHEN = re.compile(r"(?<=\w\w\w)-(?=\w\w\w)")

_CELL_PADDING_X = 1.5  # mm left and right of a table cell's text

_CORE_FONT_REPLACEMENTS = str.maketrans({
    "–": "-", "—": "-", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "…": "...", "•": "*",
    "≤": "<=", "≥": ">=", "Σ": "Sum", "·": "*", "€": "EUR", "\u00a0": " ", "\u202f": " ",
})


class _ProtocolPdf:
    """A thin layer over fpdf2: Unicode font when available, headings, paragraphs and tables."""

    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_title(title)
        self.pdf.set_creator("Ideenwettbewerb")
        self.unicode = FONT_REGULAR.exists() and FONT_BOLD.exists()
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(FONT_REGULAR))
            self.pdf.add_font("DejaVu", "B", str(FONT_BOLD))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.pdf.add_page()
        self.pdf.set_font(self.family, size=10)
        self.hyphenator = pyphen.Pyphen(lang=str(get_locale() or "de"), left=3, right=3)

    def text(self, value) -> str:
        """Text the chosen font can show."""
        text = "" if value is None else str(value)
        if self.unicode:
            return text
        return text.translate(_CORE_FONT_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")

    def cell_text(self, value, width: float) -> str:
        """Table cell text in which a word too wide for the cell breaks after a compound's hyphen or at a syllable."""
        text = self.text(value)
        room = width - 2 * _CELL_PADDING_X

        def fits(word: str) -> bool:
            return self.pdf.get_string_width(word) <= room

        def hint(match: re.Match) -> str:
            word = match.group()
            if fits(word):
                return word
            # fpdf2 breaks lines at spaces and soft hyphens only, else mid-word at the cell's edge.
            parts = _COMPOUND_HYPHEN.split(word)
            parts = [part if fits(part) else self.hyphenator.inserted(part, hyphen=SOFT_HYPHEN) for part in parts]
            joiner = "-" + ZERO_WIDTH_SPACE if self.unicode else "-"
            return joiner.join(parts)

        return re.sub(r"\S+", hint, text)

    def heading(self, value: str, size: int = 13) -> None:
        """A bold heading line."""
        self.pdf.ln(3)
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, 7, self.text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(self.family, "", 10)

    def paragraph(self, value: str) -> None:
        """A wrapped, left-aligned paragraph (ragged right, as letters and minutes are set)."""
        self.pdf.multi_cell(0, 5, self.text(value), align="L", new_x="LMARGIN", new_y="NEXT")

    def table(self, headings: list[str], rows: list[list], widths: tuple[int, ...],
              numeric: tuple[int, ...] = ()) -> None:
        """A table with a heading row that repeats on every page; columns `numeric` (indexes) align right."""
        self.pdf.set_font(self.family, "", 8)
        # Left-aligned text: fpdf2 justifies by default, which stretches the words of narrow cells
        # apart. Lines break between words; only a word wider than its whole cell is split.
        align = tuple("RIGHT" if index in numeric else "LEFT" for index in range(len(widths)))
        # Column widths in mm, as fpdf2 spreads the given ones over the page's text width.
        page_width = self.pdf.epw
        mm = [page_width * w / sum(widths) for w in widths]
        with self.pdf.table(col_widths=widths, line_height=4.5, first_row_as_headings=True, text_align=align,
                            v_align="TOP", padding=(1, _CELL_PADDING_X)) as table:
            row = table.row()
            self.pdf.set_font(self.family, "B", 8)  # headings are bold: measure them so
            cells = [self.cell_text(heading, mm[i]) for i, heading in enumerate(headings)]
            self.pdf.set_font(self.family, "", 8)
            for cell in cells:
                row.cell(cell)
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    row.cell(self.cell_text(value, mm[i]))
        self.pdf.set_font(self.family, "", 10)

    def signature_line(self, name: str, right: str) -> None:
        """Two lines to sign on: the signature above the name, place and date beside it."""
        pdf = self.pdf
        pdf.ln(12)
        if pdf.will_page_break(10):
            pdf.add_page()
        y = pdf.get_y()
        left = pdf.l_margin
        pdf.line(left, y, left + 95, y)
        pdf.line(left + 110, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1)
        pdf.cell(110, 5, self.text(name))
        pdf.cell(0, 5, self.text(right), new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        """The finished PDF."""
        return bytes(self.pdf.output())


def render_protocol_pdf(protocol: Protocol) -> bytes:
    """The protocol as a PDF document (A4, text the same as the HTML version)."""
    competition = protocol.competition
    locale = str(get_locale() or "de")
    doc = _ProtocolPdf(_("Protocol of the jury"))
    doc.heading(_("Protocol of the jury"), 16)
    doc.paragraph(competition.title)
    doc.paragraph(" · ".join(x for x in (competition.programme, competition.measure) if x))
    doc.paragraph(_("Phase: %(phase)s", phase=PHASE_LABELS[competition.phase]) + " · "
                  + _("Created: %(when)s", when=format_datetime_local(protocol.generated_at)))

    doc.heading(_("Participants"))
    doc.table([_("Juror"), _("Organisation"), _("Status"), _("Declaration signed")],
              [[p.name, p.organisation, _("active") if p.status == "active" else _("removed"),
                format_date_local(p.declaration_signed_at)] for p in protocol.participants]
              or [[_("No jurors."), "", "", ""]], (50, 70, 25, 35), numeric=(3,))

    doc.heading(_("Declarations and conflicts of interest"))
    doc.table([_("Juror"), _("Proposal"), _("Source"), _("Reason"), _("Status")],
              [[c.juror, c.proposal, conflict_source_label(c.source), c.reason,
                _("active") if c.status == "active" else _("lifted")] for c in protocol.conflicts]
              or [[_("No conflicts of interest were declared or detected."), "", "", "", ""]],
              (30, 44, 22, 64, 20))

    doc.heading(_("Method"))
    doc.paragraph(_("Aggregation method: %(method)s. Scores from %(low)s to %(high)s; the total is the weighted sum "
                    "of the criterion scores; the overall threshold is %(threshold)s. Ties are broken by the "
                    "criteria in priority order, then by a recorded draw (METHOD.md).",
                    method=method_label(protocol.method), low=format_exact(competition.scale_min),
                    high=format_exact(competition.scale_max),
                    threshold=format_exact(competition.default_overall_threshold())))
    doc.table([_("Priority"), _("Criterion"), _("Weight"), _("Threshold")],
              [[c.priority, c.name(locale), format_exact(c.weight), format_exact(c.threshold)]
               for c in protocol.criteria], (20, 110, 25, 25), numeric=(0, 2, 3))

    doc.heading(_("Ranking"))
    criteria_headings = [f"K{c.priority}" for c in protocol.criteria]
    score_width = max(8, 60 // max(1, len(protocol.criteria)))
    doc.table([_("Rank"), _("Proposal"), *criteria_headings, _("Total"), _("Decision")],
              [[line.rank, line.title, *[format_number(s, 2) for s in line.scores], format_number(line.total, 2)
                + ("" if line.passed else " *"), outcome_label(line.outcome) if line.outcome else "–"]
               for line in protocol.ranking] or [[_("No submitted reviews yet."), "", *[""] * len(
                   protocol.criteria), "", ""]],
              (12, 56, *[score_width] * len(protocol.criteria), 24, 28),
              numeric=(0, *range(2, 3 + len(protocol.criteria))))
    doc.paragraph(_("K1, K2, … are the criteria in priority order. * below threshold."))

    doc.heading(_("Decisions"))
    doc.paragraph(_("Awarded: %(count)s, requested funding %(sum)s of a budget of %(budget)s.",
                    count=protocol.awarded_count, sum=format_money(protocol.awarded_cents),
                    budget=format_money(competition.budget_cents)))
    for line in protocol.decisions:
        date_text = (" · " + _("award date %(date)s", date=format_date_local(line.award_date))
                     if line.award_date else "")
        doc.heading(f"{line.title} ({line.receipt_number or '–'}): {outcome_label(line.outcome)}{date_text}", 10)
        doc.paragraph(_("Rationale: %(text)s", text=line.rationale))
        if line.meeting_note:
            doc.paragraph(_("Meeting note: %(text)s", text=line.meeting_note))
    if not protocol.decisions:
        doc.paragraph(_("No decisions yet."))

    doc.heading(_("Draws by lot"))
    if protocol.draws:
        for draw in protocol.draws:
            doc.paragraph(_("Method %(method)s, seed %(seed)s, drawn on %(when)s:", method=method_label(draw.method),
                            seed=draw.seed, when=format_datetime_local(draw.created_at)))
            for group in draw.groups:
                doc.paragraph("  " + "; ".join(f"{rank}. {title}" for rank, title in
                                                zip(group.ranks, group.titles, strict=False)))
    else:
        doc.paragraph(_("No draw by lot was needed."))

    doc.heading(_("Signatures"))
    for participant in protocol.participants:
        if participant.status == "active":
            doc.signature_line(participant.name, _("Place, date"))
    doc.signature_line(_("Chair of the jury"), _("Place, date"))
    return doc.output()


def conflict_source_label(source: str) -> str:
    """The translated origin of a conflict of interest."""
    return {"declared": _("declared"), "detected": _("detected"), "admin": _("set by an administrator")}.get(
        source, source)


def protocol_filename(competition: Competition, extension: str) -> str:
    """A plain ASCII file name such as protocol-3-2002-05-24.pdf."""
    return f"protocol-{competition.id}-{utcnow():%Y-%m-%d}.{extension}"
