"""The audit file (Prüfakte): the whole procedure of a competition as one ZIP of CSV and JSON.

Files are machine-readable on purpose: CSV with commas, decimal points and UTF-8, times
in ISO 8601 UTC, nested data as JSON. With README.txt and METHOD.md an auditor can
recompute every ranking from scores.csv without this software.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.decisions.models import Decision
from app.decisions.services import compute_ranking_view
from app.extensions import db
from app.jury.models import (
    Assignment,
    Conflict,
    Consensus,
    ConsensusApproval,
    JuryMembership,
    Review,
    ReviewHistory,
)
from app.proposals.models import Proposal
from app.ranking.exports import METHODS, juror_pseudonyms, plain_decimal
from app.ranking.models import RankingDraw

README = """\
PRÜFAKTE / AUDIT FILE
=====================

Deutsch
-------
Diese Prüfakte enthält das gesamte Verfahren des Ideenwettbewerbs „{title}“ (Nr. {id}),
erstellt am {created} (UTC). Alle Zeiten sind in UTC (ISO 8601) angegeben, Beträge in Cent,
Dezimalzahlen mit Punkt, Trennzeichen Komma, Zeichensatz UTF-8. Jurymitglieder erscheinen
als Pseudonyme (J01, J02, …); die Zuordnung zu Namen steht nur in jury_memberships.csv.

Inhalt: {members}

Rangliste nachrechnen (Mittelwert, METHOD.md „Scores“ und „Ranking“):
1. Aus scores.csv nur Zeilen mit review_status = submitted verwenden, und nur Anträge, die in
   proposals.csv den Status submitted und die Vorprüfung eligible haben.
2. Für jeden Antrag p und jedes Kriterium c ist S_pc der Mittelwert der Punktzahlen (value).
3. Gesamtwert T_p = Σ_c w_c · S_pc mit den Gewichten w_c aus criteria.csv.
4. Ein Antrag besteht, wenn S_pc ≥ Schwellenwert h_c für jedes c und T_p ≥ H
   (competition.json: overall_threshold_effective).
5. Reihenfolge: bestehende Anträge zuerst, dann T_p absteigend (auf zwei Nachkommastellen
   gerundet); Gleichstand nach S_pc der Kriterien in der Reihenfolge ihrer Priorität;
   danach entscheidet das Los (draws.json: Startwert und Ergebnis).
6. Das Ergebnis mit ranking_mean.csv vergleichen. Die anderen Verfahren (Median,
   getrimmter Mittelwert, Normalisierung, Kalibrierung, Konsens) beschreibt METHOD.md;
   ihre Ergebnisse stehen in ranking_<verfahren>.csv.

English
-------
This audit file holds the whole procedure of the ideas competition "{title}" (no. {id}),
created on {created} (UTC). All times are UTC (ISO 8601), amounts in cents, decimals with a
point, comma-separated, UTF-8. Jurors appear as pseudonyms (J01, J02, ...); only
jury_memberships.csv maps them to names.

Contents: {members}

To recompute the ranking (mean, METHOD.md "Scores" and "Ranking"):
1. From scores.csv use only rows with review_status = submitted, and only proposals whose
   status in proposals.csv is submitted and whose pre-check result is eligible.
2. For every proposal p and criterion c, S_pc is the mean of the scores (value).
3. The total is T_p = sum over c of w_c * S_pc with the weights w_c from criteria.csv.
4. A proposal passes when S_pc >= threshold h_c for every c and T_p >= H
   (competition.json: overall_threshold_effective).
5. Order: passing proposals first, then T_p descending (rounded to two decimals); ties by
   S_pc of the criteria in priority order; what is still tied was drawn by lot
   (draws.json: seed and result).
6. Compare with ranking_mean.csv. METHOD.md describes the other methods (median, trimmed
   mean, normalised, calibrated, consensus); their results are in ranking_<method>.csv.
