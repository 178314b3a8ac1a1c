"""Review progress for the administrator: completion, overdue reviews, disagreement, reminders.

Also the precondition for the consensus phase: every assigned review submitted, or the
review deadline passed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.models import OutboxMessage
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.jury.assignment import ASSIGNMENT_PHASE
from app.jury.conflicts import jury_pool
from app.jury.membership import external_url
from app.jury.models import Assignment, Conflict, JuryMembership, Review
from app.proposals.models import Proposal

log = logging.getLogger(__name__)

REMINDER_TEMPLATE = "jury_reminder"
# The cron job starts reminding this long before the review deadline (and keeps on after it).
REMINDER_WINDOW = timedelta(days=7)

PENDING, DRAFT, SUBMITTED = "pending", "draft", "submitted"


@dataclass
class ReviewerState:
    """One assigned reviewer of a proposal and how far their review is."""

    assignment: Assignment
    state: str  # pending (not started), draft or submitted


@dataclass
class ProposalProgress:
    """Completion of one proposal of the jury pool."""

    proposal: Proposal
    reviewers: list[ReviewerState] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    short: bool = False
    disagreement: bool = False

    @property
    def assigned(self) -> int:
        """Number of assigned reviewers."""
        return len(self.reviewers)

    @property
    def submitted(self) -> int:
        """Number of submitted reviews by assigned reviewers."""
        return sum(1 for r in self.reviewers if r.state == SUBMITTED)


@dataclass
class JurorProgress:
    """Load and completion of one juror."""

    membership: JuryMembership
    pending: list[Proposal] = field(default_factory=list)  # assigned, not submitted (draft or not started)
    submitted: int = 0
    drafts: int = 0

    @property
    def assigned(self) -> int:
        """Number of proposals assigned to the juror."""
        return len(self.pending) + self.submitted

    @property
    def user(self) -> User:
        """The juror's account."""
        return self.membership.user


@dataclass
class Progress:
    """Everything the assignment and progress pages show."""

    proposals: list[ProposalProgress]
    jurors: list[JurorProgress]
    overdue: list[tuple[User, Proposal]]
    deadline_passed: bool

    @property
    def short(self) -> list[ProposalProgress]:
        """Proposals with fewer reviewers than the competition asks for."""
        return [p for p in self.proposals if p.short]


def _review_states(competition: Competition) -> dict[tuple[int, int], str]:
    """(juror, proposal) -> review status for every review of the competition."""
    return {(u, p): s for u, p, s in db.session.execute(
        select(Review.user_id, Review.proposal_id, Review.status).join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.competition_id == competition.id)
    ).tuples()}


# The disagreement flags are computed once, with the ranking. The ranking package builds on
# the jury, so it registers where its flags are read instead of this package importing it.
DisagreementSource = Callable[[Competition], set[int]]
_disagreement_sources: list[DisagreementSource] = []


def register_disagreement_source(source: DisagreementSource) -> DisagreementSource:
    """Name the function that gives the pool proposals the computed ranking flags for discussion."""
    _disagreement_sources[:] = [source]
    return source


def contested_proposal_ids(competition: Competition) -> set[int]:
    """Pool proposals whose submitted scores disagree enough to need discussion (METHOD.md)."""
    if not _disagreement_sources:
        # Without the ranking there is no answer; guessing "none" would let the consensus phase start.
        raise LookupError("no disagreement source registered (app.ranking.service registers it)")
    return _disagreement_sources[0](competition)


def disagreement_flags(competition: Competition) -> set[int]:
    """The contested proposals for the overview pages, which must not break on incomplete data."""
    try:
        return contested_proposal_ids(competition)
    except ValueError:  # the ranking page reports the problem; the overview stays usable
        log.warning("disagreement not computable for competition %s", competition.id, exc_info=True)
        return set()


def review_progress(competition: Competition, now: datetime | None = None, *,
                    with_disagreement: bool = True) -> Progress:
    """Completion per proposal and per juror, overdue reviews and disagreement flags (few queries)."""
    now = now or utcnow()
    pool = jury_pool(competition)
    pool_ids = {p.id for p in pool}
    states = _review_states(competition)
    assignments = db.session.scalars(
        select(Assignment).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Proposal.competition_id == competition.id)
        .options(selectinload(Assignment.user)).order_by(Assignment.proposal_id, Assignment.user_id)
    ).all()
    conflicts = db.session.scalars(
        select(Conflict).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.competition_id == competition.id, Conflict.status == "active")
        .options(selectinload(Conflict.user)).order_by(Conflict.id)
    ).all()
    memberships = db.session.scalars(
        select(JuryMembership).join(User, User.id == JuryMembership.user_id)
        .where(JuryMembership.competition_id == competition.id)
        .options(selectinload(JuryMembership.user)).order_by(JuryMembership.status, User.name, User.id)
    ).all()
    flagged = disagreement_flags(competition) if with_disagreement else set()
    deadline_passed = competition.review_deadline is not None and competition.review_deadline <= now

    by_proposal = {p.id: ProposalProgress(p, disagreement=p.id in flagged) for p in pool}
    by_juror = {m.user_id: JurorProgress(m) for m in memberships}
    overdue: list[tuple[User, Proposal]] = []
    for conflict in conflicts:
        if conflict.proposal_id in by_proposal:
            by_proposal[conflict.proposal_id].conflicts.append(conflict)
    for assignment in assignments:
        if assignment.proposal_id not in pool_ids:
            continue
        state = states.get((assignment.user_id, assignment.proposal_id), PENDING)
        row = by_proposal[assignment.proposal_id]
        row.reviewers.append(ReviewerState(assignment, state))
        juror = by_juror.get(assignment.user_id)
        if state == SUBMITTED:
            if juror:
                juror.submitted += 1
            continue
        if juror:
            juror.pending.append(row.proposal)
            juror.drafts += state == DRAFT
        if deadline_passed:
            overdue.append((assignment.user, row.proposal))
    for row in by_proposal.values():
        row.short = row.assigned < competition.reviews_per_proposal
    # Former members appear only while they still hold assignments (submitted reviews stay theirs).
    jurors = [j for j in by_juror.values() if j.membership.status == "active" or j.assigned]
    return Progress(proposals=list(by_proposal.values()), jurors=jurors, overdue=overdue,
                    deadline_passed=deadline_passed)


