"""Open data: the public directory as CSV and JSON, with exactly the fields the pages show publicly.

Published networks only, with their listed member companies and approved results posts.
No operator account, contact address, unlisted member, draft or contact message ever appears.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import current_app
from sqlalchemy.orm import selectinload

from app.contracts.operations import OPERATION_FIELDS, Operation, cents_to_euros, operations_for_proposals
from app.core.i18n import gettext as _
from app.core.time import utcnow
from app.directory.models import Network, NetworkMember, ResultsPost
from app.directory.search import DirectoryFilters, filtered_networks
from app.extensions import db
from app.ranking.exports import neutralise_formula

LICENCE = {
    "id": "dl-de/by-2-0",
    "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "url": "https://www.govdata.de/dl-de/by-2-0",
}
NETWORK_FIELDS = ("id", "slug", "name", "kind", "status", "sector", "technology_fields", "region", "operator",
                  "summary", "description", "website", "open_for_members", "published_at", "url",
                  "funded_amount_eur", "eu_share_eur")
MEMBER_FIELDS = ("company_name", "town", "sector", "website", "joined_on")
RESULT_FIELDS = ("title", "event_date", "text", "published_at")
CSV_FIELDS = (*NETWORK_FIELDS, "listed_members", "results")
CSV_SEPARATOR = "; "


def public_networks(filters: DirectoryFilters | None = None) -> list[Network]:
    """Published networks (matching the filters) with listed members and approved posts, in three statements."""
    query = filtered_networks(filters or DirectoryFilters()).options(
        selectinload(Network.technology_fields),
        selectinload(Network.members.and_(NetworkMember.listed_consent.is_(True))),
        selectinload(Network.posts.and_(ResultsPost.status == "approved")),
    )
    return list(db.session.scalars(query))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def funding_by_network(networks: list[Network]) -> dict[int, Operation]:
    """Each funded network's line of the list of operations (its contract's amount and EU share)."""
    by_proposal = operations_for_proposals([n.proposal_id for n in networks if n.proposal_id is not None])
    return {n.id: by_proposal[n.proposal_id] for n in networks if n.proposal_id in by_proposal}


def network_record(network: Network, url: str, operation: Operation | None = None) -> dict[str, Any]:
    """A network's public fields; a funded network with a contract adds its funded amount and EU share."""
    return {
        "id": network.id, "slug": network.slug, "name": network.name, "kind": network.kind,
        "status": network.status, "sector": network.sector, "technology_fields": network.technology_names,
        "region": network.region, "operator": network.operator_name, "summary": network.summary,
        "description": network.description, "website": network.website,
        "open_for_members": network.open_for_members, "published_at": _iso(network.published_at), "url": url,
        "funded_amount_eur": cents_to_euros(operation.total_cost_cents) if operation else None,
        "eu_share_eur": cents_to_euros(operation.union_amount_cents) if operation else None,
    }


def member_record(member: NetworkMember) -> dict[str, Any]:
    """A listed member company's public fields."""
    return {"company_name": member.company_name, "town": member.town, "sector": member.sector,
            "website": member.website, "joined_on": _iso(member.joined_at.date())}


def result_record(post: ResultsPost) -> dict[str, Any]:
    """An approved results post's public fields."""
    return {"title": post.title, "event_date": _iso(post.event_date), "text": post.body,
            "published_at": _iso(post.approved_at)}


def _listed(network: Network) -> list[NetworkMember]:
    return [m for m in network.members if m.listed_consent]


def _approved(network: Network) -> list[ResultsPost]:
    return sorted((p for p in network.posts if p.status == "approved"), key=lambda p: (p.approved_at, p.id))


def directory_json(networks: list[Network], url_for_network, source_url: str) -> dict[str, Any]:
    """The JSON document: metadata with the licence, then the networks with members and results."""
    publisher = current_app.config.get("OPEN_DATA_PUBLISHER") or _("Ideas competition for business networks")
    funding = funding_by_network(networks)
    return {
        "metadata": {
            "title": _("Network directory"),
            "publisher": publisher,
            "licence": {**LICENCE, "attribution": _("Source: %(publisher)s, network directory",
                                                    publisher=publisher)},
            "source": source_url,
            "generated_at": utcnow().isoformat(),
            "count": len(networks),
            "fields": {"network": list(NETWORK_FIELDS), "member": list(MEMBER_FIELDS),
                       "result": list(RESULT_FIELDS)},
        },
        "networks": [
            {**network_record(n, url_for_network(n), funding.get(n.id)),
             "members": [member_record(m) for m in _listed(n)],
             "results": [result_record(p) for p in _approved(n)]}
            for n in networks
        ],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = CSV_SEPARATOR.join(value)
    return neutralise_formula(str(value))


def directory_csv(networks: list[Network], url_for_network) -> str:
    """One row per network; listed members and result titles joined with "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    funding = funding_by_network(networks)
    for network in networks:
        record = network_record(network, url_for_network(network), funding.get(network.id))
        record["listed_members"] = [m.company_name for m in _listed(network)]
        record["results"] = [p.title for p in _approved(network)]
        writer.writerow([_cell(record[name]) for name in CSV_FIELDS])
    return buffer.getvalue()


def _publisher() -> str:
    return current_app.config.get("OPEN_DATA_PUBLISHER") or _("Ideas competition for business networks")


def operations_licence() -> dict[str, str]:
    """The directory's open data licence with the attribution for the list of operations."""
    return {**LICENCE, "attribution": _("Source: %(publisher)s, list of operations", publisher=_publisher())}


def operations_json(operations: list[Operation], last_changed, source_url: str) -> dict[str, Any]:
    """The EU list of operations as JSON: metadata with the licence and the date of the last change, then the rows."""
    return {
        "metadata": {
            "title": _("List of operations (Regulation (EU) 2021/1060, Article 49(3))"),
            "publisher": _publisher(),
            "licence": operations_licence(),
            "source": source_url,
            "last_changed": last_changed.isoformat() if last_changed else None,
            "generated_at": utcnow().isoformat(),
            "count": len(operations),
            "fields": list(OPERATION_FIELDS),
        },
        "operations": [o.record() for o in operations],
    }


def operations_csv(operations: list[Operation]) -> str:
    """The EU list of operations as CSV, one row per operation, with the field names as header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(OPERATION_FIELDS)
    for operation in operations:
        record = operation.record()
        writer.writerow([_cell(record[name]) for name in OPERATION_FIELDS])
    return buffer.getvalue()
