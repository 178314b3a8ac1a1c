"""The administrator's progress page at scale: aggregate counts, one page of proposals, cached flags.

review_progress() in progress.py loads every assignment; this module answers the page with GROUP BY
queries and loads rows only for the proposals shown, so its cost does not grow with the pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, load_only

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.cache import PROGRESS_INPUTS, cached
from app.core.time import utcnow
from app.extensions import db
from app.jury.models import Assignment, Conflict, JuryMembership, Review
from app.jury.progress import PENDING, ProposalProgress, ReviewerState, disagreement_flags
from app.proposals.models import Proposal

PROPOSALS_PER_PAGE = 50
FILTERS = ("all", "flagged", "incomplete")


@dataclass
class JurorCounts:
    """Load and completion of one juror, counted in the database (plain values: kept in the cache)."""

    user_id: int
    name: str
    status: str  # of the jury seat: active or removed
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0

    @property
    def pending(self) -> int:
        """Assigned proposals without a submitted review."""
        return self.assigned - self.submitted


@dataclass
class ProgressPage:
    """Everything the progress page shows."""

    jurors: list[JurorCounts]
    total_assigned: int
    total_submitted: int
    flagged: frozenset[int]
    overdue: list[tuple[User, Proposal]]
    deadline_passed: bool
    show: str
    page_number: int = 1
    # Filled by load_proposal_table() (not for a POST that only sends reminders).
    page: object = None  # flask_sqlalchemy Pagination of Proposal
    proposals: list[ProposalProgress] | None = None

    @property
    def flagged_count(self) -> int:
        """Proposals whose scores disagree."""
        return len(self.flagged)


def _in_pool(competition: Competition):
    return and_(Proposal.competition_id == competition.id, Proposal.in_jury_pool)


def _review_of_assignment(status: str | None = None):
    """Join condition: the assigned juror's own review of the proposal (optionally in a status)."""
    condition = and_(Review.proposal_id == Assignment.proposal_id, Review.user_id == Assignment.user_id)
    return and_(condition, Review.status == status) if status else condition


def cached_flags(competition: Competition) -> frozenset[int]:
    """Disagreement flags, recomputed only when an input of the ranking changes."""
    return cached("disagreement-flags", competition, (), lambda: frozenset(disagreement_flags(competition)))


def _counts_by_juror(competition: Competition) -> dict[int, tuple[int, int, int]]:
    """Assigned, submitted and draft reviews of the pool per juror (GROUP BY over every assignment)."""
    return {uid: (assigned, submitted, drafts) for uid, assigned, submitted, drafts in db.session.execute(
        select(Assignment.user_id, func.count(Assignment.id),
               func.count(case((Review.status == "submitted", 1))), func.count(case((Review.status == "draft", 1))))
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .outerjoin(Review, _review_of_assignment())
        .where(_in_pool(competition)).group_by(Assignment.user_id)
    ).tuples()}


def cached_juror_counts(competition: Competition) -> tuple[list[JurorCounts], int, int]:
    """The jurors with their counts and the totals, recounted only when the progress stamp changes.

    Why: the count reads every assignment of the pool (6,000 at 2,000 proposals) and the list
    grows with the jury; the stamp changes with every assignment, seat, pool proposal, new
    draft, review submission and juror's name change, which is everything the list shows.
    """
    return cached("progress-jurors", competition, (), lambda: _jurors_with_counts(competition),
                  inputs=(PROGRESS_INPUTS,))


def _jurors_with_counts(competition: Competition) -> tuple[list[JurorCounts], int, int]:
    by_user = _counts_by_juror(competition)
    seats = db.session.execute(
        select(JuryMembership.user_id, User.name, JuryMembership.status)
        .join(User, User.id == JuryMembership.user_id)
        .where(JuryMembership.competition_id == competition.id)
        .order_by(JuryMembership.status, User.name, User.id)
    ).tuples()
    jurors = [JurorCounts(uid, name, status, *by_user.get(uid, (0, 0, 0))) for uid, name, status in seats]
    # Former members appear only while they still hold assignments (as on review_progress()).
    jurors = [j for j in jurors if j.status == "active" or j.assigned]
    return jurors, sum(a for a, _s, _d in by_user.values()), sum(s for _a, s, _d in by_user.values())


