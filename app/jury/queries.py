"""Named queries and SQL conditions of the jury package, for its services, views and rules.

The rules who may see or do what live in permissions.py; what is loaded to apply them, and
what the jury's pages list, is built here. This module imports no rules, so permissions.py
can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.extensions import db
from app.jury.models import Assignment, Conflict, Consensus, ConsensusApproval, JuryMembership, Review
from app.proposals.models import Proposal

# --- SQL conditions ---------------------------------------------------------------------------------


def active_seat(user_id, competition_id):
    """SQL condition: the membership row is the user's active seat in the competition's jury."""
    return ((JuryMembership.competition_id == competition_id) & (JuryMembership.user_id == user_id)
            & (JuryMembership.status == "active"))


def active_conflict(user_id, proposal_id):
    """SQL condition: the juror has an active conflict with the proposal (values or columns)."""
    return select(Conflict.id).where(Conflict.proposal_id == proposal_id, Conflict.user_id == user_id,
                                     Conflict.status == "active").exists()


def counted_review():
    """SQL condition: a submitted review by a juror without an active conflict on the proposal (it counts)."""
    return and_(Review.status == "submitted", ~active_conflict(Review.user_id, Review.proposal_id))


def holds_any_seat(user_id: int):
    """SQL condition: the user holds an active seat on any jury (navigation role)."""
    return select(JuryMembership.id).where(JuryMembership.user_id == user_id,
                                           JuryMembership.status == "active").exists()


# --- what the rules need to know ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFacts:
    """What the jury's rules need to know about one user and one proposal, loaded in one statement."""

    membership: JuryMembership | None
    assigned: bool = False
    conflicted: bool = False
    rapporteur: bool = False
    submitted: bool = False

    @property
    def signed(self) -> bool:
        """The user holds an active seat and signed the declaration."""
        return self.membership is not None and self.membership.has_signed_declaration


def _fact_columns(user_id, proposal_id) -> tuple:
    """Whether a user is assigned to, conflicted with, rapporteur of and done with a proposal (SQL columns)."""
    assigned = select(Assignment.id).where(Assignment.user_id == user_id,
                                           Assignment.proposal_id == proposal_id).exists()
    rapporteur = select(Consensus.id).where(Consensus.proposal_id == proposal_id,
                                            Consensus.rapporteur_id == user_id).exists()
    submitted = select(Review.id).where(Review.user_id == user_id, Review.proposal_id == proposal_id,
                                        Review.status == "submitted").exists()
    return assigned, active_conflict(user_id, proposal_id), rapporteur, submitted


def with_review_facts(statement: Select) -> Select:
    """A statement selecting one proposal (bound `proposal_id`) extended by the user's seat and facts.

    The user is bound as `user_id`; a scoring page then asks one statement instead of two.
    Turn the extra columns of its row into ReviewFacts with review_facts_of.
    """
    user_id, proposal_id = bindparam("user_id"), bindparam("proposal_id")
    return (statement.add_columns(JuryMembership, *_fact_columns(user_id, proposal_id))
            .outerjoin(JuryMembership, active_seat(user_id, Proposal.competition_id)))


def review_facts_of(columns) -> ReviewFacts:
    """ReviewFacts from the extra columns of a with_review_facts row (seat, then four answers)."""
    membership, *answers = columns
    return ReviewFacts(membership, *(bool(answer) for answer in answers))


@cache
def _review_facts_statement():
    """A proposal's id with the user's seat and facts; built once with bound values (every jury page asks it)."""
    return with_review_facts(select(Proposal.id).where(Proposal.id == bindparam("proposal_id")))


def review_facts(user_id: int, proposal_id: int) -> ReviewFacts:
    """Everything the jury's rules ask about a user and a proposal (one statement)."""
    row = db.session.execute(_review_facts_statement(), {"user_id": user_id, "proposal_id": proposal_id}).first()
    return review_facts_of(row[1:]) if row else ReviewFacts(None)


# --- single answers -------------------------------------------------------------------------------


def seat_of(user_id: int, competition_id: int) -> JuryMembership | None:
    """The user's active seat in a competition's jury, if any."""
    return db.session.scalar(select(JuryMembership).where(active_seat(user_id, competition_id)))


