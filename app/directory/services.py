"""Directory entries and their member companies: create, edit, publish, import partners, consent.

Each function checks its rule, changes the state, records an audit event and queues the mails
it needs; it flushes but never commits (the view does).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.contracts.services import external_url
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.decisions.models import Decision
from app.directory.display import safe_website
from app.directory.models import EXTERNAL_STATUSES, Network, NetworkMember, NetworkTechnologyField
from app.extensions import db
from app.proposals.models import Proposal

MAX_TECHNOLOGY_FIELDS = 12
MAX_TECHNOLOGY_LENGTH = 80
# Paths below /networks/ that are pages of their own, never a network's slug.
RESERVED_SLUGS = frozenset({"companies", "results", "new"})
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


# --- values ---------------------------------------------------------------------------------------


@dataclass
class OperatorDetails:
    """What the operator of a funded network may change on its public entry."""

    summary: str
    description: str = ""
    technology_fields: list[str] = field(default_factory=list)
    website: str = ""
    open_for_members: bool = False


@dataclass
class NetworkDetails(OperatorDetails):
    """Every field of a directory entry, as the administrator edits it."""

    name: str = ""
    sector: str = ""
    region: str = ""
    operator_name: str = ""
    contact_email: str = ""
    external_status: str = "active"


@dataclass
class MemberDetails:
    """A member company's public fields and its listing consent."""

    company_name: str
    town: str = ""
    sector: str = ""
    website: str = ""
    listed_consent: bool = False


def parse_technology_fields(text: str | None) -> list[str]:
    """Split "CAD, Simulation; Design" into distinct names; refuse too many or too long ones."""
    names: list[str] = []
    for raw in re.split(r"[,;\n]", text or ""):
        name = " ".join(raw.split())
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    if len(names) > MAX_TECHNOLOGY_FIELDS:
        raise DomainError(_l("Please name at most %(max)s technology fields.", max=MAX_TECHNOLOGY_FIELDS),
                          "technology_fields")
    if any(len(name) > MAX_TECHNOLOGY_LENGTH for name in names):
        raise DomainError(_l("A technology field may have at most %(max)s characters.", max=MAX_TECHNOLOGY_LENGTH),
                          "technology_fields")
    return names


def slugify(name: str) -> str:
    """A readable URL part: "Netzwerk Energie- und Umwelttechnik" -> "netzwerk-energie-und-umwelttechnik"."""
    text = name.lower()
    for umlaut, replacement in _UMLAUTS.items():
        text = text.replace(umlaut, replacement)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-") or "netzwerk"


def unique_slug(name: str) -> str:
    """A slug no other network has; it stays when the name changes, so links keep working."""
    base = slugify(name)
    if base in RESERVED_SLUGS:
        base = f"{base}-netzwerk"
    taken = set(db.session.scalars(select(Network.slug).where(Network.slug.like(f"{base}%"))))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# --- networks -------------------------------------------------------------------------------------


def _check_website(website: str, field_name: str = "website") -> str:
    website = (website or "").strip()
    if website and safe_website(website) is None:
        raise DomainError(_l("Please enter a web address starting with https:// or http://."), field_name)
    return website


def _set_technology_fields(network: Network, names: list[str]) -> None:
    network.technology_fields = [NetworkTechnologyField(position=i, name=name) for i, name in enumerate(names)]


def _apply_operator_details(network: Network, details: OperatorDetails) -> None:
    if not details.summary.strip():
        raise DomainError(_l("Please describe the network in one sentence."), "summary")
    network.summary = details.summary.strip()
    network.description = (details.description or "").strip()
    network.website = _check_website(details.website)
    network.open_for_members = bool(details.open_for_members)
    _set_technology_fields(network, details.technology_fields)


def _apply_details(network: Network, details: NetworkDetails) -> None:
    for name, label in (("name", _l("Please enter the name of the network.")),
                        ("sector", _l("Please enter the sector.")),
                        ("region", _l("Please enter the region.")),
                        ("operator_name", _l("Please enter the operating organisation."))):
        if not getattr(details, name).strip():
            raise DomainError(label, name)
    if details.external_status not in EXTERNAL_STATUSES:
        raise DomainError(_l("Unknown status."), "external_status")
    network.name = details.name.strip()
    network.sector = details.sector.strip()
    network.region = details.region.strip()
    network.operator_name = details.operator_name.strip()
    if not network.is_funded:  # funded networks take status and contact from the contract and the operator
        network.external_status = details.external_status
        network.contact_email = (details.contact_email or "").strip()
    _apply_operator_details(network, details)


def create_external_network(details: NetworkDetails, actor) -> Network:
    """Enter a network the funder did not fund (e.g. a regional cluster); unpublished at first."""
    network = Network(kind="external", slug=unique_slug(details.name or "netzwerk"), created_by_id=actor.id,
                      published=False)
    _apply_details(network, details)
    db.session.add(network)
    db.session.flush()
    record_event("network.created", network, after=network.audit_view(), actor=actor)
    return network


def awarded_decision(proposal: Proposal) -> Decision | None:
    """The proposal's decision when it is an award, else None."""
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    return decision if decision is not None and decision.outcome == "awarded" else None


def network_for_proposal(proposal_id: int) -> Network | None:
    """The directory entry made from a proposal, if any."""
    return db.session.scalar(select(Network).where(Network.proposal_id == proposal_id))


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence[:300]


