"""Read side of the public directory: search and filters, network pages, listed companies.

Every page issues a fixed number of statements however many networks, members or posts
exist: children are loaded with selectinload (restricted to what the public may see) and a
funded network's contract status arrives in the same row as the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import defer, joinedload, selectinload

from app.directory.models import (
    NETWORK_KINDS,
    NETWORK_STATUSES,
    Network,
    NetworkMember,
    NetworkTechnologyField,
    ResultsPost,
)
from app.extensions import db

NETWORKS_PER_PAGE = 20
COMPANIES_PER_PAGE = 50
MAX_TERM = 100


@dataclass(frozen=True)
class DirectoryFilters:
    """The visitor's search: free text and exact filters (empty means no filter)."""

    q: str = ""
    sector: str = ""
    technology: str = ""
    region: str = ""
    status: str = ""
    kind: str = ""

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return any((self.q, self.sector, self.technology, self.region, self.status, self.kind))


def _term(args: Mapping[str, str], name: str) -> str:
    return (args.get(name) or "").strip()[:MAX_TERM]


def parse_filters(args: Mapping[str, str]) -> DirectoryFilters:
    """Read the filters from query arguments; unknown status or kind values are ignored."""
    status = _term(args, "status")
    kind = _term(args, "kind")
    return DirectoryFilters(
        q=_term(args, "q"), sector=_term(args, "sector"), technology=_term(args, "technology"),
        region=_term(args, "region"), status=status if status in NETWORK_STATUSES else "",
        kind=kind if kind in NETWORK_KINDS else "")


def like_pattern(text: str) -> str:
    """A case-insensitive LIKE pattern for a search term (wildcards typed by users are literal)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _published() -> Select:
    return select(Network).where(Network.published.is_(True))


def filtered_networks(filters: DirectoryFilters) -> Select:
    """Published networks matching the filters, ordered by name."""
    query = _published()
    if filters.q:
        pattern = like_pattern(filters.q)
        field_matches = exists().where(NetworkTechnologyField.network_id == Network.id,
                                       func.lower(NetworkTechnologyField.name).like(pattern, escape="\\"))
        query = query.where(or_(func.lower(Network.name).like(pattern, escape="\\"),
                                func.lower(Network.summary).like(pattern, escape="\\"),
                                func.lower(Network.description).like(pattern, escape="\\"),
                                field_matches))
    if filters.sector:
        query = query.where(Network.sector == filters.sector)
    if filters.region:
        query = query.where(Network.region == filters.region)
    if filters.technology:
        query = query.where(exists().where(NetworkTechnologyField.network_id == Network.id,
                                           func.lower(NetworkTechnologyField.name) == filters.technology.lower()))
    if filters.status:
        query = query.where(Network.status == filters.status)
    if filters.kind:
        query = query.where(Network.kind == filters.kind)
    return query.order_by(func.lower(Network.name), Network.id)


def search_page(filters: DirectoryFilters, page: int):
    """One page of matching published networks (without their long descriptions, which the list omits)."""
    query = filtered_networks(filters).options(defer(Network.description))
    return db.paginate(query, page=page, per_page=NETWORKS_PER_PAGE, error_out=False)


@dataclass(frozen=True)
class PageDetails:
    """What the result list shows besides the networks themselves."""

    technology_names: dict[int, list[str]]  # network id -> technology fields in their order
    member_counts: dict[int, int]  # network id -> number of listed members


def _page_details_statement():
    """Technology fields and listed-member counts of the networks in the bound list `network_ids`.

    A field's row carries its name and position; a network's member count comes in a row without a name.
    """
    network_ids = bindparam("network_ids", expanding=True)
    fields = (select(NetworkTechnologyField.network_id, NetworkTechnologyField.name,
                     NetworkTechnologyField.position.label("number"), NetworkTechnologyField.id)
              .where(NetworkTechnologyField.network_id.in_(network_ids)))
    members = (select(NetworkMember.network_id, cast(null(), String), func.count(NetworkMember.id),
                      cast(null(), Integer))
               .where(NetworkMember.network_id.in_(network_ids), NetworkMember.listed_consent.is_(True))
               .group_by(NetworkMember.network_id))
    return union_all(fields, members)


def page_details(network_ids: list[int]) -> PageDetails:
    """Technology fields and listed-member counts of a page of networks, in one statement."""
    if not network_ids:
        return PageDetails(technology_names={}, member_counts={})
    found: dict[int, list[tuple[int, int, str]]] = {}
    counts: dict[int, int] = {}
    for network_id, name, number, field_id in db.session.execute(_page_details_statement(),
                                                                  {"network_ids": network_ids}):
        if name is None:
            counts[network_id] = number
        else:
            found.setdefault(network_id, []).append((number, field_id, name))
    names = {network_id: [name for _, _, name in sorted(rows)] for network_id, rows in found.items()}
    return PageDetails(technology_names=names, member_counts=counts)


@dataclass(frozen=True)
class FilterChoices:
    """The values the directory's filters offer: those that occur in published networks."""

    sectors: list[str]
    technologies: list[str]
    regions: list[str]


