"""Who on the jury may see and do what: the one home of the jury's permission rules.

Every query that shows scores, reviews, discussion or aggregates to a juror filters with
`hidden_proposal_ids` or `can_see_jury_work`, so that a conflicted juror learns nothing
of that proposal, not even counts or averages.
"""

from __future__ import annotations

from functools import cache

from flask import g, has_app_context
from sqlalchemy import Select, bindparam, event, select
from sqlalchemy.orm import Session

from app.competitions.models import Competition
from app.core.navigation import register_nav_role
from app.extensions import db
from app.jury.models import Assignment, Conflict, Consensus, JuryMembership, Review
from app.proposals.models import Proposal


def _memo(key: tuple, compute):
    """The answer of a permission lookup, asked once per request (pages check the same rule several times).

    Any flush or rollback forgets every answer, so a request that changes memberships,
    assignments or conflicts never reads a stale one.
    """
    if not has_app_context():
        return compute()
    memo = g.setdefault("_jury_permission_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_soft_rollback")
def _forget_memo(session, *args) -> None:
    """Written or rolled-back data may change any permission answer."""
    if has_app_context():
        g.pop("_jury_permission_memo", None)


def _active_seat(user_id: int, competition_id: int):
    """The condition of a user's active seat in a competition's jury."""
    return ((JuryMembership.competition_id == competition_id) & (JuryMembership.user_id == user_id)
            & (JuryMembership.status == "active"))


def active_membership(user, competition_id: int) -> JuryMembership | None:
    """The user's active jury seat in a competition, if any."""
    if user is None or not user.is_authenticated:
        return None
    membership = _memo(("membership", user.id, competition_id), lambda: db.session.scalar(
        select(JuryMembership).where(_active_seat(user.id, competition_id))
    ))
    return membership


def is_juror(user, competition_id: int) -> bool:
    """True for an active member of the competition's jury."""
    return active_membership(user, competition_id) is not None


def is_signed_juror(user, competition_id: int) -> bool:
    """True for an active juror who signed the confidentiality and impartiality declaration."""
    membership = active_membership(user, competition_id)
    return membership is not None and membership.has_signed_declaration


def hidden_proposal_ids(user_id: int, competition_id: int) -> set[int]:
    """Proposals of a competition the juror has an active conflict with."""
    return set(db.session.scalars(
        select(Conflict.proposal_id).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Conflict.user_id == user_id, Conflict.status == "active",
               Proposal.competition_id == competition_id)
    ))


def not_conflicted(user_id: int, proposal_id_column):
    """SQL condition: the juror has no active conflict with the proposal in that column.

    The same rule as hidden_proposal_ids, for list queries that filter in the database.
    """
    return ~select(Conflict.id).where(Conflict.proposal_id == proposal_id_column, Conflict.user_id == user_id,
                                      Conflict.status == "active").exists()


def has_active_conflict(user_id: int, proposal_id: int) -> bool:
    """True when the juror has an active conflict with the proposal."""
    return _memo(("conflict", user_id, proposal_id), lambda: db.session.scalar(
        select(Conflict.id).where(Conflict.user_id == user_id, Conflict.proposal_id == proposal_id,
                                  Conflict.status == "active")
    ) is not None)


def is_assigned(user_id: int, proposal_id: int) -> bool:
    """True when the juror is assigned to review the proposal."""
    return _memo(("assigned", user_id, proposal_id), lambda: db.session.scalar(
        select(Assignment.id).where(Assignment.user_id == user_id, Assignment.proposal_id == proposal_id)
    ) is not None)


def is_in_jury_pool(proposal: Proposal) -> bool:
    """Only submitted proposals found eligible in the pre-check go to the jury."""
    return proposal.status == "submitted" and proposal.eligibility == "eligible"


def can_see_jury_work(user, proposal: Proposal) -> bool:
    """Admins, and signed non-conflicted jurors, may see a proposal's scores and discussion."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return (is_in_jury_pool(proposal) and is_signed_juror(user, proposal.competition_id)
            and not has_active_conflict(user.id, proposal.id))


def can_score(user, proposal: Proposal, competition: Competition | None = None) -> bool:
    """A juror may score an assigned, non-conflicted proposal while the competition is in review."""
    competition = competition or proposal.competition
    # Admins do not score unless they also hold a jury seat: the checks below apply to everyone.
    return (user is not None and user.is_authenticated
            and is_in_jury_pool(proposal)
            and competition.phase == "review"
            and is_signed_juror(user, proposal.competition_id)
            and is_assigned(user.id, proposal.id)
            and not has_active_conflict(user.id, proposal.id))


def _submitted_review(user_id: int, proposal_id: int):
    """Whether the juror's review of the proposal is submitted (and not reopened), as an SQL condition."""
    return select(Review.id).where(Review.user_id == user_id, Review.proposal_id == proposal_id,
                                   Review.status == "submitted").exists()


