"""Scoring: a juror's review of one proposal, saved as a draft, submitted, and reopened by an admin.

Every save carries the version of the review the juror last saw; the version is claimed with
one conditional UPDATE, so two tabs (or two workers) can never overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Text, bindparam, case, cast, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.competitions.models import Competition
from app.core.audit import insert_event, record_event
from app.core.errors import DomainError
from app.core.formatting import Quantity
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.jury.membership import external_url
from app.jury.models import Assignment, Review, ReviewHistory, Score
from app.jury.permissions import not_conflicted
from app.proposals.models import Proposal

SCORING_PHASE = "review"
MAX_TEXT = 20_000


@dataclass(frozen=True)
class ScoreEntry:
    """What the form sends for one criterion: the score as typed and the justification."""

    criterion_id: int
    value: str | Decimal | None
    justification: str
    # False when the post did not carry the field: the stored value stays (a partial autosave).
    has_value: bool = True
    has_justification: bool = True


class ReviewConflict(DomainError):
    """The review was saved elsewhere (another tab or window) since the juror loaded it."""


class ReviewIncomplete(DomainError):
    """Submitting needs a score and a justification for every criterion; `fields` names each gap."""

    def __init__(self, message, fields: dict[str, Any]):
        super().__init__(message)
        self.fields = fields


# --- the scale ------------------------------------------------------------------------------


def scale_values(competition: Competition) -> list[Decimal]:
    """Every allowed score of the competition's scale, lowest first."""
    values = []
    value = Decimal(competition.scale_min)
    while value <= Decimal(competition.scale_max):
        values.append(value)
        value += Decimal(competition.scale_step)
    return values


def canonical(value: Decimal) -> str:
    """A score as the form sends it: "4.5", "3" (no locale, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


def parse_score(competition: Competition, raw: str | Decimal | None, field: str | None = None) -> Decimal | None:
    """A score on the competition's scale, or None when empty; DomainError when off the scale or its step."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_l("Please choose a score on the scale."), field) from None
    if not value.is_finite():
        raise DomainError(_l("Please choose a score on the scale."), field)
    low, high, step = (Decimal(competition.scale_min), Decimal(competition.scale_max),
                       Decimal(competition.scale_step))
    if value < low or value > high:
        raise DomainError(_l("The score must lie between %(low)s and %(high)s.", low=Quantity(low),
                             high=Quantity(high)), field)
    if (value - low) % step != 0:
        raise DomainError(_l("The score must be a step of %(step)s on the scale (e.g. %(example)s).",
                             step=Quantity(step), example=Quantity(low + step)), field)
    return value.quantize(Decimal("0.01"))


# --- reading ----------------------------------------------------------------------------------


def review_of(user_id: int, proposal_id: int) -> Review | None:
    """The juror's review of the proposal (draft or submitted), with its scores."""
    return db.session.scalars(
        select(Review).options(joinedload(Review.scores))
        .where(Review.user_id == user_id, Review.proposal_id == proposal_id)
    ).unique().one_or_none()


def submitted_reviews(proposal: Proposal) -> list[Review]:
    """The proposal's submitted reviews in submission order (callers check who may see them)."""
    return list(db.session.scalars(
        select(Review).options(selectinload(Review.scores), selectinload(Review.user))
        .where(Review.proposal_id == proposal.id, Review.status == "submitted")
        .order_by(Review.submitted_at, Review.id)
    ))


def review_deadline_passed(competition: Competition, now: datetime | None = None) -> bool:
    """True once the review deadline is over (no deadline: never)."""
    return competition.review_deadline is not None and (now or utcnow()) >= competition.review_deadline


def editing_refusal(review: Review | None, competition: Competition) -> str | None:
    """Why the juror cannot change this review now (translated), or None."""
    if competition.phase != SCORING_PHASE:
        return _l("Scoring is closed: the competition is not in the review phase.")
    if review is not None and review.is_submitted:
        return _l("This review has been submitted and is locked. The funding office can reopen it if needed.")
    return None


def submission_refusal(competition: Competition) -> str | None:
    """Why reviews cannot be submitted now (translated), or None."""
    if review_deadline_passed(competition):
        return _l("The review deadline has passed: reviews can no longer be submitted. Your draft is kept; "
                  "please contact the funding office.")
    return None


def review_view(review: Review) -> dict[str, Any]:
    """The review's content as plain JSON, for the audit file and the review history."""
    return {
        "status": review.status,
        "version": review.version,
        "overall_comment": review.overall_comment,
        "scores": [{"criterion_id": s.criterion_id, "value": None if s.value is None else str(s.value),
                    "justification": s.justification}
                   for s in sorted(review.scores, key=lambda s: s.criterion_id)],
    }


