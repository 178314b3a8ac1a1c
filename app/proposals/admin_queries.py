"""Queries behind the admin proposal list and its exports: filters, search and counts.

Every function issues a fixed number of statements whatever the number of proposals, so
the list page and the exports never fall into N+1 queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, or_, select
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


def filtered_proposals(competition: Competition, filters: ProposalFilters, *, with_partners: bool = True) -> Select:
    """The competition's proposals matching the filters, submitted first in receipt order.

    with_partners=False leaves the partners unloaded (the list page only counts them, see partner_counts).
    """
    query = (
        select(Proposal)
        .where(Proposal.competition_id == competition.id)
        .order_by(Proposal.submitted_at.asc().nulls_last(), Proposal.id)  # drafts last; can use the index
    )
    if with_partners:
        query = query.options(selectinload(Proposal.partners))
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


# The columns the list page shows (and Proposal.title needs): the rest of a proposal, above all its
# snapshot document and long texts, stays in the database.
LIST_COLUMNS = (Proposal.receipt_number, Proposal.network_name, Proposal.short_name, Proposal.sector,
                Proposal.lead_name, Proposal.lead_town, Proposal.requested_funding_cents, Proposal.status,
                Proposal.eligibility)


@dataclass
class ListCounts:
    """The summary above the list, from one grouped query: per status, per sector, pre-check results."""

    status: dict[str, int]
    sector: dict[str, int]
    precheck: dict[str, int]
    # (status, sector, eligibility) -> number of proposals, to count filtered lists without a query
    groups: dict[tuple[str, str, str | None], int]

    def matching(self, filters: ProposalFilters) -> int | None:
        """How many proposals the filters match, as filtered_proposals filters; None when searching text."""
        if filters.q:
            return None
        return sum(number for (status, sector, eligibility), number in self.groups.items()
                   if (not filters.status or status == filters.status)
                   and (not filters.sector or sector == filters.sector)
                   and _eligibility_matches(filters.eligibility, status, eligibility))


def filtered_proposal_list(competition: Competition, filters: ProposalFilters) -> list[Proposal]:
    """Every proposal of the filtered list (for the exports), in the list's order."""
    return list(db.session.scalars(filtered_proposals(competition, filters)))


def _eligibility_matches(wanted: str, status: str, eligibility: str | None) -> bool:
    """The eligibility filter of filtered_proposals, for one group."""
    if wanted == "pending":
        return status == "submitted" and eligibility is None
    return not wanted or eligibility == wanted


def _list_counts_statement():
    """Proposals of the bound `competition_id` counted per status, sector and eligibility."""
    # count(*) rather than count(id): the grouped columns alone are in ix_proposals_competition_groups.
    return (select(Proposal.status, Proposal.sector, Proposal.eligibility, func.count())
            .where(Proposal.competition_id == bindparam("competition_id"))
            .group_by(Proposal.status, Proposal.sector, Proposal.eligibility))


def list_counts(competition: Competition) -> ListCounts:
    """Counts per status and per sector, and the pre-check progress, for the summary above the list."""
    rows = db.session.execute(_list_counts_statement(), {"competition_id": competition.id}).all()
    groups = {(status, sector, eligibility): number for status, sector, eligibility, number in rows}
    status_counts: dict[str, int] = defaultdict(int)
    sector_counts: dict[str, int] = defaultdict(int)
    for (status, sector, _eligibility), number in groups.items():
        status_counts[status or ""] += number
        sector_counts[sector or ""] += number
    return ListCounts(status=dict(status_counts), sector=dict(sector_counts), groups=groups,
                      precheck=_precheck_progress(groups))


def _precheck_progress(groups: dict[tuple[str, str, str | None], int]) -> dict[str, int]:
    """The pre-check progress as precheck.precheck_progress counts it: submitted proposals by result."""
    submitted = eligible = not_eligible = 0
    for (status, _sector, eligibility), number in groups.items():
        if status == "submitted":
            submitted += number
            eligible += number if eligibility == "eligible" else 0
            not_eligible += number if eligibility == "not_eligible" else 0
    return {"submitted": submitted, "eligible": eligible, "not_eligible": not_eligible,
            "pending": submitted - eligible - not_eligible}


def partner_counts(proposal_ids: list[int]) -> dict[int, int]:
    """Number of partners per proposal (one grouped query), for a page of the list."""
    if not proposal_ids:
        return {}
    return dict(db.session.execute(_partner_counts_statement(), {"proposal_ids": proposal_ids}).all())


def _partner_counts_statement():
    """Partners per proposal of the bound list `proposal_ids`."""
    return (select(ProposalPartner.proposal_id, func.count(ProposalPartner.id))
            .where(ProposalPartner.proposal_id.in_(bindparam("proposal_ids", expanding=True)))
            .group_by(ProposalPartner.proposal_id))


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