def _rapporteur_of(user_id: int, proposal_id: int):
    """Whether the user is the named rapporteur of the proposal's consensus report, as an SQL condition."""
    return select(Consensus.id).where(Consensus.proposal_id == proposal_id,
                                      Consensus.rapporteur_id == user_id).exists()


def _review_rule_columns(user_id, proposal_id) -> tuple:
    """Whether a juror is assigned to, conflicted with, rapporteur of and done with a proposal (SQL columns)."""
    assigned = select(Assignment.id).where(Assignment.user_id == user_id,
                                           Assignment.proposal_id == proposal_id).exists()
    conflicted = select(Conflict.id).where(Conflict.user_id == user_id, Conflict.proposal_id == proposal_id,
                                           Conflict.status == "active").exists()
    return assigned, conflicted, _rapporteur_of(user_id, proposal_id), _submitted_review(user_id, proposal_id)


@cache
def _review_rules_statement():
    """A juror's seat with whether they are assigned to, conflicted with, rapporteur of and done with a proposal.

    Built once with bound parameters: every scoring request runs it, and building and hashing
    the statement cost more than the database needs to answer it.
    """
    user_id, proposal_id = bindparam("user_id"), bindparam("proposal_id")
    return (select(JuryMembership, *_review_rule_columns(user_id, proposal_id))
            .where(_active_seat(user_id, bindparam("competition_id"))))


def with_review_rules(statement: Select) -> Select:
    """A statement selecting one proposal (bound `proposal_id`), extended by the juror's (bound `user_id`) seat
    and the four answers of the review rules: a scoring page then asks one statement instead of two.

    Give each result row to remember_review_rules before checking any rule.
    """
    user_id, proposal_id = bindparam("user_id"), bindparam("proposal_id")
    return (statement.add_columns(JuryMembership, *_review_rule_columns(user_id, proposal_id))
            .outerjoin(JuryMembership, _active_seat(user_id, Proposal.competition_id)))


def remember_review_rules(user_id: int, proposal: Proposal, membership: JuryMembership | None, answers) -> None:
    """Keep a with_review_rules row's seat and answers in the request's memo, as _ask_review_rules does."""
    if has_app_context():
        _remember_rules(g.setdefault("_jury_permission_memo", {}), user_id, proposal.competition_id, proposal.id,
                        membership, answers)


def _rule_keys(user_id: int, competition_id: int, proposal_id: int) -> list[tuple]:
    """The memo keys of the seat and the four review-rule answers."""
    return [("membership", user_id, competition_id), ("assigned", user_id, proposal_id),
            ("conflict", user_id, proposal_id), ("rapporteur", user_id, proposal_id),
            ("submitted", user_id, proposal_id)]


def _remember_rules(memo: dict, user_id: int, competition_id: int, proposal_id: int,
                    membership: JuryMembership | None, answers) -> None:
    """Store the seat and, with a seat, the four answers (without one they are not needed to refuse access)."""
    keys = _rule_keys(user_id, competition_id, proposal_id)
    memo[keys[0]] = membership
    if membership is not None:
        memo.update({key: bool(answer) for key, answer in zip(keys[1:], answers, strict=True)})
        memo[("any_seat", user_id)] = True


def _ask_review_rules(user_id: int, competition_id: int, proposal_id: int) -> None:
    """Answer every question a scoring page asks about one proposal in a single statement.

    Seat, assignment, conflict, rapporteur and own submitted review go into the request's memo,
    where active_membership, is_assigned, has_active_conflict, is_rapporteur and
    has_submitted_review find them. Without a seat only that answer is stored: the others are
    then not needed to refuse access.
    """
    if not has_app_context():
        return
    memo = g.setdefault("_jury_permission_memo", {})
    if all(key in memo for key in _rule_keys(user_id, competition_id, proposal_id)):
        return
    row = db.session.execute(_review_rules_statement(), {"user_id": user_id, "proposal_id": proposal_id,
                                                         "competition_id": competition_id}).first()
    _remember_rules(memo, user_id, competition_id, proposal_id, row[0] if row else None, row[1:] if row else ())


