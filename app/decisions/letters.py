"""Decision letters to applicants, queued in the outbox in each applicant's language.

A letter states the outcome and rationale, the jury's feedback and the scores:
the approved consensus comments where a consensus report exists, otherwise the
justifications of the individual reviews per criterion, anonymised (no juror names, and
sorted by text so that no juror's set of comments can be pieced together). Scores are
always included, with a line that explains the scale and thresholds, because applicants
of a public call are entitled to learn how their proposal was judged.

Shortlisted proposals get no letter: a shortlist is an intermediate step, and the
letter follows the final decision. Sending is idempotent: each decision is claimed with
a conditional update of letter_sent_at, so a double click or two parallel requests send
one letter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.competitions.models import Competition, Criterion
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.decisions.models import Decision
from app.decisions.services import DEFAULT_METHOD, compute_ranking_view
from app.extensions import db
from app.jury.models import Consensus, Review, Score
from app.proposals.models import Proposal

LETTER_OUTCOMES = ("awarded", "reserve", "rejected")
LETTER_TEMPLATE = "decision_letter"


@dataclass(frozen=True)
class LetterCriterion:
    """One criterion in a letter: its name, score, threshold and the jury's comments."""

    name: str
    weight: float
    threshold: float
    score: float | None
    comments: list[str]


@dataclass(frozen=True)
class LetterScores:
    """The proposal's scores from the ranking the decision was taken on."""

    total: float | None
    overall_threshold: float
    rank: int | None
    method: str


def letters_allowed(competition: Competition) -> bool:
    """Letters go out once the competition has reached the decision phase."""
    return competition.phase_at_least("decision")


def pending_letters(competition: Competition) -> list[Decision]:
    """Final decisions of the competition that have no letter yet, in proposal order."""
    return list(db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id, Decision.outcome.in_(LETTER_OUTCOMES),
               Decision.letter_sent_at.is_(None))
        .options(selectinload(Decision.proposal).selectinload(Proposal.applicant))
        .order_by(Decision.proposal_id)
    ))


def _approved_consensus(proposal_ids: list[int]) -> dict[int, Consensus]:
    """Approved consensus reports of the proposals, with their scores."""
    rows = db.session.scalars(
        select(Consensus).where(Consensus.proposal_id.in_(proposal_ids), Consensus.status == "approved")
        .options(selectinload(Consensus.scores))
    )
    return {c.proposal_id: c for c in rows}


def _justifications(proposal_ids: list[int]) -> dict[tuple[int, int], list[str]]:
    """Non-empty justifications of submitted reviews per (proposal, criterion), without authors."""
    result = db.session.execute(
        select(Review.proposal_id, Score.criterion_id, Score.justification)
        .join(Score, Score.review_id == Review.id)
        .where(Review.proposal_id.in_(proposal_ids), Review.status == "submitted")
    )
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for proposal_id, criterion_id, text in result:
        if text and text.strip():
            texts[(proposal_id, criterion_id)].append(text.strip())
    # Sorted by text, not by juror: the order reveals nothing about who wrote what.
    return {key: sorted(values, key=str.casefold) for key, values in texts.items()}


def _criteria_lines(criteria: list[Criterion], locale: str, scores: dict, consensus: Consensus | None,
                    justifications: dict[tuple[int, int], list[str]], proposal_id: int) -> list[LetterCriterion]:
    """The per-criterion part of a letter."""
    agreed = {s.criterion_id: s for s in consensus.scores} if consensus else {}
    lines = []
    for criterion in criteria:
        if consensus is not None:
            comment = agreed[criterion.id].comment.strip() if criterion.id in agreed else ""
            comments = [comment] if comment else []
        else:
            comments = justifications.get((proposal_id, criterion.id), [])
        score = scores.get(criterion.id)
        lines.append(LetterCriterion(criterion.name(locale), float(criterion.weight), float(criterion.threshold),
                                     float(score) if score is not None else None, comments))
    return lines


def letter_context(decision: Decision, *, locale: str, ranking_row, method: str,
                   consensus: Consensus | None, justifications: dict[tuple[int, int], list[str]]) -> dict:
    """Everything the letter template needs for one decision."""
    proposal = decision.proposal
    competition = proposal.competition
    scores = dict(ranking_row.scores) if ranking_row is not None else {}
    return {
        "decision": decision,
        "proposal": proposal,
        "competition": competition,
        "applicant": proposal.applicant,
        "outcome": decision.outcome,
        "criteria": _criteria_lines(list(competition.criteria), locale, scores, consensus, justifications,
                                    proposal.id),
        "consensus_report": consensus.report.strip() if consensus and consensus.report else "",
        "has_consensus": consensus is not None,
        "scores": LetterScores(
            total=float(ranking_row.total) if ranking_row is not None else None,
            overall_threshold=float(competition.default_overall_threshold()),
            rank=ranking_row.rank if ranking_row is not None else None,
            method=method,
        ),
        "scale_min": float(competition.scale_min),
        "scale_max": float(competition.scale_max),
        "scale_step": float(competition.scale_step),
    }


def send_decision_letters(competition: Competition, actor) -> int:
    """Queue one letter per final decision not yet lettered; return how many were queued."""
    if not letters_allowed(competition):
        raise DomainError(_l("Decision letters can only be sent from the decision phase on."))
    pending = pending_letters(competition)
    if not pending:
        return 0
    proposal_ids = [d.proposal_id for d in pending]
    consensus = _approved_consensus(proposal_ids)
    justifications = _justifications(proposal_ids)
    rankings: dict[str, dict[int, object]] = {}
    sent = 0
    for decision in pending:
        method = decision.method_at_decision or DEFAULT_METHOD
        if method not in rankings:
            view = compute_ranking_view(competition, method)
            rankings[method] = {row.proposal_id: row for row in view.rows}
        # Claim the decision first: only the request whose update changes the row sends.
        now = utcnow()
        claimed = db.session.execute(
            update(Decision).where(Decision.id == decision.id, Decision.letter_sent_at.is_(None))
            .values(letter_sent_at=now).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        set_committed_value(decision, "letter_sent_at", now)  # the update above already wrote it
        applicant = decision.proposal.applicant
        row = rankings[method].get(decision.proposal_id)
        context = letter_context(decision, locale=applicant.locale, ranking_row=row, method=method,
                                 consensus=consensus.get(decision.proposal_id), justifications=justifications)
        message = queue_mail(applicant.email, LETTER_TEMPLATE, applicant.locale, user=applicant, **context)
        db.session.flush()
        decision.letter_id = message.id
        record_event("decision.letter_sent", decision, before={"letter_sent_at": None},
                     after={"letter_sent_at": now.isoformat(), "outcome": decision.outcome,
                            "recipient": applicant.email, "locale": message.locale,
                            "outbox_message_id": message.id}, actor=actor)
        sent += 1
    return sent
