"""Results posts: the operator writes (draft), submits, and the funding office approves or returns them.

Only approved posts of published networks are public. An approved post is not edited any
more; the operator writes a new one instead, so what was published stays on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.accounts.models import User
from app.contracts.services import external_url
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.directory.models import POST_EDITABLE_STATUSES, Network, ResultsPost
from app.extensions import db


@dataclass
class PostDetails:
    """What a results post says."""

    title: str
    body: str
    event_date: date | None = None


def _apply(post: ResultsPost, details: PostDetails) -> None:
    if not details.title.strip():
        raise DomainError(_l("Please give the post a title."), "title")
    if not details.body.strip():
        raise DomainError(_l("Please write the text of the post."), "body")
    post.title = details.title.strip()
    post.body = details.body.strip()
    post.event_date = details.event_date


def create_post(network: Network, details: PostDetails, actor, *, submit: bool = False) -> ResultsPost:
    """Write a new results post as a draft (and submit it at once when asked)."""
    post = ResultsPost(network=network, status="draft", author_id=actor.id)
    _apply(post, details)
    db.session.add(post)
    db.session.flush()
    record_event("network.post_created", post, after=post.audit_view(), actor=actor)
    if submit:
        submit_post(post, actor)
    return post


def update_post(post: ResultsPost, details: PostDetails, actor, *, submit: bool = False) -> None:
    """Edit a draft or returned post (and submit it when asked)."""
    if post.status not in POST_EDITABLE_STATUSES:
        raise DomainError(_l("This post has already been submitted and can no longer be changed."))
    before = post.audit_view()
    _apply(post, details)
    db.session.flush()
    record_event("network.post_updated", post, before=before, after=post.audit_view(), actor=actor)
    if submit:
        submit_post(post, actor)


def _reviewers(network: Network) -> list[User]:
    """Who approves posts: the administrator who created the entry, else every active administrator."""
    creator = network.created_by
    if creator is not None and creator.active and creator.is_admin:
        return [creator]
    return list(db.session.scalars(select(User).where(User.is_admin.is_(True), User.active.is_(True))
                                   .order_by(User.id)))


def submit_post(post: ResultsPost, actor) -> None:
    """Send a post to the funding office for approval."""
    if post.status not in POST_EDITABLE_STATUSES:
        raise DomainError(_l("This post has already been submitted."))
    before = post.audit_view()
    post.status, post.submitted_at = "submitted", utcnow()
    record_event("network.post_submitted", post, before=before, after=post.audit_view(), actor=actor)
    link = external_url("directory.admin_post", post_id=post.id)
    for admin in _reviewers(post.network):
        queue_mail(admin.email, "network_post_submitted", admin.locale, user=admin, user_obj=admin, post=post,
                   network=post.network, link=link)


def _check_submitted(post: ResultsPost) -> None:
    if post.status != "submitted":
        raise DomainError(_l("Only submitted posts can be approved or returned."))


def _mail_operator(post: ResultsPost, template: str) -> None:
    network = post.network
    operator = network.proposal.applicant if network.is_funded and network.proposal else None
    if operator is None or not operator.active:
        return
    queue_mail(operator.email, template, operator.locale, user=operator, user_obj=operator, post=post,
               network=network, link=external_url("directory.operator_network", network_id=network.id))


def approve_post(post: ResultsPost, actor) -> None:
    """Approve a submitted post: it appears on the network page (once the network is published)."""
    _check_submitted(post)
    before = post.audit_view()
    now = utcnow()
    post.status, post.decided_at, post.decided_by_id, post.approved_at = "approved", now, actor.id, now
    post.rejection_reason = ""
    record_event("network.post_approved", post, before=before, after=post.audit_view(), actor=actor)
    _mail_operator(post, "network_post_approved")


def reject_post(post: ResultsPost, reason: str, actor) -> None:
    """Return a submitted post to the operator with a reason they read by mail and on their page."""
    _check_submitted(post)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give the reason; the operator will read it."), "reason")
    before = post.audit_view()
    post.status, post.decided_at, post.decided_by_id = "rejected", utcnow(), actor.id
    post.rejection_reason = reason
    record_event("network.post_rejected", post, before=before, after=post.audit_view(), actor=actor)
    _mail_operator(post, "network_post_rejected")