def can_access_review(user, proposal: Proposal) -> bool:
    """An assigned, signed, non-conflicted juror may open their own review of a pool proposal (in any phase)."""
    if user is None or not user.is_authenticated or not is_in_jury_pool(proposal):
        return False
    _ask_review_rules(user.id, proposal.competition_id, proposal.id)
    return (is_signed_juror(user, proposal.competition_id)
            and is_assigned(user.id, proposal.id)
            and not has_active_conflict(user.id, proposal.id))


def has_submitted_review(user_id: int, proposal_id: int) -> bool:
    """True when the juror's review of the proposal is submitted (and not reopened)."""
    return _memo(("submitted", user_id, proposal_id),
                 lambda: bool(db.session.scalar(select(_submitted_review(user_id, proposal_id)))))


def is_rapporteur(user_id: int, proposal_id: int) -> bool:
    """True when the user is the named rapporteur of the proposal's consensus report."""
    return _memo(("rapporteur", user_id, proposal_id),
                 lambda: bool(db.session.scalar(select(_rapporteur_of(user_id, proposal_id)))))


def can_see_other_reviews(user, proposal: Proposal) -> bool:
    """Other jurors' submitted reviews: admins always; jurors per the competition's visibility setting.

    The rapporteur always sees them, because summarising them is the rapporteur's task.
    """
    if not can_see_jury_work(user, proposal):
        return False
    if user.is_admin or is_rapporteur(user.id, proposal.id):
        return True
    mode = proposal.competition.other_reviews_visibility
    if mode == "always":
        return True
    return mode == "after_own" and has_submitted_review(user.id, proposal.id)


def can_be_rapporteur(user, proposal: Proposal) -> bool:
    """A rapporteur is a signed, non-conflicted juror of the proposal's competition."""
    return (user is not None and is_in_jury_pool(proposal)
            and is_signed_juror(user, proposal.competition_id)
            and not has_active_conflict(user.id, proposal.id))


def consensus_approver_ids(proposal: Proposal, rapporteur_id: int | None) -> set[int]:
    """Who approves a consensus report: active, non-conflicted jurors with a submitted review, not the rapporteur."""
    reviewers = set(db.session.scalars(
        select(Review.user_id)
        .join(JuryMembership, (JuryMembership.user_id == Review.user_id)
              & (JuryMembership.competition_id == proposal.competition_id))
        .where(Review.proposal_id == proposal.id, Review.status == "submitted", JuryMembership.status == "active")
    ))
    conflicted = set(db.session.scalars(
        select(Conflict.user_id).where(Conflict.proposal_id == proposal.id, Conflict.status == "active")
    ))
    return reviewers - conflicted - {rapporteur_id}


def can_edit_consensus(user, consensus: Consensus) -> bool:
    """Only the rapporteur drafts the consensus report, and only while it is a draft."""
    return (consensus.status == "draft" and consensus.rapporteur_id is not None
            and user is not None and user.is_authenticated and user.id == consensus.rapporteur_id
            and can_be_rapporteur(user, consensus.proposal))


def can_approve_consensus(user, consensus: Consensus) -> bool:
    """The jurors who reviewed the proposal approve a proposed consensus report."""
    return (consensus.status == "proposed" and user is not None and user.is_authenticated
            and can_see_jury_work(user, consensus.proposal)
            and user.id in consensus_approver_ids(consensus.proposal, consensus.rapporteur_id))


def holds_any_seat(user_id: int):
    """SQL condition: the user holds an active seat on any jury (navigation role)."""
    return select(JuryMembership.id).where(JuryMembership.user_id == user_id,
                                           JuryMembership.status == "active").exists()


register_nav_role("juror", holds_any_seat)


def can_see_jury_pool(user, competition_id: int) -> bool:
    """Only signed jurors see the list of proposals (titles, organisations) of the jury pool."""
    return is_signed_juror(user, competition_id)


def conflicts_review_pending(membership: JuryMembership) -> bool:
    """The juror still has to check the jury pool for conflicts: signed, not yet assigned, before consensus.

    Assignment follows the jurors' conflict declarations, so a juror without assignments in a
    competition still in pre-check or review is asked to look through the pool first.
    """
    if not membership.has_signed_declaration or membership.competition.phase not in ("precheck", "review"):
        return False
    return db.session.scalar(
        select(Assignment.id).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Assignment.user_id == membership.user_id, Proposal.competition_id == membership.competition_id)
        .limit(1)
    ) is None