def _pending_by_juror(competition: Competition) -> dict[int, list[Proposal]]:
    """Active jurors' assigned proposals of the pool without a submitted review."""
    submitted = select(Review.id).where(Review.proposal_id == Assignment.proposal_id,
                                        Review.user_id == Assignment.user_id, Review.status == "submitted")
    rows = db.session.execute(
        select(Assignment.user_id, Proposal)
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .join(JuryMembership, (JuryMembership.user_id == Assignment.user_id)
              & (JuryMembership.competition_id == Proposal.competition_id))
        .where(Proposal.competition_id == competition.id, Proposal.in_jury_pool, JuryMembership.status == "active",
               ~submitted.exists())
        .order_by(Proposal.receipt_number, Proposal.id)
    ).tuples()
    pending: dict[int, list[Proposal]] = defaultdict(list)
    for user_id, proposal in rows:
        pending[user_id].append(proposal)
    return pending


def _remind(competition: Competition, user: User, proposals: list[Proposal]) -> None:
    queue_mail(user.email, REMINDER_TEMPLATE, user.locale, user=user, user_obj=user, competition=competition,
               proposals=proposals, dashboard_link=external_url("jury.dashboard"))


def send_reminders(competition: Competition, user_ids: list[int], *, actor: User) -> list[User]:
    """Mail the chosen jurors a reminder listing their pending reviews; return who was reminded."""
    if competition.phase != ASSIGNMENT_PHASE:
        raise DomainError(_l("Reminders can only be sent while the competition is in the review phase."))
    if not user_ids:
        raise DomainError(_l("Please choose at least one juror."), "user_ids")
    pending = _pending_by_juror(competition)
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.name, User.id)).all()
    reminded = [u for u in users if pending.get(u.id)]
    if not reminded:
        raise DomainError(_l("None of the chosen jurors has a pending review."), "user_ids")
    for user in reminded:
        _remind(competition, user, pending[user.id])
    record_event("jury.reminders_sent", competition, actor=actor,
                 after={"user_ids": [u.id for u in reminded], "automatic": False})
    return reminded


def _start_of_day(now: datetime, competition: Competition) -> datetime:
    """Midnight of today in the competition's zone, as an aware time."""
    local = now.astimezone(competition.zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def reminded_today(user: User, competition: Competition, now: datetime) -> bool:
    """True when the outbox already holds a reminder to this person from today."""
    return db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.template == REMINDER_TEMPLATE,
                                       OutboxMessage.recipient == user.email,
                                       OutboxMessage.created_at >= _start_of_day(now, competition)).limit(1)
    ) is not None


def reminders_due(competition: Competition, now: datetime) -> bool:
    """Automatic reminders run in the review phase from a week before the deadline on."""
    return (competition.phase == ASSIGNMENT_PHASE and competition.review_deadline is not None
            and competition.review_deadline - now <= REMINDER_WINDOW)


def send_due_reminders(competition_id: int | None = None, now: datetime | None = None) -> list[tuple[str, str]]:
    """Remind every juror with pending reviews when the deadline is near or past; at most once a day."""
    now = now or utcnow()
    query = select(Competition).where(Competition.phase == ASSIGNMENT_PHASE).order_by(Competition.id)
    if competition_id is not None:
        query = query.where(Competition.id == competition_id)
    sent: list[tuple[str, str]] = []
    for competition in db.session.scalars(query).all():
        if not reminders_due(competition, now):
            continue
        pending = _pending_by_juror(competition)
        users = db.session.scalars(select(User).where(User.id.in_(list(pending))).order_by(User.id)).all()
        reminded = []
        for user in users:
            if user.active and not reminded_today(user, competition, now):
                _remind(competition, user, pending[user.id])
                db.session.flush()  # the next look-up must see this message (same person, two juries)
                reminded.append(user)
                sent.append((competition.title, user.email))
        if reminded:
            record_event("jury.reminders_sent", competition,
                         after={"user_ids": [u.id for u in reminded], "automatic": True})
    return sent


def consensus_requirement(competition: Competition) -> list:
    """Consensus starts when every assigned review is submitted, or once the review deadline has passed."""
    if competition.review_deadline is not None and competition.review_deadline <= utcnow():
        return []
    pending = sum(len(p) for p in _pending_by_juror(competition).values())
    if pending:
        return [LazyString(lambda: ngettext(
            "%(num)s assigned review has not been submitted yet and the review deadline has not passed.",
            "%(num)s assigned reviews have not been submitted yet and the review deadline has not passed.",
            pending))]
    has_any = db.session.scalar(select(Assignment.id).join(Proposal, Proposal.id == Assignment.proposal_id)
                                .where(Proposal.competition_id == competition.id).limit(1))
    if has_any is None:
        return [_l("No reviewer has been assigned yet.")]
    return []


