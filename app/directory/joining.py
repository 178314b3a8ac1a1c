"""Join requests: a registered company asks to join a network, the operator accepts or declines.

Both sides hear of it by mail: the operator when a request arrives, the company when it is
decided. Accepting creates the member company, listed only if the company agreed to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.contracts.services import external_url
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.directory.display import safe_website
from app.directory.models import JoinRequest, Network, NetworkMember
from app.extensions import db


@dataclass
class JoinDetails:
    """What a company tells the operator when it asks to join."""

    company_name: str
    town: str = ""
    sector: str = ""
    website: str = ""
    message: str = ""
    listing_consent: bool = False


def pending_request(network: Network, user) -> JoinRequest | None:
    """The user's open request to this network, if any."""
    return db.session.scalar(select(JoinRequest).where(JoinRequest.network_id == network.id,
                                                       JoinRequest.user_id == user.id,
                                                       JoinRequest.status == "pending"))


def is_member(network: Network, user) -> bool:
    """True when the user's company is already a member of the network."""
    return db.session.scalar(select(NetworkMember.id).where(NetworkMember.network_id == network.id,
                                                            NetworkMember.user_id == user.id)) is not None


def request_to_join(network: Network, user, details: JoinDetails) -> JoinRequest:
    """Ask to join an open network; the operator is told by mail."""
    if not network.accepts_join_requests:
        raise DomainError(_l("This network does not take join requests at the moment."))
    if network.is_operated_by(user):
        raise DomainError(_l("You operate this network yourself."))
    if is_member(network, user):
        raise DomainError(_l("Your company is already a member of this network."))
    if pending_request(network, user) is not None:
        raise DomainError(_l("You have already asked to join this network; the operator will answer soon."))
    if not details.company_name.strip():
        raise DomainError(_l("Please enter the company name."), "company_name")
    website = (details.website or "").strip()
    if website and safe_website(website) is None:
        raise DomainError(_l("Please enter a web address starting with https:// or http://."), "website")
    join_request = JoinRequest(network=network, user_id=user.id, company_name=details.company_name.strip(),
                               town=details.town.strip(), sector=details.sector.strip(), website=website,
                               message=(details.message or "").strip(), listing_consent=bool(details.listing_consent),
                               status="pending")
    db.session.add(join_request)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the partial unique index: the same request sent twice at once
        raise DomainError(_l("You have already asked to join this network; the operator will answer soon.")) from exc
    record_event("network.join_requested", join_request, after=join_request.audit_view(), actor=user)
    operator = network.proposal.applicant
    queue_mail(operator.email, "join_requested", operator.locale, user=operator, user_obj=operator,
               network=network, join_request=join_request,
               link=external_url("directory.operator_join_request", network_id=network.id,
                                 request_id=join_request.id))
    return join_request


def _check_pending(join_request: JoinRequest) -> None:
    if join_request.status != "pending":
        raise DomainError(_l("This join request has already been answered."))


def _mail_company(join_request: JoinRequest, template: str) -> None:
    company = join_request.user
    queue_mail(company.email, template, company.locale, user=company, user_obj=company,
               network=join_request.network, join_request=join_request,
               network_link=external_url("directory.network", slug=join_request.network.slug),
               link=external_url("directory.my_networks"))


def accept_join_request(join_request: JoinRequest, message: str, actor) -> NetworkMember:
    """Accept: the company becomes a member (listed publicly only with its consent)."""
    _check_pending(join_request)
    now = utcnow()
    member = NetworkMember(
        network=join_request.network, company_name=join_request.company_name, town=join_request.town,
        sector=join_request.sector, website=join_request.website, source="join_request",
        user_id=join_request.user_id, joined_at=now, listed_consent=join_request.listing_consent,
        consent_recorded_at=now, consent_recorded_by_id=join_request.user_id)
    db.session.add(member)
    db.session.flush()
    before = join_request.audit_view()
    join_request.status, join_request.decided_at, join_request.decided_by_id = "accepted", now, actor.id
    join_request.response_message = (message or "").strip()
    join_request.member = member
    db.session.flush()
    record_event("network.member_added", member, after=member.audit_view(), actor=actor)
    record_event("network.join_accepted", join_request, before=before, after=join_request.audit_view(), actor=actor)
    _mail_company(join_request, "join_accepted")
    return member


def decline_join_request(join_request: JoinRequest, message: str, actor) -> None:
    """Decline with a message the company reads in the mail."""
    _check_pending(join_request)
    message = (message or "").strip()
    if not message:
        raise DomainError(_l("Please tell the company why you decline; they will read your message."),
                          "response_message")
    before = join_request.audit_view()
    join_request.status, join_request.decided_at, join_request.decided_by_id = "declined", utcnow(), actor.id
    join_request.response_message = message
    record_event("network.join_declined", join_request, before=before, after=join_request.audit_view(), actor=actor)
    _mail_company(join_request, "join_declined")