"""


def _plain(value: Any) -> Any:
    """A value as CSV/JSON text: ISO times, decimals as strings, JSON for nested data."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows as machine-readable CSV (comma, UTF-8, no BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def json_bytes(data: Any) -> bytes:
    """Data as indented UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_plain).encode("utf-8")


class _Collector:
    """Gathers the members of the archive in order."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def add(self, name: str, content: bytes) -> None:
        """Add a file."""
        self.members.append((name, content))

    def add_csv(self, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Add a CSV file."""
        self.add(name, csv_bytes(header, rows))


def _competition_part(out: _Collector, competition: Competition) -> None:
    """The competition's settings and criteria."""
    criteria = list(competition.criteria)
    out.add("competition.json", json_bytes({
        "id": competition.id, **competition.audit_view(),
        "overall_threshold": competition.overall_threshold,
        "overall_threshold_effective": plain_decimal(competition.default_overall_threshold()),
        "criteria": [{"id": c.id, **c.audit_view()} for c in criteria],
    }))
    out.add_csv("criteria.csv", ["criterion_id", "name_de", "name_en", "weight", "threshold", "priority"],
                [[c.id, c.name_de, c.name_en, c.weight, c.threshold, c.priority] for c in criteria])


def _proposal_part(out: _Collector, proposals: list[Proposal]) -> None:
    """Proposals, their submitted snapshots and the pre-check results."""
    out.add_csv("proposals.csv",
                ["proposal_id", "receipt_number", "status", "eligibility", "network_name", "sector", "lead_name",
                 "requested_funding_cents", "own_contribution_cents", "submitted_at", "withdrawn_at"],
                [[p.id, p.receipt_number, p.status, p.eligibility, p.network_name, p.sector, p.lead_name,
                  p.requested_funding_cents, p.own_contribution_cents, p.submitted_at, p.withdrawn_at]
                 for p in proposals])
    out.add("proposal_snapshots.json", json_bytes({str(p.id): p.snapshot for p in proposals if p.snapshot}))
    out.add_csv("precheck.csv",
                ["proposal_id", "eligibility", "eligibility_reason", "checklist", "prechecked_at", "prechecked_by_id"],
                [[p.id, p.eligibility, p.eligibility_reason, p.precheck_checklist, p.prechecked_at,
                  p.prechecked_by_id] for p in proposals if p.status != "draft"])


def _jury_part(out: _Collector, competition: Competition, proposal_ids: list[int],
               pseudonyms: dict[int, str]) -> dict[str, list[int]]:
    """Memberships, conflicts, assignments, reviews, history and consensus; returns ids for the trail."""
    memberships = db.session.scalars(
        select(JuryMembership).where(JuryMembership.competition_id == competition.id)
        .options(selectinload(JuryMembership.user)).order_by(JuryMembership.id)).all()
    out.add_csv("jury_memberships.csv",
                ["juror", "user_id", "name", "organisation", "status", "declaration_signed_at", "invited_at",
                 "sectors", "keywords"],
                [[pseudonyms.get(m.user_id), m.user_id, m.user.name, m.user.organisation, m.status,
                  m.declaration_signed_at, m.invited_at, m.sectors, m.keywords] for m in memberships])
    in_competition = Proposal.competition_id == competition.id
    conflicts = db.session.scalars(select(Conflict).join(Proposal).where(in_competition).order_by(Conflict.id)).all()
    out.add_csv("conflicts.csv",
                ["conflict_id", "proposal_id", "juror", "source", "reason_code", "reason", "status", "created_at",
                 "created_by_id", "lifted_at", "lifted_by_id", "lift_reason"],
                [[c.id, c.proposal_id, pseudonyms.get(c.user_id), c.source, c.reason_code, c.reason, c.status,
                  c.created_at, c.created_by_id, c.lifted_at, c.lifted_by_id, c.lift_reason] for c in conflicts])
    assignments = db.session.scalars(
        select(Assignment).join(Proposal).where(in_competition).order_by(Assignment.id)).all()
    out.add_csv("assignments.csv", ["assignment_id", "proposal_id", "juror", "source", "created_at"],
                [[a.id, a.proposal_id, pseudonyms.get(a.user_id), a.source, a.created_at] for a in assignments])
    reviews = db.session.scalars(
        select(Review).join(Proposal).where(in_competition).options(selectinload(Review.scores))
        .order_by(Review.proposal_id, Review.id)).all()
    out.add_csv("reviews.csv",
                ["review_id", "proposal_id", "juror", "status", "version", "submitted_at", "reopened_at",
                 "reopen_reason", "overall_comment"],
                [[r.id, r.proposal_id, pseudonyms.get(r.user_id), r.status, r.version, r.submitted_at,
                  r.reopened_at, r.reopen_reason, r.overall_comment] for r in reviews])
    out.add_csv("scores.csv",
                ["review_id", "proposal_id", "juror", "review_status", "criterion_id", "value", "justification"],
                [[r.id, r.proposal_id, pseudonyms.get(r.user_id), r.status, s.criterion_id, s.value,
                  s.justification] for r in reviews for s in sorted(r.scores, key=lambda s: s.criterion_id)])
    review_ids = [r.id for r in reviews]
    history = db.session.scalars(
        select(ReviewHistory).where(ReviewHistory.review_id.in_(review_ids or [0])).order_by(ReviewHistory.id)
    ).all()
    out.add_csv("review_history.csv", ["history_id", "review_id", "event", "created_at", "actor_id", "data"],
                [[h.id, h.review_id, h.event, h.created_at, h.actor_id, h.data] for h in history])
    consensus = db.session.scalars(
        select(Consensus).join(Proposal).where(in_competition)
        .options(selectinload(Consensus.scores), selectinload(Consensus.approvals)).order_by(Consensus.id)).all()
    out.add_csv("consensus.csv",
                ["consensus_id", "proposal_id", "status", "rapporteur", "report", "minority_view", "version",
                 "proposed_at", "approved_at"],
                [[c.id, c.proposal_id, c.status, pseudonyms.get(c.rapporteur_id) if c.rapporteur_id else None,
                  c.report, c.minority_view, c.version, c.proposed_at, c.approved_at] for c in consensus])
    out.add_csv("consensus_scores.csv",
                ["consensus_id", "proposal_id", "criterion_id", "value", "comment", "minority_view"],
                [[c.id, c.proposal_id, s.criterion_id, s.value, s.comment, s.minority_view]
                 for c in consensus for s in sorted(c.scores, key=lambda s: s.criterion_id)])
    approvals: list[ConsensusApproval] = [a for c in consensus for a in c.approvals]
    out.add_csv("consensus_approvals.csv", ["consensus_id", "juror", "approved_at"],
                [[a.consensus_id, pseudonyms.get(a.user_id), a.approved_at] for a in approvals])
    return {
        "jury_memberships": [m.id for m in memberships], "conflicts": [c.id for c in conflicts],
        "assignments": [a.id for a in assignments], "reviews": review_ids, "consensus": [c.id for c in consensus],
    }


def _ranking_part(out: _Collector, competition: Competition) -> None:
    """The ranking under every method, computed without the (slow) bootstrap."""
    criteria = list(competition.criteria)
    for method in METHODS:
        try:
            view = compute_ranking_view(competition, method)
        except (ValueError, DomainError) as exc:  # a method that does not apply is documented, not fatal
            out.add(f"ranking_{method}.txt", f"{method}: {exc}\n".encode())
            continue
        out.add_csv(f"ranking_{method}.csv",
                    ["rank", "shared_rank", "proposal_id", *[f"score_{c.id}" for c in criteria], "total", "passed",
                     "failing_criteria", "reviews", "above_funding_line"],
                    [[r.rank, r.shared_rank, r.proposal_id,
                      *[repr(float(r.scores[c.id])) if c.id in r.scores else None for c in criteria],
                      repr(float(r.total)), bool(r.passed), [c.id for c in r.failing_criteria], r.reviews,
                      bool(r.above_funding_line)] for r in view.rows])


def _decision_part(out: _Collector, competition: Competition, proposal_ids: list[int]) -> dict[str, list[int]]:
    """Decisions and recorded draws; returns their ids for the audit trail."""
    decisions = db.session.scalars(
        select(Decision).where(Decision.proposal_id.in_(proposal_ids or [0])).order_by(Decision.proposal_id)).all()
    out.add_csv("decisions.csv",
                ["decision_id", "proposal_id", "outcome", "rationale", "meeting_note", "award_date",
                 "rank_at_decision", "total_at_decision", "method_at_decision", "decided_at", "decided_by_id",
                 "letter_sent_at"],
                [[d.id, d.proposal_id, d.outcome, d.rationale, d.meeting_note, d.award_date, d.rank_at_decision,
                  d.total_at_decision, d.method_at_decision, d.decided_at, d.decided_by_id, d.letter_sent_at]
                 for d in decisions])
    draws = db.session.scalars(
        select(RankingDraw).where(RankingDraw.competition_id == competition.id).order_by(RankingDraw.id)).all()
    out.add("draws.json", json_bytes([
        {"id": d.id, "method": d.method, "seed": d.seed, "outcome": d.outcome, "created_at": d.created_at,
         "created_by_id": d.created_by_id} for d in draws]))
    return {"decisions": [d.id for d in decisions], "ranking_draws": [d.id for d in draws]}


def _audit_trail(out: _Collector, object_ids: dict[str, list[int]]) -> set[int]:
    """Audit events of the competition's objects; returns who acted (the IP is left out: not needed)."""
    conditions = [and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
                  for kind, ids in object_ids.items() if ids]
    events = db.session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id)).all()
    out.add_csv("audit_trail.csv",
                ["event_id", "created_at", "actor_id", "action", "object_type", "object_id", "before", "after"],
                [[e.id, e.created_at, e.actor_id, e.action, e.object_type, e.object_id, e.before, e.after]
                 for e in events])
    return {e.actor_id for e in events if e.actor_id is not None}


