"""Assignment of reviewers: automatic (min-cost flow in assign.py), manual, and replacements.

Only jurors who signed the declaration are assigned (they have had the chance to declare
their conflicts), never one with an active conflict, and only while the competition is in
the review phase.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.extensions import db
from app.jury import assign
from app.jury.conflicts import detect_and_store_conflicts, jury_pool
from app.jury.membership import split_keywords
from app.jury.models import Assignment, Conflict, JuryMembership, Review
from app.jury.permissions import active_membership, has_active_conflict, is_in_jury_pool
from app.proposals.models import Proposal

ASSIGNMENT_PHASE = "review"
# Loads stay within ceil(P*k/J) + SLACK (METHOD.md, "Assignment of reviewers").
SLACK = 1


@dataclass(frozen=True)
class AutoAssignmentOutcome:
    """What an automatic assignment run did, for the admin's message."""

    created: list[Assignment]
    short: list[tuple[Proposal, int]]  # proposals that got fewer than k reviewers, with the number they got
    new_conflicts: int
    k: int
    full_panel: bool


def assignment_refusal(competition: Competition) -> str | None:
    """Why assignments cannot change now (translated), or None when they can."""
    if competition.phase != ASSIGNMENT_PHASE:
        return _l("Reviewers can only be assigned while the competition is in the review phase.")
    return None


def _check_phase(competition: Competition) -> None:
    refusal = assignment_refusal(competition)
    if refusal:
        raise DomainError(refusal)


def assignment_view(assignment: Assignment) -> dict[str, Any]:
    """The assignment fields recorded in the audit trail."""
    return {"proposal_id": assignment.proposal_id, "user_id": assignment.user_id, "source": assignment.source}


def signed_members(competition: Competition) -> list[JuryMembership]:
    """Active jurors who signed the declaration, with their accounts, by name."""
    return list(db.session.scalars(
        select(JuryMembership).join(User, User.id == JuryMembership.user_id)
        .where(JuryMembership.competition_id == competition.id, JuryMembership.status == "active",
               JuryMembership.declaration_signed_at.is_not(None))
        .options(selectinload(JuryMembership.user)).order_by(User.name, User.id)
    ))


def active_conflict_pairs(competition: Competition) -> set[tuple[int, int]]:
    """(juror id, proposal id) of every active conflict in the competition."""
    return set(db.session.execute(
        select(Conflict.user_id, Conflict.proposal_id).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.competition_id == competition.id, Conflict.status == "active")
    ).tuples())


def competition_assignments(competition: Competition) -> list[Assignment]:
    """Every assignment of the competition's proposals."""
    return list(db.session.scalars(
        select(Assignment).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Proposal.competition_id == competition.id).order_by(Assignment.proposal_id, Assignment.user_id)
    ))


def _as_juror(membership: JuryMembership) -> assign.Juror:
    return assign.Juror(id=membership.user_id, sectors=tuple(membership.sectors or ()),
                        keywords=tuple(split_keywords(membership.keywords)))


def _as_proposal(proposal: Proposal) -> assign.Proposal:
    return assign.Proposal(id=proposal.id, sectors=(proposal.sector,) if proposal.sector else (),
                           keywords=tuple(split_keywords(proposal.keywords)))


def _delete_assignment(assignment: Assignment, actor: User, reason: str) -> None:
    record_event("jury.assignment_removed", assignment, before=assignment_view(assignment),
                 after={"reason": reason}, actor=actor)
    db.session.delete(assignment)


def assign_automatically(competition: Competition, *, full_panel: bool, actor: User) -> AutoAssignmentOutcome:
    """Fill every proposal of the jury pool up to k reviewers, keeping the assignments already made.

    Conflict detection runs first, so that no pair it would flag is ever assigned.
    """
    _check_phase(competition)
    new_conflicts = detect_and_store_conflicts(competition, actor=actor)
    pool = jury_pool(competition)
    if not pool:
        raise DomainError(_l("No proposal is in the jury's pool yet."))
    members = signed_members(competition)
    if not members:
        raise DomainError(_l("No juror has signed the declaration yet, so nobody can be assigned."))
    k = competition.reviews_per_proposal
    juror_ids = {m.user_id for m in members}
    pool_ids = {p.id for p in pool}
    rows = [a for a in competition_assignments(competition) if a.proposal_id in pool_ids]
    # Assignments of former members stay as they are; the solver only plans for the current jury.
    existing = {(a.user_id, a.proposal_id): a for a in rows if a.user_id in juror_ids}
    result = assign.assign_reviewers(
        [_as_proposal(p) for p in pool], [_as_juror(m) for m in members],
        conflicts=active_conflict_pairs(competition), k=k, slack=SLACK, full_panel=full_panel,
        existing=list(existing),
    )
    for pair in result.dropped_existing:  # an assignment that has since become conflicted
        if pair in existing:
            _delete_assignment(existing[pair], actor, "conflict")
    created = []
    for juror_id, proposal_id in result.assignments:
        if (juror_id, proposal_id) not in existing:
            assignment = Assignment(proposal_id=proposal_id, user_id=juror_id, source="auto", created_by_id=actor.id)
            db.session.add(assignment)
            created.append(assignment)
    db.session.flush()
    by_id = {p.id: p for p in pool}
    short = [(by_id[pid], got) for pid, got in result.short.items()]
    record_event("jury.assigned_automatically", competition, actor=actor, after={
        "k": k, "full_panel": full_panel, "cap": result.cap,
        "created": [[a.user_id, a.proposal_id] for a in created],
        "dropped": [list(p) for p in result.dropped_existing],
        "short": {str(pid): got for pid, got in result.short.items()},
        "new_conflicts": len(new_conflicts),
    })
    return AutoAssignmentOutcome(created=created, short=short, new_conflicts=len(new_conflicts), k=k,
                                 full_panel=full_panel)


