"""Conflicts of interest: declared by jurors, set and lifted by admins, detected automatically.

An active conflict removes the juror's assignment for that proposal at once; their review,
if any, stays stored but no longer counts (app/ranking/data.score_rows filters it out) and
the juror sees nothing more of that proposal (app/jury/permissions.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.time import utcnow
from app.extensions import db
from app.jury import conflict_detection as detection
from app.jury.models import Assignment, Conflict, JuryMembership
from app.jury.permissions import active_membership, is_in_jury_pool
from app.proposals.models import Proposal

REASON_DECLARED = "declared"
REASON_ADMIN = "admin"


def conflict_view(conflict: Conflict) -> dict[str, Any]:
    """The conflict fields recorded in the audit trail.

    A detected conflict is recorded by its findings, which the audit page shows as sentences in
    the reader's language; its English reason text says the same and stays on the conflict row.
    """
    return {
        "proposal_id": conflict.proposal_id, "user_id": conflict.user_id, "source": conflict.source,
        "reason_code": conflict.reason_code, "reason": "" if conflict.findings else conflict.reason,
        "status": conflict.status, "lift_reason": conflict.lift_reason, "findings": conflict.findings,
    }


def find_conflict(proposal_id: int, user_id: int) -> Conflict | None:
    """The conflict row of a juror and a proposal, active or lifted (there is at most one)."""
    return db.session.scalar(select(Conflict).where(Conflict.proposal_id == proposal_id,
                                                    Conflict.user_id == user_id))


def jury_pool(competition: Competition) -> list[Proposal]:
    """The proposals that went to the jury, with their partners loaded, by receipt number."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id, Proposal.in_jury_pool)
        .options(selectinload(Proposal.partners), selectinload(Proposal.applicant))
        .order_by(Proposal.receipt_number, Proposal.id)
    ))


