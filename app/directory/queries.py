"""Read side of the operator and administration pages of the directory (fixed statement counts)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.decisions.models import Decision
from app.directory.models import ContactMessage, JoinRequest, Network, NetworkMember, ResultsPost
from app.extensions import db
from app.proposals.models import Proposal

CONTACT_MESSAGES_PER_PAGE = 50


def load_managed_network(network_id: int) -> Network | None:
    """A network with everything its management page shows: all members, posts and join requests."""
    return db.session.scalar(
        select(Network).where(Network.id == network_id).options(
            joinedload(Network.proposal).joinedload(Proposal.applicant),
            selectinload(Network.technology_fields),
            selectinload(Network.members),
            selectinload(Network.posts),
            selectinload(Network.join_requests).joinedload(JoinRequest.user),
        ))


def operated_networks(user) -> list[Network]:
    """The funded networks the user operates as the awarded applicant."""
    return list(db.session.scalars(
        select(Network).join(Proposal, Proposal.id == Network.proposal_id)
        .where(Proposal.applicant_id == user.id)
        .options(joinedload(Network.proposal), selectinload(Network.join_requests), selectinload(Network.posts))
        .order_by(Network.name)).unique())


def own_join_requests(user) -> list[JoinRequest]:
    """The user's join requests, newest first, with their networks."""
    return list(db.session.scalars(
        select(JoinRequest).where(JoinRequest.user_id == user.id)
        .options(joinedload(JoinRequest.network)).order_by(JoinRequest.created_at.desc(), JoinRequest.id.desc())))


def own_memberships(user) -> list[NetworkMember]:
    """The member entries of the user's company (joined through a request)."""
    return list(db.session.scalars(
        select(NetworkMember).where(NetworkMember.user_id == user.id)
        .options(joinedload(NetworkMember.network)).order_by(NetworkMember.joined_at.desc())))


def all_networks() -> list[Network]:
    """Every directory entry for the administration, by name."""
    return list(db.session.scalars(
        select(Network).options(joinedload(Network.proposal)).order_by(func.lower(Network.name), Network.id)))


def member_counts() -> dict[int, tuple[int, int]]:
    """{network id: (members, listed members)} in one statement."""
    listed = func.sum(case((NetworkMember.listed_consent.is_(True), 1), else_=0))
    rows = db.session.execute(select(NetworkMember.network_id, func.count(NetworkMember.id), listed)
                              .group_by(NetworkMember.network_id))
    return {network_id: (total, int(listed_count or 0)) for network_id, total, listed_count in rows}


def submitted_post_counts() -> dict[int, int]:
    """{network id: posts awaiting approval} in one statement."""
    rows = db.session.execute(select(ResultsPost.network_id, func.count(ResultsPost.id))
                              .where(ResultsPost.status == "submitted").group_by(ResultsPost.network_id))
    return dict(rows.tuples().all())


def awarded_proposals_without_entry() -> list[Proposal]:
    """Awarded proposals that have no directory entry yet."""
    return list(db.session.scalars(
        select(Proposal).join(Decision, Decision.proposal_id == Proposal.id)
        .outerjoin(Network, Network.proposal_id == Proposal.id)
        .where(Decision.outcome == "awarded", Network.id.is_(None))
        .options(joinedload(Proposal.competition)).order_by(Proposal.network_name, Proposal.id)))


def posts_for_review() -> tuple[list[ResultsPost], list[ResultsPost]]:
    """(posts awaiting approval, the 20 most recently decided) with their networks."""
    options = (joinedload(ResultsPost.network), joinedload(ResultsPost.author))
    waiting = db.session.scalars(select(ResultsPost).where(ResultsPost.status == "submitted")
                                 .options(*options).order_by(ResultsPost.submitted_at, ResultsPost.id)).all()
    decided = db.session.scalars(select(ResultsPost).where(ResultsPost.status.in_(("approved", "rejected")))
                                 .options(*options, joinedload(ResultsPost.decided_by))
                                 .order_by(ResultsPost.decided_at.desc(), ResultsPost.id.desc()).limit(20)).all()
    return list(waiting), list(decided)


def load_post(post_id: int) -> ResultsPost | None:
    """A results post with its network and author."""
    return db.session.scalar(select(ResultsPost).where(ResultsPost.id == post_id).options(
        joinedload(ResultsPost.network).joinedload(Network.proposal), joinedload(ResultsPost.author)))


def contact_messages_page(page: int):
    """Contact messages newest first, with network and delivery status (metadata only is shown)."""
    query = (select(ContactMessage).options(joinedload(ContactMessage.network),
                                            joinedload(ContactMessage.outbox_message))
             .order_by(ContactMessage.created_at.desc(), ContactMessage.id.desc()))
    return db.paginate(query, page=page, per_page=CONTACT_MESSAGES_PER_PAGE, error_out=False)
