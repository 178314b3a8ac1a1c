"""Consensus reports: the admin names a rapporteur, who drafts and proposes; the reviewers approve.

Once approved (by every juror who reviewed the proposal, or confirmed by an admin), the agreed
scores are the proposal's scores in the ranking (METHOD.md, method 6); the individual reviews
stay visible beside them. Entering the decision phase needs an approved consensus for every
proposal flagged for disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.jury.membership import external_url
from app.jury.models import (
    Assignment,
    Conflict,
    Consensus,
    ConsensusApproval,
    ConsensusScore,
    JuryMembership,
    Review,
)
from app.jury.permissions import can_be_rapporteur, consensus_approver_ids, is_in_jury_pool
from app.jury.progress import contested_proposal_ids
from app.jury.scoring import MAX_TEXT, parse_score
from app.proposals.models import Proposal

# Consensus is agreed while scoring runs and in the consensus phase; the decision uses it as it is.
CONSENSUS_PHASES = ("review", "consensus")


@dataclass(frozen=True)
class ConsensusEntry:
    """The rapporteur's agreed score, comment and minority view of one criterion."""

    criterion_id: int
    value: str | None
    comment: str
    minority_view: str


class ConsensusIncomplete(DomainError):
    """Proposing needs an agreed score and comment per criterion and the report; `fields` names each gap."""

    def __init__(self, message, fields: dict[str, Any]):
        super().__init__(message)
        self.fields = fields


def consensus_of(proposal_id: int) -> Consensus | None:
    """The proposal's consensus report with scores and approvals, if one has been started."""
    return db.session.scalar(
        select(Consensus).options(selectinload(Consensus.scores), selectinload(Consensus.approvals))
        .where(Consensus.proposal_id == proposal_id)
    )


def consensus_view(consensus: Consensus) -> dict[str, Any]:
    """The report as plain JSON for the audit trail."""
    return {
        "status": consensus.status, "version": consensus.version, "rapporteur_id": consensus.rapporteur_id,
        "report": consensus.report, "minority_view": consensus.minority_view,
        "scores": [{"criterion_id": s.criterion_id, "value": None if s.value is None else str(s.value),
                    "comment": s.comment, "minority_view": s.minority_view}
                   for s in sorted(consensus.scores, key=lambda s: s.criterion_id)],
    }


def phase_refusal(competition: Competition) -> str | None:
    """Why consensus work is not possible in the competition's current phase, or None."""
    if competition.phase not in CONSENSUS_PHASES:
        return _l("Consensus reports can only be worked on in the review and consensus phases.")
    return None


def _conflict_message():
    return _l("The consensus report was changed elsewhere after you opened it. Nothing was overwritten: "
              "please reload the page.")


def _claim_version(consensus: Consensus, expected_version: int | None) -> None:
    """Move the report to its next version only if nobody else changed it in between."""
    if expected_version is None or expected_version != consensus.version:
        raise DomainError(_conflict_message())
    result = db.session.execute(
        update(Consensus).where(Consensus.id == consensus.id, Consensus.version == expected_version)
        .values(version=expected_version + 1).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(_conflict_message())
    set_committed_value(consensus, "version", expected_version + 1)


def _text(value: str, field: str) -> str:
    value = value or ""
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Please shorten the text to at most %(num)s characters.", num=MAX_TEXT), field)
    return value


def _jurors(user_ids) -> list:
    from app.accounts.models import User

    ids = [i for i in user_ids if i is not None]
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))) if ids else []


def _mail_jurors(users, template: str, consensus: Consensus) -> None:
    link = external_url("jury.consensus", proposal_id=consensus.proposal_id)
    for user in users:
        queue_mail(user.email, template, user.locale, user=user, juror=user, proposal=consensus.proposal,
                   link=link)


def user_names(user_ids) -> dict[int, str]:
    """Names of the given users, for administrators' pages."""
    return {user.id: user.name for user in _jurors(user_ids)}


# --- the rapporteur ---------------------------------------------------------------------------


