"""The formal pre-check (Vorprüfung) and reopening of submitted proposals by an administrator.

The pre-check states facts (each eligibility rule met or not) and gives a result with a
reason; it never scores (RPW practice). Only eligible proposals go to the jury, so entering
the review phase requires every submitted proposal to have a result.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel.speaklater import LazyString
from sqlalchemy import case, func, select

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.i18n import ngettext
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.proposals.models import ELIGIBILITY, Proposal

PRECHECK_PHASE = "precheck"
# Reopening is possible until the pre-check ends: afterwards the jury works on the snapshot.
REOPEN_PHASES = ("open", "precheck")


def precheck_view(proposal: Proposal) -> dict[str, Any]:
    """The pre-check fields as recorded in the audit trail."""
    return {
        "eligibility": proposal.eligibility,
        "eligibility_reason": proposal.eligibility_reason,
        "precheck_checklist": proposal.precheck_checklist,
        "prechecked_at": proposal.prechecked_at.isoformat() if proposal.prechecked_at else None,
        "prechecked_by_id": proposal.prechecked_by_id,
    }


def precheck_refusal(proposal: Proposal) -> str | None:
    """Why the proposal cannot be pre-checked now (a translated message), or None when it can."""
    if proposal.status != "submitted":
        return _l("Only submitted proposals can be pre-checked.")
    if proposal.competition.phase != PRECHECK_PHASE:
        return _l("The formal pre-check is only possible while the competition is in the pre-check phase.")
    return None


def record_precheck(proposal: Proposal, *, checklist: dict[str, bool], result: str, reason: str, actor) -> None:
    """Store the pre-check of a submitted proposal: checklist, result and reason, audited."""
    refusal = precheck_refusal(proposal)
    if refusal:
        raise DomainError(refusal)
    if result not in ELIGIBILITY:
        raise DomainError(_l("Please choose a result."), "result")
    rules = proposal.competition.eligibility_rule_list()
    unanswered = [rule for rule in rules if rule not in checklist]
    if unanswered:
        raise DomainError(_l("Please answer every rule of the checklist."))
    reason = (reason or "").strip()
    if result == "not_eligible" and not reason:
        raise DomainError(_l("Please give the reason why the proposal is not eligible."), "reason")
    if result == "eligible" and not all(checklist[rule] for rule in rules) and not reason:
        raise DomainError(_l("A rule is not met: please explain why the proposal is eligible nonetheless."),
                          "reason")
    before = precheck_view(proposal)
    proposal.precheck_checklist = {rule: bool(checklist[rule]) for rule in rules}
    proposal.eligibility = result
    proposal.eligibility_reason = reason
    proposal.prechecked_at = utcnow()
    proposal.prechecked_by_id = actor.id
    record_event("proposal.prechecked", proposal, before=before, after=precheck_view(proposal), actor=actor)


def reopen_refusal(proposal: Proposal) -> str | None:
    """Why the proposal cannot be reopened now (a translated message), or None when it can."""
    if proposal.status != "submitted":
        return _l("Only submitted proposals can be reopened.")
    if proposal.competition.phase not in REOPEN_PHASES:
        return _l("Proposals can only be reopened until the formal pre-check has ended.")
    return None


def reopen_proposal(proposal: Proposal, *, reason: str, actor) -> None:
    """Return a submitted proposal to draft so the applicant can correct it; tell them why."""
    refusal = reopen_refusal(proposal)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason")
    before = {"status": proposal.status, **precheck_view(proposal)}
    proposal.status = "draft"
    proposal.reopened_at = utcnow()
    # The changed proposal will be submitted again; an earlier pre-check would no longer fit it.
    proposal.eligibility = None
    proposal.eligibility_reason = ""
    proposal.precheck_checklist = None
    proposal.prechecked_at = None
    proposal.prechecked_by_id = None
    record_event("proposal.reopened", proposal, before=before,
                 after={"status": proposal.status, "reason": reason, "reopened_at": proposal.reopened_at.isoformat()},
                 actor=actor)
    applicant = proposal.applicant
    queue_mail(applicant.email, "proposal_reopened", applicant.locale, user=applicant, user_obj=applicant,
               proposal=proposal, reason=reason, link=_external_url("proposals.detail", proposal_id=proposal.id))


def _external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, honouring BASE_URL behind a proxy."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def precheck_progress(competition: Competition) -> dict[str, int]:
    """Counts of submitted proposals: total, eligible, not eligible, still without a result."""
    row = db.session.execute(
        select(
            func.count(Proposal.id),
            func.count(case((Proposal.eligibility == "eligible", 1))),
            func.count(case((Proposal.eligibility == "not_eligible", 1))),
        ).where(Proposal.competition_id == competition.id, Proposal.status == "submitted")
    ).one()
    submitted, eligible, not_eligible = row
    return {"submitted": submitted, "eligible": eligible, "not_eligible": not_eligible,
            "pending": submitted - eligible - not_eligible}


def review_requirement(competition: Competition) -> list:
    """The jury only starts when every submitted proposal is pre-checked and one is eligible."""
    progress = precheck_progress(competition)
    problems: list = []
    pending = progress["pending"]
    if pending:
        # Translated when shown (the plural form needs the count; pybabel sees the ngettext call).
        problems.append(LazyString(lambda: ngettext("%(num)s submitted proposal has no pre-check result yet.",
                                                    "%(num)s submitted proposals have no pre-check result yet.",
                                                    pending)))
    if not progress["eligible"]:
        problems.append(_l("No submitted proposal has been found eligible in the formal pre-check."))
    return problems