def add_assignment(proposal: Proposal, juror: User, *, actor: User) -> Assignment:
    """Assign one juror to one proposal by hand; conflicts and unsigned jurors are refused."""
    _check_phase(proposal.competition)
    if not is_in_jury_pool(proposal):
        raise DomainError(_l("This proposal is not in the jury's pool."))
    membership = active_membership(juror, proposal.competition_id)
    if membership is None:
        raise DomainError(_l("Please choose a member of this jury."), "user_id")
    if not membership.has_signed_declaration:
        raise DomainError(_l("%(name)s has not signed the declaration yet and cannot be assigned.",
                             name=juror.name), "user_id")
    if has_active_conflict(juror.id, proposal.id):
        raise DomainError(_l("%(name)s has a conflict of interest with this proposal and cannot be assigned.",
                             name=juror.name), "user_id")
    if db.session.scalar(select(Assignment.id).where(Assignment.proposal_id == proposal.id,
                                                     Assignment.user_id == juror.id)) is not None:
        raise DomainError(_l("%(name)s is already assigned to this proposal.", name=juror.name), "user_id")
    assignment = Assignment(proposal_id=proposal.id, user_id=juror.id, source="manual", created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event("jury.assignment_added", assignment, after=assignment_view(assignment), actor=actor)
    return assignment


def remove_assignment(assignment: Assignment, *, actor: User) -> None:
    """Take a reviewer off a proposal, unless their review is already submitted."""
    _check_phase(assignment.proposal.competition)
    submitted = db.session.scalar(select(Review.id).where(Review.proposal_id == assignment.proposal_id,
                                                          Review.user_id == assignment.user_id,
                                                          Review.status == "submitted"))
    if submitted is not None:
        raise DomainError(_l("%(name)s has already submitted the review of this proposal; the assignment stays.",
                             name=assignment.user.name))
    _delete_assignment(assignment, actor, "manual")
    db.session.flush()


def juror_loads(competition: Competition) -> Counter[int]:
    """How many proposals each juror is assigned to in the competition."""
    return Counter(dict(db.session.execute(
        select(Assignment.user_id, func.count(Assignment.id)).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Proposal.competition_id == competition.id).group_by(Assignment.user_id)
    ).tuples().all()))


def replace_reviewer(proposal: Proposal, *, actor: User) -> Assignment:
    """Add the best available juror to a proposal short of reviewers: lowest load first, then best match."""
    competition = proposal.competition
    _check_phase(competition)
    if not is_in_jury_pool(proposal):
        raise DomainError(_l("This proposal is not in the jury's pool."))
    members = signed_members(competition)
    assigned = set(db.session.scalars(select(Assignment.user_id).where(Assignment.proposal_id == proposal.id)))
    k = competition.reviews_per_proposal
    if len(assigned) >= k:
        raise DomainError(_l("This proposal already has %(k)s reviewers.", k=k))
    conflicted = {u for u, p in active_conflict_pairs(competition) if p == proposal.id}
    candidates = [m for m in members if m.user_id not in assigned and m.user_id not in conflicted]
    if not candidates:
        raise DomainError(_l("No further juror without a conflict of interest is available for this proposal."))
    loads = juror_loads(competition)
    lowest = min(loads[m.user_id] for m in candidates)
    least_loaded = [m for m in candidates if loads[m.user_id] == lowest]
    fixed = [m for m in members if m.user_id in assigned]
    existing = [(m.user_id, proposal.id) for m in fixed]
    result = assign.assign_reviewers([_as_proposal(proposal)], [_as_juror(m) for m in least_loaded + fixed],
                                     k=len(existing) + 1, slack=SLACK, existing=existing)
    new = [j for j, _p in result.assignments if (j, proposal.id) not in existing]
    if not new:  # cannot happen with a free candidate, but never store a guess
        raise DomainError(_l("No further juror without a conflict of interest is available for this proposal."))
    assignment = Assignment(proposal_id=proposal.id, user_id=new[0], source="auto", created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event("jury.reviewer_replaced", assignment, after={**assignment_view(assignment), "load_before": lowest},
                 actor=actor)
    return assignment
