"""Jury membership: appointing and removing jurors, their expertise and signed declaration."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import exists, select

from app.accounts.models import User
from app.accounts.services import find_user_by_email, invite_user
from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.jury.models import Assignment, JuryMembership, Review
from app.proposals.models import Proposal

# After the decision the jury's work is done; its composition is part of the record.
MEMBERSHIP_CLOSED_FROM = "decision"

_KEYWORD_SPLIT = re.compile(r"[,;\n]+")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, from a request, the command line or the demo loader alike."""
    base = current_app.config.get("BASE_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    # Cron and the demo loader run without a request: build the link against BASE_URL.
    with current_app.test_request_context(base_url=base or "http://localhost:5000"):
        return url_for(endpoint, _external=True, **values)


def split_keywords(text: str) -> list[str]:
    """Keywords as typed ("Leichtbau, Logistik; KI") as a clean list without duplicates."""
    seen: dict[str, str] = {}
    for part in _KEYWORD_SPLIT.split(text or ""):
        word = " ".join(part.split())
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return list(seen.values())


def membership_view(membership: JuryMembership) -> dict[str, Any]:
    """The membership fields recorded in the audit trail."""
    return {
        "competition_id": membership.competition_id, "user_id": membership.user_id, "status": membership.status,
        "sectors": list(membership.sectors or []), "keywords": membership.keywords,
        "declaration_signed_at": (membership.declaration_signed_at.isoformat()
                                  if membership.declaration_signed_at else None),
    }


def membership_refusal(competition: Competition) -> str | None:
    """Why the jury's composition cannot change now (translated), or None when it can."""
    if competition.phase_at_least(MEMBERSHIP_CLOSED_FROM):
        return _l("The jury can no longer be changed once the decision phase has started.")
    return None


def find_membership(competition: Competition, user: User) -> JuryMembership | None:
    """The user's membership row in the competition's jury, active or removed."""
    return db.session.scalar(select(JuryMembership).where(JuryMembership.competition_id == competition.id,
                                                          JuryMembership.user_id == user.id))


def appoint_juror(competition: Competition, *, email: str, name: str, organisation: str, locale: str,
                  actor: User) -> JuryMembership:
    """Make a person a juror: an existing account by email, or a new one by invitation; mail them."""
    refusal = membership_refusal(competition)
    if refusal:
        raise DomainError(refusal)
    user = find_user_by_email(email)
    if user is None:
        if not (name or "").strip():
            raise DomainError(_l("There is no account with this email address yet. Please give the person's "
                                 "name so that they can be invited."), "name")
        user = invite_user(email=email, name=name, organisation=organisation, locale=locale, inviter=actor)
    elif not user.active:
        raise DomainError(_l("This account is deactivated and cannot join the jury."), "email")
    membership = find_membership(competition, user)
    if membership is not None and membership.status == "active":
        raise DomainError(_l("%(name)s is already a member of this jury.", name=user.name), "email")
    if has_applied(competition, user):
        raise DomainError(_l("%(name)s has submitted or started a proposal in this competition and cannot judge "
                             "it.", name=user.name), "email")
    before = membership_view(membership) if membership is not None else None
    if membership is None:
        membership = JuryMembership(competition_id=competition.id, user_id=user.id, sectors=[], keywords="")
        db.session.add(membership)
    membership.status = "active"
    membership.invited_at = utcnow()
    membership.invited_by_id = actor.id
    membership.user = user
    db.session.flush()
    record_event("jury.member_appointed", membership, before=before, after=membership_view(membership), actor=actor)
    queue_mail(user.email, "jury_appointed", user.locale, user=user, user_obj=user, competition=competition,
               dashboard_link=external_url("jury.dashboard"),
               declaration_link=external_url("jury.declaration", competition_id=competition.id))
    return membership


def remove_member(membership: JuryMembership, *, actor: User) -> list[int]:
    """Take a juror off the jury; their assignments without a submitted review go. Returns those proposals."""
    refusal = membership_refusal(membership.competition)
    if refusal:
        raise DomainError(refusal)
    if membership.status != "active":
        raise DomainError(_l("This person is no longer a member of the jury."))
    before = membership_view(membership)
    submitted = select(Review.id).where(Review.proposal_id == Assignment.proposal_id,
                                        Review.user_id == Assignment.user_id, Review.status == "submitted")
    open_assignments = db.session.scalars(
        select(Assignment).join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Assignment.user_id == membership.user_id, Proposal.competition_id == membership.competition_id,
               ~submitted.exists())
        .order_by(Assignment.proposal_id)
    ).all()
    removed = [a.proposal_id for a in open_assignments]
    for assignment in open_assignments:
        db.session.delete(assignment)
    membership.status = "removed"
    db.session.flush()
    record_event("jury.member_removed", membership, before=before,
                 after={**membership_view(membership), "removed_assignments": removed}, actor=actor)
    return removed


def save_expertise(membership: JuryMembership, *, sectors: list[str], keywords: str, actor: User) -> None:
    """Store the juror's sectors (from the call's list) and keywords, used to match proposals."""
    allowed = list(membership.competition.sectors or [])
    unknown = [s for s in sectors if s not in allowed]
    if unknown:
        raise DomainError(_l("Please choose sectors from the list."), "sectors")
    cleaned = ", ".join(split_keywords(keywords))
    if len(cleaned) > 300:
        raise DomainError(_l("The keywords are too long (at most 300 characters)."), "keywords")
    before = membership_view(membership)
    membership.sectors = [s for s in allowed if s in sectors]  # the call's order, no duplicates
    membership.keywords = cleaned
    record_event("jury.expertise_saved", membership, before=before, after=membership_view(membership), actor=actor)


def sign_declaration(membership: JuryMembership, *, actor: User) -> None:
    """Record that the juror signed the confidentiality and impartiality declaration."""
    if membership.status != "active":
        raise DomainError(_l("Only active members of the jury can sign the declaration."))
    if membership.has_signed_declaration:
        raise DomainError(_l("You have already signed the declaration."))
    before = membership_view(membership)
    membership.declaration_signed_at = utcnow()
    record_event("jury.declaration_signed", membership, before=before, after=membership_view(membership),
                 actor=actor)


def has_applied(competition: Competition, user: User) -> bool:
    """True when the user has a proposal in the competition that is not withdrawn."""
    return db.session.scalar(select(exists().where(Proposal.competition_id == competition.id,
                                                   Proposal.applicant_id == user.id,
                                                   Proposal.status != "withdrawn"))) or False


def juror_application_refusal(competition: Competition, user) -> str | None:
    """Jurors may not apply in the competition they judge (registered with the proposals package)."""
    membership = find_membership(competition, user)
    if membership is not None and membership.status == "active":
        return _l("You are a member of the jury of this competition and therefore cannot apply in it.")
    return None