def _users_part(out: _Collector, user_ids: set[int]) -> None:
    """Names of the people who acted (actor ids in the trail and the decisions)."""
    users = db.session.scalars(select(User).where(User.id.in_(user_ids or {0})).order_by(User.id)).all()
    out.add_csv("actors.csv", ["user_id", "name", "organisation", "is_admin"],
                [[u.id, u.name, u.organisation, u.is_admin] for u in users])


def build_audit_file(competition: Competition) -> bytes:
    """The ZIP archive with every file of the competition's procedure."""
    out = _Collector()
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id).order_by(Proposal.id)).all()
    proposal_ids = [p.id for p in proposals]
    pseudonyms = juror_pseudonyms(competition.id)
    _competition_part(out, competition)
    _proposal_part(out, proposals)
    object_ids = {"competitions": [competition.id], "criteria": [c.id for c in competition.criteria],
                  "proposals": proposal_ids}
    object_ids.update(_jury_part(out, competition, proposal_ids, pseudonyms))
    _ranking_part(out, competition)
    object_ids.update(_decision_part(out, competition, proposal_ids))
    _users_part(out, _audit_trail(out, object_ids))
    names = ["README.txt", *[name for name, _content in out.members]]
    readme = README.format(title=competition.title, id=competition.id,
                           created=utcnow().strftime("%Y-%m-%d %H:%M"), members=", ".join(names))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme.encode("utf-8"))
        for name, content in out.members:
            archive.writestr(name, content)
    return buffer.getvalue()


def audit_file_name(competition: Competition) -> str:
    """A plain ASCII file name such as audit-file-3-2002-05-24.zip."""
    return f"audit-file-{competition.id}-{utcnow():%Y-%m-%d}.zip"
