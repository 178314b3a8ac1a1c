"""Queries behind the admin proposal list and its exports: filters, search and counts.

Every function issues a fixed number of statements whatever the number of proposals, so
the list page and the exports never fall into N+1 queries.
"""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.extensions import db
from app.proposals.admin_forms import ProposalFilters
from app.proposals.models import Proposal, ProposalPartner


def _like_pattern(text: str) -> str:
    """A case-insensitive LIKE pattern; % and _ typed by the user match themselves."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered_proposals(competition: Competition, filters: ProposalFilters) -> Select:
    """The competition's proposals matching the filters, submitted first in receipt order."""
    query = (
        select(Proposal)
        .where(Proposal.competition_id == competition.id)
        .options(selectinload(Proposal.partners))
        .order_by(Proposal.submitted_at.is_(None), Proposal.submitted_at, Proposal.id)
    )
    if filters.status:
        query = query.where(Proposal.status == filters.status)
    if filters.eligibility == "pending":
        query = query.where(Proposal.status == "submitted", Proposal.eligibility.is_(None))
    elif filters.eligibility:
        query = query.where(Proposal.eligibility == filters.eligibility)
    if filters.sector:
        query = query.where(Proposal.sector == filters.sector)
    if filters.q:
        pattern = _like_pattern(filters.q)
        partner_match = (
            select(ProposalPartner.id)
            .where(ProposalPartner.proposal_id == Proposal.id,
                   func.lower(ProposalPartner.organisation).like(pattern, escape="\\"))
            .exists()
        )
        query = query.where(or_(
            func.lower(Proposal.network_name).like(pattern, escape="\\"),
            func.lower(Proposal.short_name).like(pattern, escape="\\"),
            func.lower(Proposal.lead_name).like(pattern, escape="\\"),
            partner_match,
        ))
    return query


def counts_by(competition: Competition, column) -> dict[str, int]:
    """Number of the competition's proposals per value of a column (one grouped query)."""
    rows = db.session.execute(
        select(column, func.count(Proposal.id))
        .where(Proposal.competition_id == competition.id)
        .group_by(column)
    ).all()
    return {value or "": count for value, count in rows}


def list_counts(competition: Competition) -> dict[str, dict[str, int]]:
    """Counts per status and per sector, for the summary above the list."""
    return {"status": counts_by(competition, Proposal.status),
            "sector": counts_by(competition, Proposal.sector)}


def sector_choices(competition: Competition, sector_counts: dict[str, int]) -> list[str]:
    """The call's sectors, then any other sector a proposal names (so every row can be found)."""
    sectors = list(competition.sectors or [])
    sectors += sorted(s for s in sector_counts if s and s not in sectors)
    return sectors


def proposal_events(proposal: Proposal) -> list[AuditEvent]:
    """The audit events recorded on this proposal, newest first."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == Proposal.__tablename__, AuditEvent.object_id == proposal.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ))