def _active_conflicts_in(columns, user_id: int, competition_id: int) -> Select:
    """The juror's active conflicts with proposals of a competition (the given columns)."""
    return (select(columns).join(Proposal, Proposal.id == Conflict.proposal_id)
            .where(Conflict.user_id == user_id, Conflict.status == "active", Proposal.competition_id == competition_id))


def conflicted_proposal_ids(user_id: int, competition_id: int) -> set[int]:
    """Proposals of a competition the juror has an active conflict with."""
    return set(db.session.scalars(_active_conflicts_in(Conflict.proposal_id, user_id, competition_id)))


def signed_juror_conflicts(user_id: int, competition_id: int) -> set[int] | None:
    """Proposals of the competition a signed juror has an active conflict with; None without a signed seat.

    One statement for both questions, as every ranking figure a juror sees asks them together.
    """
    in_competition = select(Proposal.id).where(Proposal.competition_id == competition_id)
    rows = db.session.execute(
        select(JuryMembership.declaration_signed_at, Conflict.proposal_id).select_from(JuryMembership)
        .outerjoin(Conflict, (Conflict.user_id == JuryMembership.user_id) & (Conflict.status == "active")
                   & Conflict.proposal_id.in_(in_competition))
        .where(active_seat(user_id, competition_id))
    ).all()
    if not rows or rows[0][0] is None:
        return None
    return {proposal_id for _signed, proposal_id in rows if proposal_id is not None}


def active_conflicts_by_proposal(user_id: int, competition_id: int) -> dict[int, Conflict]:
    """The juror's active conflicts in the competition, by proposal."""
    return {c.proposal_id: c for c in db.session.scalars(_active_conflicts_in(Conflict, user_id, competition_id))}


def conflict_exists(user_id: int, proposal_id: int) -> bool:
    """True when the juror has an active conflict with the proposal."""
    return bool(db.session.scalar(select(active_conflict(user_id, proposal_id))))


def counted_reviewer_ids(proposal: Proposal) -> set[int]:
    """Active jurors of the proposal's competition whose review of it counts (submitted, not conflicted)."""
    return set(db.session.scalars(
        select(Review.user_id)
        .join(JuryMembership, (JuryMembership.user_id == Review.user_id)
              & (JuryMembership.competition_id == proposal.competition_id))
        .where(Review.proposal_id == proposal.id, counted_review(), JuryMembership.status == "active")
    ))


def has_assignment_in(user_id: int, competition_id: int) -> bool:
    """True when the juror is assigned to any proposal of the competition."""
    return db.session.scalar(
        select(Assignment.id).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Assignment.user_id == user_id, Proposal.competition_id == competition_id)
        .limit(1)
    ) is not None


# --- the administrator's jury pages ---------------------------------------------------------------


def memberships_by_name(competition_id: int) -> list[JuryMembership]:
    """Every membership of the competition's jury (active and removed), with its user, by name."""
    return list(db.session.scalars(
        select(JuryMembership).join(User, User.id == JuryMembership.user_id)
        .where(JuryMembership.competition_id == competition_id)
        .options(selectinload(JuryMembership.user)).order_by(User.name, User.id)
    ))


def active_jurors(competition_id: int) -> list[User]:
    """Users with an active seat in the competition's jury, by name."""
    return list(db.session.scalars(
        select(User).join(JuryMembership, JuryMembership.user_id == User.id)
        .where(JuryMembership.competition_id == competition_id, JuryMembership.status == "active")
        .order_by(User.name, User.id)
    ))


def conflicts_of_competition(competition_id: int) -> list[Conflict]:
    """Every conflict (active and lifted) with a proposal of the competition, with juror and proposal."""
    return list(db.session.scalars(
        select(Conflict).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.competition_id == competition_id)
        .options(selectinload(Conflict.user), selectinload(Conflict.proposal))
        .order_by(Conflict.status, Proposal.receipt_number, Conflict.id)
    ))


def unsigned_memberships(competition_id: int) -> list[JuryMembership]:
    """Active seats whose juror has not signed the declaration yet, with their users."""
    return list(db.session.scalars(
        select(JuryMembership).where(JuryMembership.competition_id == competition_id,
                                     JuryMembership.status == "active",
                                     JuryMembership.declaration_signed_at.is_(None))
        .options(selectinload(JuryMembership.user))
    ))