def _juror_counts(competition: Competition) -> tuple[list[JurorCounts], int, int]:
    """Per-juror assigned/submitted/draft counts of the pool, and the totals over all assignments."""
    return cached_juror_counts(competition)


def _overdue(competition: Competition) -> list[tuple[User, Proposal]]:
    """Assigned pool reviews not submitted yet (shown once the deadline has passed)."""
    submitted = select(Review.id).where(_review_of_assignment("submitted"))
    return list(db.session.execute(
        select(User, Proposal).join(Assignment, Assignment.user_id == User.id)
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(_in_pool(competition), ~submitted.exists())
        .order_by(Proposal.receipt_number, Proposal.id, User.id)
    ).tuples())


def _proposal_query(competition: Competition, show: str, flagged: frozenset[int]):
    # Only what the table shows: the snapshot and long texts are most of a proposal row.
    query = (select(Proposal).options(load_only(Proposal.receipt_number, Proposal.network_name))
             .where(_in_pool(competition)).order_by(Proposal.receipt_number, Proposal.id))
    if show == "flagged":
        query = query.where(Proposal.id.in_(sorted(flagged)))
    elif show == "incomplete":
        assigned = select(func.count(Assignment.id)).where(Assignment.proposal_id == Proposal.id).scalar_subquery()
        submitted = (select(func.count(Assignment.id)).join(Review, _review_of_assignment("submitted"))
                     .where(Assignment.proposal_id == Proposal.id).scalar_subquery())
        query = query.where(or_(assigned < competition.reviews_per_proposal, submitted < assigned))
    return query


def _rows_for(competition: Competition, proposals: list[Proposal], flagged: frozenset[int]) -> list[ProposalProgress]:
    """Reviewers, their review states and conflicts of the shown proposals only (two queries)."""
    ids = [p.id for p in proposals]
    rows = {p.id: ProposalProgress(p, disagreement=p.id in flagged) for p in proposals}
    if not ids:
        return []
    assignments = db.session.execute(
        select(Assignment, Review.status).outerjoin(Review, _review_of_assignment())
        .where(Assignment.proposal_id.in_(ids))
        .options(load_only(Assignment.proposal_id, Assignment.user_id),
                 joinedload(Assignment.user).load_only(User.stored_name, User.deleted_at))
        .order_by(Assignment.proposal_id, Assignment.user_id)).tuples()
    for assignment, state in assignments:
        rows[assignment.proposal_id].reviewers.append(ReviewerState(assignment, state or PENDING))
    conflicts = db.session.scalars(select(Conflict).where(Conflict.proposal_id.in_(ids), Conflict.status == "active")
                                   .order_by(Conflict.id)).all()
    for conflict in conflicts:
        rows[conflict.proposal_id].conflicts.append(conflict)
    for row in rows.values():
        row.short = row.assigned < competition.reviews_per_proposal
    return list(rows.values())


def progress_page(competition: Competition, page: int = 1, show: str = "all",
                  now: datetime | None = None, with_proposals: bool = True) -> ProgressPage:
    """Counts per juror, totals, overdue reviews and (unless told otherwise) one page of the per-proposal table."""
    now = now or utcnow()
    show = show if show in FILTERS else "all"
    flagged = cached_flags(competition)
    jurors, total_assigned, total_submitted = _juror_counts(competition)
    deadline_passed = competition.review_deadline is not None and competition.review_deadline <= now
    progress = ProgressPage(jurors=jurors, total_assigned=total_assigned, total_submitted=total_submitted,
                            flagged=flagged, overdue=_overdue(competition) if deadline_passed else [],
                            deadline_passed=deadline_passed, show=show, page_number=max(page, 1))
    if with_proposals:
        load_proposal_table(progress, competition)
    return progress


def load_proposal_table(progress: ProgressPage, competition: Competition) -> None:
    """One page of the per-proposal table: reviewers with their review states, conflicts, flags."""
    progress.page = db.paginate(_proposal_query(competition, progress.show, progress.flagged),
                                page=progress.page_number, per_page=PROPOSALS_PER_PAGE, error_out=False)
    progress.proposals = _rows_for(competition, list(progress.page.items), progress.flagged)