def rapporteur_candidates(proposal: Proposal) -> list:
    """Signed, active jurors of the competition without a conflict with the proposal; reviewers first."""
    from app.accounts.models import User

    conflicted = select(Conflict.user_id).where(Conflict.proposal_id == proposal.id, Conflict.status == "active")
    reviewed = set(db.session.scalars(
        select(Review.user_id).where(Review.proposal_id == proposal.id, Review.status == "submitted")
    ))
    users = db.session.scalars(
        select(User).join(JuryMembership, JuryMembership.user_id == User.id)
        .where(JuryMembership.competition_id == proposal.competition_id, JuryMembership.status == "active",
               JuryMembership.declaration_signed_at.is_not(None), User.id.not_in(conflicted))
        .order_by(User.name)
    ).all()
    return sorted(users, key=lambda user: user.id not in reviewed)



def name_rapporteur(proposal: Proposal, rapporteur, *, actor) -> Consensus:
    """Name (or change) the rapporteur of a proposal's consensus report; audited, the rapporteur is mailed."""
    refusal = phase_refusal(proposal.competition)
    if refusal:
        raise DomainError(refusal)
    if not is_in_jury_pool(proposal):
        raise DomainError(_l("Only proposals that went to the jury get a consensus report."))
    if rapporteur is None or not can_be_rapporteur(rapporteur, proposal):
        raise DomainError(_l("The rapporteur must be a juror of this competition who has signed the declaration "
                             "and has no conflict of interest with this proposal."), "rapporteur_id")
    consensus = consensus_of(proposal.id)
    if consensus is not None and consensus.is_approved:
        raise DomainError(_l("The consensus report is already approved."))
    before = None if consensus is None else {"rapporteur_id": consensus.rapporteur_id}
    if consensus is None:
        consensus = Consensus(proposal_id=proposal.id, status="draft", version=1, report="", minority_view="")
        consensus.proposal = proposal
        db.session.add(consensus)
    elif consensus.rapporteur_id == rapporteur.id:
        return consensus
    else:
        consensus.version += 1  # an edit form opened by the previous rapporteur must not save any more
    consensus.rapporteur_id = rapporteur.id
    consensus.rapporteur = rapporteur
    record_event("consensus.rapporteur_named", consensus, before=before,
                 after={"rapporteur_id": rapporteur.id, "proposal_id": proposal.id}, actor=actor)
    _mail_jurors([rapporteur], "consensus_rapporteur", consensus)
    return consensus


# --- drafting and proposing -------------------------------------------------------------------


def missing_parts(consensus: Consensus, competition: Competition) -> dict[str, Any]:
    """Field name -> message for everything a proposed report still lacks."""
    gaps: dict[str, Any] = {}
    scores = {s.criterion_id: s for s in consensus.scores}
    for criterion in competition.criteria:
        score = scores.get(criterion.id)
        if score is None or score.value is None:
            gaps[f"value_{criterion.id}"] = _l("Please give the agreed score.")
        if score is None or not score.comment.strip():
            gaps[f"comment_{criterion.id}"] = _l("Please comment on the agreed score.")
    if not consensus.report.strip():
        gaps["report"] = _l("Please write the consensus report.")
    return gaps


def pending_reviewer_count(proposal: Proposal) -> int:
    """Assigned, non-conflicted jurors whose review of the proposal is not submitted yet."""
    conflicted = select(Conflict.user_id).where(Conflict.proposal_id == proposal.id, Conflict.status == "active")
    submitted = select(Review.user_id).where(Review.proposal_id == proposal.id, Review.status == "submitted")
    return db.session.scalar(
        select(func.count(Assignment.id)).where(Assignment.proposal_id == proposal.id,
                                                Assignment.user_id.not_in(conflicted),
                                                Assignment.user_id.not_in(submitted))
    ) or 0