def _drop_assignment(conflict: Conflict, actor: User | None) -> bool:
    """Remove the juror's assignment for the conflicted proposal; True when there was one."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.proposal_id == conflict.proposal_id,
                                                            Assignment.user_id == conflict.user_id))
    if assignment is None:
        return False
    before = {"proposal_id": assignment.proposal_id, "user_id": assignment.user_id, "source": assignment.source}
    record_event("jury.assignment_removed", assignment, before=before,
                 after={"reason": "conflict", "conflict_id": conflict.id}, actor=actor)
    db.session.delete(assignment)
    db.session.flush()
    return True


def _activate(proposal: Proposal, user: User, *, source: str, reason_code: str, reason: str, actor: User | None,
              action: str, findings: list[dict[str, Any]] | None = None) -> tuple[Conflict, bool]:
    """Create the conflict, or re-activate a lifted one, audit it and drop the assignment."""
    conflict = find_conflict(proposal.id, user.id)
    if conflict is not None and conflict.is_active:
        raise DomainError(_l("This conflict of interest is already recorded."))
    before = conflict_view(conflict) if conflict is not None else None
    if conflict is None:
        conflict = Conflict(proposal_id=proposal.id, user_id=user.id)
        db.session.add(conflict)
    conflict.source = source
    conflict.reason_code = reason_code
    conflict.reason = reason
    conflict.findings = findings
    conflict.status = "active"
    conflict.created_at = utcnow()
    conflict.created_by_id = actor.id if actor is not None else None
    conflict.lifted_at = None
    conflict.lifted_by_id = None
    conflict.lift_reason = ""
    db.session.flush()
    record_event(action, conflict, before=before, after=conflict_view(conflict), actor=actor)
    return conflict, _drop_assignment(conflict, actor)


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason")
    return reason


def declare_conflict(juror: User, proposal: Proposal, *, reason: str) -> tuple[Conflict, bool]:
    """A signed juror declares a conflict with a proposal of the jury pool; True when an assignment went."""
    membership = active_membership(juror, proposal.competition_id)
    if membership is None or not membership.has_signed_declaration:
        raise DomainError(_l("Please sign the declaration first."))
    if not is_in_jury_pool(proposal):
        raise DomainError(_l("This proposal is not in the jury's pool."))
    return _activate(proposal, juror, source="declared", reason_code=REASON_DECLARED,
                     reason=_required_reason(reason), actor=juror, action="jury.conflict_declared")


def add_conflict(proposal: Proposal, juror: User, *, reason: str, actor: User) -> tuple[Conflict, bool]:
    """An admin records a conflict between a juror of the competition and a proposal."""
    if active_membership(juror, proposal.competition_id) is None:
        raise DomainError(_l("Please choose a member of this jury."), "user_id")
    return _activate(proposal, juror, source="admin", reason_code=REASON_ADMIN, reason=_required_reason(reason),
                     actor=actor, action="jury.conflict_added")


def lift_conflict(conflict: Conflict, *, reason: str, actor: User) -> None:
    """An admin lifts a conflict with a reason; the juror may then be assigned again."""
    if not conflict.is_active:
        raise DomainError(_l("This conflict has already been lifted."))
    reason = _required_reason(reason)
    before = conflict_view(conflict)
    conflict.status = "lifted"
    conflict.lifted_at = utcnow()
    conflict.lifted_by_id = actor.id
    conflict.lift_reason = reason
    record_event("jury.conflict_lifted", conflict, before=before, after=conflict_view(conflict), actor=actor)


def _juror_info(user: User) -> detection.JurorInfo:
    return detection.JurorInfo(id=user.id, name=user.name, email=user.email, organisation=user.organisation)


def _proposal_info(proposal: Proposal) -> detection.ProposalInfo:
    partners = [detection.PartnerInfo(organisation=p.organisation,
                                      contact_names=[p.contact_name] if p.contact_name else [],
                                      contact_emails=[p.contact_email] if p.contact_email else [])
                for p in proposal.partners]
    applicant = proposal.applicant
    emails = [e for e in (proposal.lead_contact_email, applicant.email if applicant else "") if e]
    names = [n for n in (proposal.lead_contact_name, applicant.name if applicant else "") if n]
    return detection.ProposalInfo(id=proposal.id, lead_organisation=proposal.lead_name, contact_emails=emails,
                                  partners=partners, contact_names=names)


def detect_and_store_conflicts(competition: Competition, *, actor: User | None) -> list[Conflict]:
    """Run conflict detection over the jury × jury pool and store new pairs as 'detected'.

    A pair that already has a conflict row is left alone: in particular a conflict an
    admin lifted is never detected again.
    """
    members = db.session.scalars(
        select(JuryMembership).where(JuryMembership.competition_id == competition.id,
                                     JuryMembership.status == "active")
        .options(selectinload(JuryMembership.user))
    ).all()
    pool = jury_pool(competition)
    found = detection.detect_conflicts([_juror_info(m.user) for m in members], [_proposal_info(p) for p in pool])
    by_pair: dict[tuple[int, int], list[detection.DetectedConflict]] = defaultdict(list)
    for item in found:
        by_pair[(int(item.juror_id), int(item.proposal_id))].append(item)
    known = set(db.session.execute(
        select(Conflict.user_id, Conflict.proposal_id).join(Proposal, Proposal.id == Conflict.proposal_id)
        .where(Proposal.competition_id == competition.id)
    ).tuples())
    users = {m.user_id: m.user for m in members}
    proposals = {p.id: p for p in pool}
    created: list[Conflict] = []
    for (user_id, proposal_id), items in sorted(by_pair.items()):
        if (user_id, proposal_id) in known:
            continue
        conflict, _dropped = _activate(
            proposals[proposal_id], users[user_id], source="detected", reason_code=items[0].reason,
            reason="; ".join(f"{i.reason}: {i.detail}" for i in items), actor=actor, action="jury.conflict_detected",
            findings=[f.as_record() for i in items for f in i.findings])
        created.append(conflict)
    record_event("jury.conflict_detection_run", competition, actor=actor,
                 after={"jurors": len(members), "proposals": len(pool), "new_conflicts": len(created)})
    return created


@dataclass(frozen=True)
class ProposedConflict:
    """A conflict detection finds between one juror and one proposal, not recorded yet."""

    proposal: Proposal
    reason_codes: tuple[str, ...]
    reason: str


def _applications(competition: Competition) -> list[Proposal]:
    """The competition's proposals that are not withdrawn (drafts too), with partners and applicant."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id, Proposal.status != "withdrawn")
        .options(selectinload(Proposal.partners), selectinload(Proposal.applicant))
        .order_by(Proposal.receipt_number.nulls_last(), Proposal.id)
    ))


def proposed_conflicts(competition: Competition, user: User) -> list[ProposedConflict]:
    """What detection finds between a (newly appointed) juror and every application of the competition.

    Drafts count as well: at appointment the pool does not exist yet, and a conflict known early keeps
    the juror from ever being assigned. Pairs with a conflict row (active or lifted) are left out.
    """
    proposals = {p.id: p for p in _applications(competition)}
    found = detection.detect_conflicts([_juror_info(user)], [_proposal_info(p) for p in proposals.values()])
    by_proposal: dict[int, list[detection.DetectedConflict]] = defaultdict(list)
    for item in found:
        by_proposal[int(item.proposal_id)].append(item)
    known = set(db.session.scalars(select(Conflict.proposal_id).where(Conflict.user_id == user.id,
                                                                      Conflict.proposal_id.in_(by_proposal))))
    return [ProposedConflict(proposal=proposals[pid], reason_codes=tuple(i.reason for i in items),
                             reason="; ".join(f"{i.reason}: {i.detail}" for i in items))
            for pid, items in by_proposal.items() if pid not in known]


def record_proposed_conflicts(competition: Competition, user: User, proposal_ids: set[int], *,
                              actor: User) -> list[Conflict]:
    """Record the proposed conflicts the administrator confirmed, as detected conflicts (audited)."""
    if active_membership(user, competition.id) is None:
        raise DomainError(_l("Please choose a member of this jury."))
    chosen = [p for p in proposed_conflicts(competition, user) if p.proposal.id in proposal_ids]
    if not chosen:
        raise DomainError(_l("Please select at least one conflict to record."))
    return [_activate(p.proposal, user, source="detected", reason_code=p.reason_codes[0], reason=p.reason,
                      actor=actor, action="jury.conflict_detected")[0] for p in chosen]