# --- changing -------------------------------------------------------------------------------


def _claim_version(review: Review, expected_version: int | None) -> None:
    """Move the review to its next version only if nobody else did since the juror loaded it."""
    if expected_version is None or expected_version != review.version:
        raise ReviewConflict(_conflict_message())
    result = db.session.execute(
        update(Review).where(Review.id == review.id, Review.version == expected_version)
        .values(version=expected_version + 1).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ReviewConflict(_conflict_message())
    set_committed_value(review, "version", expected_version + 1)


def _conflict_message():
    return _l("This review was changed in another tab or window after you opened it. Nothing was overwritten: "
              "please reload the page to see the latest version.")


def _new_review(proposal: Proposal, juror, expected_version: int | None) -> Review:
    """Create the juror's first draft; a second tab that also starts from nothing loses the race."""
    if expected_version not in (None, 0):
        raise ReviewConflict(_conflict_message())
    review = Review(proposal_id=proposal.id, user_id=juror.id, status="draft", version=1, overall_comment="")
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:
        # The unique (proposal, juror) key refused it; the caller rolls the whole request back.
        raise ReviewConflict(_conflict_message()) from None
    return review


def _check_text(text: str, field: str) -> str:
    if len(text) > MAX_TEXT:
        raise DomainError(_l("Please shorten the text to at most %(num)s characters.", num=MAX_TEXT), field)
    return text


def _apply_entries(review: Review, competition: Competition, entries: list[ScoreEntry]) -> None:
    """Write the typed scores and justifications onto the review's score rows."""
    criteria = {c.id for c in competition.criteria}
    for entry in entries:
        if entry.criterion_id not in criteria:
            raise DomainError(_l("The form does not match the competition's criteria. Please reload the page."))
        value = parse_score(competition, entry.value, f"score_{entry.criterion_id}")
        justification = _check_text(entry.justification or "", f"justification_{entry.criterion_id}")
        score = review.score_for(entry.criterion_id)
        if score is None:
            score = Score(criterion_id=entry.criterion_id, justification="")
            review.scores.append(score)
        if entry.has_value:
            score.value = value
        if entry.has_justification:
            score.justification = justification


def missing_parts(review: Review, competition: Competition) -> dict[str, Any]:
    """Field name -> message for every criterion still without a score or a justification."""
    gaps: dict[str, Any] = {}
    for criterion in competition.criteria:
        score = review.score_for(criterion.id)
        if score is None or score.value is None:
            gaps[f"score_{criterion.id}"] = _l("Please choose a score.")
        if score is None or not (score.justification or "").strip():
            gaps[f"justification_{criterion.id}"] = _l("Please justify the score: a justification is required.")
    return gaps


def _ensure_complete(review: Review, competition: Competition) -> None:
    gaps = missing_parts(review, competition)
    if gaps:
        raise ReviewIncomplete(_l("Every criterion needs a score and a justification before you can submit."),
                               gaps)


def save_review(proposal: Proposal, juror, *, entries: list[ScoreEntry], overall_comment: str | None,
                expected_version: int | None, for_submission: bool = False, autosave: bool = False) -> Review:
    """Save the juror's review as a draft (a None comment stays as stored); for_submission: complete, on time."""
    competition = proposal.competition
    review = review_of(juror.id, proposal.id)
    refusal = editing_refusal(review, competition)
    if refusal:
        raise DomainError(refusal)
    if for_submission:
        refusal = submission_refusal(competition)
        if refusal:
            raise DomainError(refusal)
    if review is None:
        before = None
        review = _new_review(proposal, juror, expected_version)
    else:
        before = {"version": review.version}
        _claim_version(review, expected_version)
    _apply_entries(review, competition, entries)
    if overall_comment is not None:
        review.overall_comment = _check_text(overall_comment, "overall_comment")
    review.updated_at = utcnow()
    if for_submission:
        _ensure_complete(review, competition)
    # The text itself goes into the review history on submission; the trail notes each save.
    record_event("review.draft_saved", review, before=before,
                 after={"version": review.version, "autosave": autosave,
                        "scored": sum(1 for s in review.scores if s.value is not None)},
                 actor=juror)
    return review


def save_draft(proposal: Proposal, juror, *, entries: list[ScoreEntry], overall_comment: str | None,
               expected_version: int | None, autosave: bool = False) -> tuple[int, int]:
    """Save the juror's draft in three statements; returns (review id, new version).

    The ordinary case of an autosave: the draft exists, the form carries every criterion. The
    version is claimed together with the draft's status, so a stale version, a submitted review
    or a missing one leave the row untouched; those and every other unusual case go through
    save_review, which explains them with the same errors as always. Only drafts are written
    here, and drafts are no input of the ranking (see app/jury/stamp_inputs.py).
    """
    competition = proposal.competition
    by_criterion = {entry.criterion_id: entry for entry in entries}
    # A partial post (a field absent, not empty) takes the general path, which keeps what was not sent.
    complete = (overall_comment is not None and all(e.has_value and e.has_justification for e in entries)
                and len(by_criterion) == len(entries) and set(by_criterion) == {c.id for c in competition.criteria})
    ordinary = (competition.phase == SCORING_PHASE and expected_version and complete
                and len(overall_comment) <= MAX_TEXT)
    review_id = _claim_draft(proposal.id, juror.id, expected_version, overall_comment) if ordinary else None
    if review_id is None:
        review = save_review(proposal, juror, entries=entries, overall_comment=overall_comment,
                             expected_version=expected_version, autosave=autosave)
        return review.id, review.version
    values = {}
    for entry in entries:  # checked in form order, after the claim, as save_review does
        values[entry.criterion_id] = (parse_score(competition, entry.value, f"score_{entry.criterion_id}"),
                                      _check_text(entry.justification or "", f"justification_{entry.criterion_id}"))
    _write_scores(review_id, values)
    version = expected_version + 1
    insert_event("review.draft_saved", object_type=Review.__tablename__, object_id=review_id,
                 before={"version": expected_version},
                 after={"version": version, "autosave": autosave,
                        "scored": sum(1 for value, _text in values.values() if value is not None)},
                 actor=juror)
    return review_id, version


def _claim_draft_statement():
    """UPDATE of the juror's draft to its next version with the new comment, if it is still that version.

    Core statements on the tables (so is the one below): the ORM's bulk UPDATE path would copy
    each one on every execution, and there are no loaded objects for it to synchronise.
    """
    reviews = Review.__table__
    return (update(reviews)
            .where(reviews.c.proposal_id == bindparam("b_proposal"), reviews.c.user_id == bindparam("b_user"),
                   reviews.c.version == bindparam("b_expected"), reviews.c.status == "draft")
            .values(version=bindparam("b_next"), overall_comment=bindparam("b_comment"),
                    updated_at=bindparam("b_now"))
            .returning(reviews.c.id))


def _claim_draft(proposal_id: int, user_id: int, expected_version: int, overall_comment: str) -> int | None:
    """Move the juror's draft to its next version with the new comment; None when it is not that draft."""
    return db.session.scalar(_claim_draft_statement(), {
        "b_proposal": proposal_id, "b_user": user_id, "b_expected": expected_version,
        "b_next": expected_version + 1, "b_comment": overall_comment, "b_now": utcnow()})


def _write_scores_statement(count: int):
    """UPDATE of `count` score rows of a review, each criterion's value and justification chosen by CASE."""
    scores = Score.__table__
    value_type = scores.c.value.type
    criteria = [bindparam(f"c{n}") for n in range(count)]
    # The CAST gives PostgreSQL the column's type even when every value is NULL.
    values = [cast(bindparam(f"v{n}", type_=value_type), value_type) for n in range(count)]
    texts = [bindparam(f"j{n}", type_=Text()) for n in range(count)]
    return (update(scores)
            .where(scores.c.review_id == bindparam("b_review"), scores.c.criterion_id.in_(criteria))
            .values(value=case(*((scores.c.criterion_id == criteria[n], values[n]) for n in range(count))),
                    justification=case(*((scores.c.criterion_id == criteria[n], texts[n]) for n in range(count)))))


def _write_scores(review_id: int, values: dict[int, tuple[Decimal | None, str]]) -> None:
    """Every criterion's score and justification in one UPDATE; rows still missing are added."""
    if not values:
        return
    params: dict[str, Any] = {"b_review": review_id}
    for n, (cid, (value, text)) in enumerate(values.items()):
        params.update({f"c{n}": cid, f"v{n}": value, f"j{n}": text})
    result = db.session.execute(_write_scores_statement(len(values)), params)
    if result.rowcount == len(values):
        return
    # A draft saved before a criterion was added: give it the missing rows.
    present = set(db.session.scalars(select(Score.criterion_id).where(Score.review_id == review_id)))
    db.session.add_all(Score(review_id=review_id, criterion_id=cid, value=value, justification=text)
                       for cid, (value, text) in values.items() if cid not in present)


def submit_review(review: Review, *, expected_version: int | None, actor) -> None:
    """Submit a complete draft before the deadline: it is locked, counted and kept in the history."""
    competition = review.proposal.competition
    refusal = editing_refusal(review, competition) or submission_refusal(competition)
    if refusal:
        raise DomainError(refusal)
    _claim_version(review, expected_version)
    _ensure_complete(review, competition)
    review.status = "submitted"
    review.submitted_at = utcnow()
    snapshot = review_view(review)
    db.session.add(ReviewHistory(review_id=review.id, event="submitted", data=snapshot, actor_id=actor.id))
    record_event("review.submitted", review, before={"status": "draft"}, after=snapshot, actor=actor)


def reopen_refusal(review: Review) -> str | None:
    """Why an admin cannot reopen this review now (translated), or None."""
    competition = review.proposal.competition
    if not review.is_submitted:
        return _l("Only submitted reviews can be reopened.")
    if competition.phase != SCORING_PHASE:
        return _l("Reviews can only be reopened while the competition is in the review phase.")
    if review_deadline_passed(competition):
        return _l("The review deadline has passed, so the juror could not submit again. Please extend the "
                  "review deadline first.")
    return None


def reopen_review(review: Review, *, reason: str, actor) -> None:
    """Return a submitted review to its juror as a draft, with the reason; audited and mailed."""
    refusal = reopen_refusal(review)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason")
    before = review_view(review)
    review.status = "draft"
    review.reopened_at = utcnow()
    review.reopen_reason = reason
    review.version += 1  # an open confirmation page of the old state must not submit it again
    db.session.add(ReviewHistory(review_id=review.id, event="reopened", actor_id=actor.id,
                                 data={"reason": reason, "previous": before}))
    record_event("review.reopened", review, before=before,
                 after={"status": review.status, "reason": reason, "version": review.version}, actor=actor)
    juror = review.user
    queue_mail(juror.email, "review_reopened", juror.locale, user=juror, juror=juror, proposal=review.proposal,
               reason=reason, link=external_url("jury.review", proposal_id=review.proposal_id))


# --- the juror's work list ------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalLine:
    """The few fields a list shows of a proposal (loaded as columns: no snapshot, no long texts)."""

    id: int
    network_name: str
    receipt_number: str | None = None
    sector: str = ""

    @property
    def title(self) -> str:
        """As Proposal.title: the network's name, or a placeholder for an empty one."""
        return self.network_name or f"#{self.id}"


@dataclass(frozen=True)
class AssignedProposal:
    """One assigned proposal on the dashboard with the state of the juror's own review."""

    proposal: ProposalLine
    state: str  # not_started, draft or submitted


def _assigned_proposals_statement():
    """The juror's assigned, non-conflicted pool proposals of a competition with their review status."""
    user_id = bindparam("user_id")
    return (select(Proposal.id, Proposal.network_name, Proposal.receipt_number, Proposal.sector, Review.status)
            .join(Assignment, (Assignment.proposal_id == Proposal.id) & (Assignment.user_id == user_id))
            .outerjoin(Review, (Review.proposal_id == Proposal.id) & (Review.user_id == user_id))
            .where(Proposal.competition_id == bindparam("competition_id"), Proposal.in_jury_pool,
                   not_conflicted(user_id, Proposal.id))
            .order_by(Proposal.receipt_number, Proposal.id))


def assigned_proposals(user, competition_id: int) -> list[AssignedProposal]:
    """The juror's assigned pool proposals of a competition (never conflicted ones), in receipt order."""
    rows = db.session.execute(_assigned_proposals_statement(), {"user_id": user.id, "competition_id": competition_id})
    return [AssignedProposal(ProposalLine(pid, name, receipt, sector), status or "not_started")
            for pid, name, receipt, sector, status in rows]


def next_pending_proposal(user, proposal: Proposal) -> ProposalLine | None:
    """The next assigned proposal (after this one, wrapping round) whose review is not yet submitted."""
    items = assigned_proposals(user, proposal.competition_id)
    ids = [item.proposal.id for item in items]
    start = ids.index(proposal.id) + 1 if proposal.id in ids else 0
    for item in items[start:] + items[:start]:
        if item.proposal.id != proposal.id and item.state != "submitted":
            return item.proposal
    return None