def save_consensus(consensus: Consensus, *, entries: list[ConsensusEntry], report: str, minority_view: str,
                   expected_version: int | None, propose: bool, actor) -> None:
    """The rapporteur saves the draft report; with propose it goes to the reviewers for approval."""
    proposal = consensus.proposal
    competition = proposal.competition
    refusal = phase_refusal(competition)
    if refusal:
        raise DomainError(refusal)
    if consensus.status != "draft":
        raise DomainError(_l("The consensus report has already been proposed and can no longer be edited."))
    before = consensus_view(consensus)
    _claim_version(consensus, expected_version)
    criteria = {c.id for c in competition.criteria}
    scores = {s.criterion_id: s for s in consensus.scores}
    for entry in entries:
        if entry.criterion_id not in criteria:
            raise DomainError(_l("The form does not match the competition's criteria. Please reload the page."))
        score = scores.get(entry.criterion_id)
        if score is None:
            score = ConsensusScore(criterion_id=entry.criterion_id)
            consensus.scores.append(score)
        score.value = parse_score(competition, entry.value, f"value_{entry.criterion_id}")
        score.comment = _text(entry.comment, f"comment_{entry.criterion_id}")
        score.minority_view = _text(entry.minority_view, f"minority_{entry.criterion_id}")
    consensus.report = _text(report, "report")
    consensus.minority_view = _text(minority_view, "minority_view")
    consensus.updated_at = utcnow()
    record_event("consensus.saved", consensus, before=before, after=consensus_view(consensus), actor=actor)
    if propose:
        _propose(consensus, competition, actor)


def _propose(consensus: Consensus, competition: Competition, actor) -> None:
    gaps = missing_parts(consensus, competition)
    if gaps:
        raise ConsensusIncomplete(_l("The report needs an agreed score and a comment for every criterion and the "
                                     "report text before it can be proposed."), gaps)
    proposal = consensus.proposal
    pending = pending_reviewer_count(proposal)
    if pending:
        raise DomainError(LazyString(lambda: ngettext(
            "%(num)s assigned juror has not submitted a review yet; the consensus can be proposed afterwards.",
            "%(num)s assigned jurors have not submitted their reviews yet; the consensus can be proposed afterwards.",
            pending)))
    consensus.status = "proposed"
    consensus.proposed_at = utcnow()
    record_event("consensus.proposed", consensus, before={"status": "draft"},
                 after={"status": "proposed", "version": consensus.version}, actor=actor)
    approvers = consensus_approver_ids(proposal, consensus.rapporteur_id)
    if not approvers:
        _approve(consensus, actor, confirmed_by_admin=False)
        return
    _mail_jurors(_jurors(approvers), "consensus_proposed", consensus)


def revise_consensus(consensus: Consensus, *, actor) -> None:
    """The rapporteur takes a proposed report back to draft; approvals given so far lapse."""
    refusal = phase_refusal(consensus.proposal.competition)
    if refusal:
        raise DomainError(refusal)
    if consensus.status != "proposed":
        raise DomainError(_l("Only a proposed consensus report can be taken back for revision."))
    lapsed = sorted(a.user_id for a in consensus.approvals)
    consensus.approvals.clear()
    consensus.status = "draft"
    consensus.proposed_at = None
    consensus.version += 1
    record_event("consensus.revised", consensus, before={"status": "proposed", "approved_by": lapsed},
                 after={"status": "draft", "version": consensus.version}, actor=actor)


# --- approving ---------------------------------------------------------------------------------


