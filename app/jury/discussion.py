"""The jury's discussion of a proposal: a thread for non-conflicted jurors and administrators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.extensions import db
from app.jury.membership import external_url
from app.jury.models import Assignment, Conflict, DiscussionPost, JuryMembership
from app.jury.pseudonyms import proposal_pseudonyms
from app.proposals.models import Proposal

# Jurors discuss while scoring, while agreeing consensus and up to the decision.
DISCUSSION_PHASES = ("review", "consensus", "decision")
MAX_POST = 10_000


def posts_of(proposal: Proposal) -> list[DiscussionPost]:
    """The thread, oldest first (callers check who may read it)."""
    return list(db.session.scalars(
        select(DiscussionPost).options(selectinload(DiscussionPost.author))
        .where(DiscussionPost.proposal_id == proposal.id).order_by(DiscussionPost.created_at, DiscussionPost.id)
    ))


def posting_refusal(proposal: Proposal) -> str | None:
    """Why nobody can post now (translated), or None."""
    if proposal.competition.phase not in DISCUSSION_PHASES:
        return _l("The discussion is open in the review, consensus and decision phases only.")
    return None


def jurors_to_notify(proposal: Proposal, author_id: int) -> list:
    """Jurors involved with the proposal (assigned or taking part), signed, active and not conflicted."""
    from app.accounts.models import User

    assigned = select(Assignment.user_id).where(Assignment.proposal_id == proposal.id)
    posted = select(DiscussionPost.author_id).where(DiscussionPost.proposal_id == proposal.id)
    conflicted = select(Conflict.user_id).where(Conflict.proposal_id == proposal.id, Conflict.status == "active")
    return list(db.session.scalars(
        select(User).join(JuryMembership, JuryMembership.user_id == User.id)
        .where(JuryMembership.competition_id == proposal.competition_id, JuryMembership.status == "active",
               JuryMembership.declaration_signed_at.is_not(None),
               User.id != author_id, User.id.not_in(conflicted),
               User.id.in_(assigned) | User.id.in_(posted))
        .order_by(User.id)
    ))


def add_post(proposal: Proposal, author, body: str) -> DiscussionPost:
    """Add a message to the thread; the other involved jurors get a mail (without the text)."""
    refusal = posting_refusal(proposal)
    if refusal:
        raise DomainError(refusal)
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Please write a message."), "body")
    if len(body) > MAX_POST:
        raise DomainError(_l("Please shorten the text to at most %(num)s characters.", num=MAX_POST), "body")
    recipients = jurors_to_notify(proposal, author.id)
    post = DiscussionPost(proposal_id=proposal.id, author_id=author.id, body=body)
    db.session.add(post)
    record_event("discussion.posted", post, after={"proposal_id": proposal.id, "body": body}, actor=author)
    # Mails name jurors by their letter, as the thread does; administrators by name.
    letter = proposal_pseudonyms(proposal).get(author.id)
    link = external_url("jury.discussion", proposal_id=proposal.id, _anchor=f"post-{post.id}")
    for juror in recipients:
        queue_mail(juror.email, "discussion_posted", juror.locale, user=juror, juror=juror, proposal=proposal,
                   author_letter=letter, author_name=author.name, link=link)
    return post