def create_funded_network(proposal: Proposal, actor) -> Network:
    """Create the (unpublished) entry of an awarded proposal, prefilled from the proposal."""
    if awarded_decision(proposal) is None:
        raise DomainError(_l("Only awarded proposals become funded networks in the directory."))
    if network_for_proposal(proposal.id) is not None:
        raise DomainError(_l("This awarded proposal already has a directory entry."))
    network = Network(
        kind="funded", proposal=proposal, slug=unique_slug(proposal.network_name or proposal.title),
        name=proposal.network_name or proposal.title, sector=proposal.sector, region=proposal.lead_town,
        operator_name=proposal.lead_name, summary=_first_sentence(proposal.objectives) or proposal.title,
        description=proposal.objectives, created_by_id=actor.id, published=False, open_for_members=True)
    keywords = [k for k in re.split(r"[,;\n]", proposal.keywords or "") if k.strip()][:MAX_TECHNOLOGY_FIELDS]
    _set_technology_fields(network, parse_technology_fields(",".join(k[:MAX_TECHNOLOGY_LENGTH] for k in keywords)))
    db.session.add(network)
    db.session.flush()
    record_event("network.created", network, after=network.audit_view(), actor=actor)
    return network


def update_network(network: Network, details: NetworkDetails, actor) -> None:
    """The administrator edits every field of an entry."""
    before = network.audit_view()
    _apply_details(network, details)
    db.session.flush()
    record_event("network.updated", network, before=before, after=network.audit_view(), actor=actor)


def update_network_by_operator(network: Network, details: OperatorDetails, actor) -> None:
    """The operator edits description, technology fields, website and openness of their network."""
    before = network.audit_view()
    _apply_operator_details(network, details)
    db.session.flush()
    record_event("network.updated", network, before=before, after=network.audit_view(), actor=actor)


def set_published(network: Network, published: bool, actor) -> None:
    """Publish or withdraw an entry; the operator of a funded network is told when it goes online."""
    if network.published == published:
        return
    if published and not network.summary.strip():
        raise DomainError(_l("Please add a short description before publishing the network."))
    network.published = published
    if published:
        network.published_at = utcnow()
    record_event("network.published" if published else "network.unpublished", network,
                 before={"published": not published}, after={"published": published}, actor=actor)
    operator = network.proposal.applicant if network.is_funded and network.proposal else None
    if published and operator is not None and operator.active:
        queue_mail(operator.email, "network_published", operator.locale, user=operator, user_obj=operator,
                   network=network, link=external_url("directory.network", slug=network.slug),
                   manage_link=external_url("directory.operator_network", network_id=network.id))


# --- members --------------------------------------------------------------------------------------


def _apply_member(member: NetworkMember, details: MemberDetails, actor) -> None:
    if not details.company_name.strip():
        raise DomainError(_l("Please enter the company name."), "company_name")
    member.company_name = details.company_name.strip()
    member.town = (details.town or "").strip()
    member.sector = (details.sector or "").strip()
    member.website = _check_website(details.website)
    _set_consent(member, details.listed_consent, actor)


def _set_consent(member: NetworkMember, consent: bool, actor) -> None:
    if bool(member.listed_consent) != bool(consent) or member.consent_recorded_at is None:
        member.listed_consent = bool(consent)
        member.consent_recorded_at = utcnow()
        member.consent_recorded_by_id = actor.id if actor is not None else None


def add_member(network: Network, details: MemberDetails, actor) -> NetworkMember:
    """Add a member company by hand (listed only with the company's consent)."""
    member = NetworkMember(network=network, source="manual", joined_at=utcnow())
    _apply_member(member, details, actor)
    db.session.add(member)
    db.session.flush()
    record_event("network.member_added", member, after=member.audit_view(), actor=actor)
    return member


def update_member(member: NetworkMember, details: MemberDetails, actor) -> None:
    """Edit a member company's fields and its recorded listing consent."""
    before = member.audit_view()
    _apply_member(member, details, actor)
    db.session.flush()
    record_event("network.member_updated", member, before=before, after=member.audit_view(), actor=actor)


def remove_member(member: NetworkMember, actor) -> None:
    """Remove a member company from the network (the audit trail keeps what it was)."""
    before = member.audit_view()
    record_event("network.member_removed", member, before=before, actor=actor)
    db.session.delete(member)
    db.session.flush()


def set_member_consent(member: NetworkMember, consent: bool, actor) -> None:
    """Record that a member company agreed to be listed publicly, or withdrew that consent."""
    if bool(member.listed_consent) == bool(consent):
        return
    before = member.audit_view()
    _set_consent(member, consent, actor)
    record_event("network.member_consent_changed", member, before=before, after=member.audit_view(), actor=actor)


def import_partners(network: Network, actor) -> int:
    """Add the awarded proposal's partner companies as members (unlisted until they consent); return how many."""
    if not network.is_funded or network.proposal is None:
        raise DomainError(_l("Only funded networks have partners in a proposal."))
    proposal = db.session.scalar(select(Proposal).where(Proposal.id == network.proposal_id)
                                 .options(selectinload(Proposal.partners)))
    imported = set(db.session.scalars(select(NetworkMember.proposal_partner_id)
                                      .where(NetworkMember.network_id == network.id)))
    added = []
    for partner in proposal.partners:
        if partner.id in imported or not partner.organisation.strip():
            continue
        # Contact persons stay in the proposal: the directory lists companies, never people.
        added.append(NetworkMember(network=network, company_name=partner.organisation.strip(), town=partner.town,
                                   sector=partner.sector, source="proposal", proposal_partner_id=partner.id,
                                   listed_consent=False, joined_at=utcnow()))
    db.session.add_all(added)
    db.session.flush()
    if added:
        record_event("network.partners_imported", network,
                     after={"members": [m.company_name for m in added]}, actor=actor)
    return len(added)