# --- the juror's pages ----------------------------------------------------------------------------

# What the scoring pages show of a proposal: its header and pool state, not the snapshot or long texts.
_HEADER_COLUMNS = (Proposal.id, Proposal.competition_id, Proposal.status, Proposal.eligibility,
                   Proposal.network_name, Proposal.receipt_number, Proposal.sector)


@cache
def _scoring_proposal_statement():
    """A proposal's header columns with its competition and criteria, and the user's review facts.

    One statement for what every scoring request needs, built once with bound values: the
    autosave runs it constantly, and building and hashing the statement cost more than running it.
    """
    return with_review_facts(
        select(Proposal).options(load_only(*_HEADER_COLUMNS),
                                 joinedload(Proposal.competition).joinedload(Competition.criteria))
        .where(Proposal.id == bindparam("proposal_id")))


def scoring_proposal(proposal_id: int, user_id: int) -> tuple[Proposal, ReviewFacts] | None:
    """A proposal's header with its competition and criteria, and the user's review facts (one statement)."""
    row = db.session.execute(_scoring_proposal_statement(),
                             {"proposal_id": proposal_id, "user_id": user_id}).unique().one_or_none()
    if row is None:
        return None
    proposal, *columns = row
    return proposal, review_facts_of(columns)


@cache
def _consensus_tasks_statement():
    """Draft reports the juror writes as rapporteur and proposed ones they still have to approve.

    An approver (consensus_approver_ids) is an active juror of the competition, which the caller
    knows, with a submitted review of the proposal and no active conflict, who is not the
    rapporteur. Built once with bound parameters, as the dashboard asks it on every visit.
    """
    user_id = bindparam("user_id")
    approved = select(ConsensusApproval.id).where(ConsensusApproval.consensus_id == Consensus.id,
                                                  ConsensusApproval.user_id == user_id).exists()
    reviewed = select(Review.id).where(Review.proposal_id == Consensus.proposal_id, Review.user_id == user_id,
                                       Review.status == "submitted").exists()
    return (select(Consensus.status, Proposal.id, Proposal.network_name)
            .join(Proposal, Proposal.id == Consensus.proposal_id)
            .where(Proposal.competition_id == bindparam("competition_id"), ~active_conflict(user_id, Proposal.id),
                   or_(and_(Consensus.status == "draft", Consensus.rapporteur_id == user_id),
                       and_(Consensus.status == "proposed", Consensus.rapporteur_id.is_distinct_from(user_id),
                            reviewed, ~approved)))
            .order_by(Proposal.receipt_number, Proposal.id))


def consensus_tasks(user_id: int, competition_id: int) -> list[tuple[str, int, str]]:
    """(report status, proposal id, network name) of the reports the juror drafts or must approve."""
    return list(db.session.execute(_consensus_tasks_statement(),
                                   {"user_id": user_id, "competition_id": competition_id}).tuples())


def active_seats_of(user_id: int) -> list[JuryMembership]:
    """The user's active jury seats with their competitions, the newest competition first."""
    return list(db.session.scalars(
        select(JuryMembership).options(joinedload(JuryMembership.competition))
        .where(JuryMembership.user_id == user_id, JuryMembership.status == "active")
        .order_by(JuryMembership.competition_id.desc())
    ))


def assignment_count(user_id: int, competition_id: int) -> int:
    """How many proposals of the competition the juror is assigned to."""
    return db.session.scalar(
        select(func.count(Assignment.id)).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Assignment.user_id == user_id, Proposal.competition_id == competition_id)
    ) or 0


def assigned_jurors_with_reviews(proposal_id: int) -> list[tuple[User, Review | None]]:
    """Every juror assigned to the proposal (in order of assignment) with their review, if any."""
    rows = db.session.scalars(
        select(Assignment).options(selectinload(Assignment.user)).where(Assignment.proposal_id == proposal_id)
        .order_by(Assignment.id)
    ).all()
    reviews = {r.user_id: r for r in db.session.scalars(select(Review).where(Review.proposal_id == proposal_id))}
    return [(a.user, reviews.get(a.user_id)) for a in rows]