def approve_consensus(consensus: Consensus, user, *, expected_version: int | None) -> None:
    """A reviewer approves the proposed report they saw; the last approval makes it the agreed result."""
    refusal = phase_refusal(consensus.proposal.competition)
    if refusal:
        raise DomainError(refusal)
    # Serialise approvals of one report, so that the last two cannot both miss each other.
    db.session.refresh(consensus, with_for_update=True)
    if consensus.status != "proposed":
        raise DomainError(_l("This consensus report is not waiting for approval."))
    if expected_version != consensus.version:
        raise DomainError(_conflict_message())
    required = consensus_approver_ids(consensus.proposal, consensus.rapporteur_id)
    if user.id not in required:
        raise DomainError(_l("Only the jurors who reviewed this proposal approve its consensus report."))
    if any(a.user_id == user.id for a in consensus.approvals):
        raise DomainError(_l("You have already approved this consensus report."))
    consensus.approvals.append(ConsensusApproval(user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:  # a double click raced this one; the caller rolls back
        raise DomainError(_l("You have already approved this consensus report.")) from None
    record_event("consensus.approval_given", consensus, after={"user_id": user.id, "version": consensus.version},
                 actor=user)
    if required <= {a.user_id for a in consensus.approvals}:
        _approve(consensus, user, confirmed_by_admin=False)


def confirm_consensus(consensus: Consensus, *, actor) -> None:
    """An administrator confirms a proposed report without waiting for every approval."""
    refusal = phase_refusal(consensus.proposal.competition)
    if refusal:
        raise DomainError(refusal)
    if consensus.status != "proposed":
        raise DomainError(_l("Only a proposed consensus report can be confirmed."))
    _approve(consensus, actor, confirmed_by_admin=True)


def _approve(consensus: Consensus, actor, *, confirmed_by_admin: bool) -> None:
    consensus.status = "approved"
    consensus.approved_at = utcnow()
    consensus.version += 1
    record_event("consensus.approved", consensus, before={"status": "proposed"},
                 after={**consensus_view(consensus), "confirmed_by_admin": confirmed_by_admin,
                        "approved_by": sorted(a.user_id for a in consensus.approvals)}, actor=actor)
    involved = consensus_approver_ids(consensus.proposal, consensus.rapporteur_id) | {consensus.rapporteur_id}
    _mail_jurors(_jurors(involved), "consensus_approved", consensus)


# --- the decision phase ------------------------------------------------------------------------


def approved_proposal_ids(competition_id: int) -> set[int]:
    """Proposals of the competition whose consensus report is approved."""
    return set(db.session.scalars(
        select(Consensus.proposal_id).join(Proposal, Proposal.id == Consensus.proposal_id)
        .where(Proposal.competition_id == competition_id, Consensus.status == "approved")
    ))


def decision_requirement(competition: Competition) -> list:
    """The jury decides only once every contested proposal has an approved consensus report."""
    missing = contested_proposal_ids(competition) - approved_proposal_ids(competition.id)
    if not missing:
        return []
    receipts = ", ".join(db.session.scalars(
        select(func.coalesce(Proposal.receipt_number, Proposal.network_name)).where(Proposal.id.in_(missing))
        .order_by(Proposal.receipt_number)
    ))
    count = len(missing)
    return [LazyString(lambda: ngettext(
        "%(num)s proposal flagged for disagreement has no approved consensus report yet (%(list)s).",
        "%(num)s proposals flagged for disagreement have no approved consensus report yet (%(list)s).",
        count, list=receipts))]




# --- the administrator's overview --------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """One pool proposal on the consensus overview."""

    proposal: Proposal
    assigned: int
    submitted: int
    contested: bool
    consensus: Consensus | None


def overview(competition: Competition) -> list[OverviewRow]:
    """Every pool proposal with its review counts, disagreement flag and consensus report."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id, Proposal.in_jury_pool)
        .order_by(Proposal.receipt_number, Proposal.id)
    ).all()
    ids = [p.id for p in proposals]
    assigned = dict(db.session.execute(
        select(Assignment.proposal_id, func.count(Assignment.id)).where(Assignment.proposal_id.in_(ids))
        .group_by(Assignment.proposal_id)
    ).all())
    submitted = dict(db.session.execute(
        select(Review.proposal_id, func.count(Review.id))
        .where(Review.proposal_id.in_(ids), Review.status == "submitted").group_by(Review.proposal_id)
    ).all())
    reports = {c.proposal_id: c for c in db.session.scalars(
        select(Consensus).options(selectinload(Consensus.rapporteur)).where(Consensus.proposal_id.in_(ids))
    )}
    contested = contested_proposal_ids(competition)
    return [OverviewRow(p, assigned.get(p.id, 0), submitted.get(p.id, 0), p.id in contested, reports.get(p.id))
            for p in proposals]