def _filter_choices_statement():
    """(kind, value) of every distinct sector, region and technology field of published networks, sorted."""
    published = Network.published.is_(True)
    sectors = select(literal_column("'sector'").label("kind"), Network.sector.label("value")).where(
        published, Network.sector != "")
    regions = select(literal_column("'region'"), Network.region).where(published, Network.region != "")
    technologies = (select(literal_column("'technology'"), NetworkTechnologyField.name)
                    .join(Network, Network.id == NetworkTechnologyField.network_id).where(published))
    # UNION drops duplicates; the database sorts the values as it sorted each list before.
    choices = union(sectors, regions, technologies).subquery()
    return select(choices.c.kind, choices.c.value).order_by(choices.c.kind, choices.c.value)


def filter_choices() -> FilterChoices:
    """Distinct sectors, technology fields and regions of published networks (one statement)."""
    found: dict[str, list[str]] = {"sector": [], "region": [], "technology": []}
    for kind, value in db.session.execute(_filter_choices_statement()):
        found[kind].append(value)
    return FilterChoices(sectors=found["sector"], technologies=found["technology"], regions=found["region"])


def load_public_network(slug: str) -> Network | None:
    """A network by slug with its listed members and approved posts (not checking publication)."""
    return db.session.scalar(
        select(Network).where(Network.slug == slug).options(
            joinedload(Network.proposal),
            selectinload(Network.technology_fields),
            selectinload(Network.members.and_(NetworkMember.listed_consent.is_(True))),
            selectinload(Network.posts.and_(ResultsPost.status == "approved")),
        ))


def approved_posts(network: Network) -> list[ResultsPost]:
    """The network's approved posts, newest event first (posts without a date by approval)."""
    posts = [post for post in network.posts if post.status == "approved"]
    return sorted(posts, key=lambda p: (p.event_date or p.approved_at.date(), p.id), reverse=True)


# --- companies ------------------------------------------------------------------------------


@dataclass
class ListedCompany:
    """A listed member company with the published networks it belongs to."""

    name: str
    towns: list[str]
    sectors: list[str]
    website: str
    networks: list[Network]


def _listed_members(q: str) -> Select:
    query = (select(NetworkMember).join(Network, Network.id == NetworkMember.network_id)
             .where(Network.published.is_(True), NetworkMember.listed_consent.is_(True)))
    if q:
        pattern = like_pattern(q)
        query = query.where(or_(func.lower(NetworkMember.company_name).like(pattern, escape="\\"),
                                func.lower(NetworkMember.town).like(pattern, escape="\\"),
                                func.lower(NetworkMember.sector).like(pattern, escape="\\")))
    return query


def companies_page(q: str, page: int):
    """One page of listed companies (grouped by name) and their networks, in three statements."""
    key = func.lower(NetworkMember.company_name)
    names = (_listed_members(q).with_only_columns(key.label("company_key")).group_by(key).order_by(key))
    pagination = db.paginate(names, page=page, per_page=COMPANIES_PER_PAGE, error_out=False)
    keys = list(pagination.items)
    members = db.session.scalars(
        _listed_members(q).where(key.in_(keys))
        .options(joinedload(NetworkMember.network))
        .order_by(key, func.lower(Network.name))).all() if keys else []
    companies: dict[str, ListedCompany] = {}
    for member in members:
        company = companies.setdefault(member.company_name.lower(), ListedCompany(
            name=member.company_name, towns=[], sectors=[], website="", networks=[]))
        if member.town and member.town not in company.towns:
            company.towns.append(member.town)
        if member.sector and member.sector not in company.sectors:
            company.sectors.append(member.sector)
        company.website = company.website or member.website
        company.networks.append(member.network)
    return pagination, [companies[k] for k in keys if k in companies]
