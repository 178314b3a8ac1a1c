"""The admin proposal list counts from one grouped query: the totals it derives for every filter equal
the rows the filtered query finds, and the partner column counts each proposal's partners."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from sqlalchemy import func, select

from app.core.time import utcnow
from app.proposals import admin_queries
from app.proposals.admin_forms import ProposalFilters
from app.proposals.models import ProposalPartner
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory
from tests.web import login

SECTORS = ("Automobilzulieferer", "Medien", "")


def _proposals(db, competition) -> None:
    """Every combination of status, sector and pre-check result, some twice."""
    number = itertools.count(1)
    for status, sector, eligibility in itertools.product(("draft", "submitted", "withdrawn"), SECTORS,
                                                         (None, "eligible", "not_eligible")):
        if status != "submitted" and eligibility is not None:
            continue
        for _ in range(1 + len(sector) % 2):
            fields = {"status": status, "sector": sector, "eligibility": eligibility}
            if status == "submitted":
                fields.update(receipt_number=f"R-{next(number):04d}", submitted_at=utcnow() - timedelta(days=1),
                              snapshot={"network_name": "x"})
            ProposalFactory(competition=competition, **fields)
    ProposalFactory(competition=CompetitionFactory(), status="submitted", receipt_number="R-9999",
                    submitted_at=utcnow(), snapshot={"network_name": "y"}, sector="Medien")
    db.session.commit()


def test_totals_from_the_grouped_counts_equal_the_filtered_rows(db):
    competition = CompetitionFactory(phase="precheck")
    _proposals(db, competition)
    counts = admin_queries.list_counts(competition)
    for status, eligibility, sector in itertools.product(("", "draft", "submitted", "withdrawn"),
                                                         ("", "eligible", "not_eligible", "pending"),
                                                         ("", *SECTORS[:2], "Energie")):
        filters = ProposalFilters(status=status, eligibility=eligibility, sector=sector)
        query = admin_queries.filtered_proposals(competition, filters, with_partners=False)
        rows = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        assert counts.matching(filters) == rows, filters
    assert counts.matching(ProposalFilters(q="netz")) is None  # a search is counted by the database
    assert sum(counts.status.values()) == sum(counts.sector.values()) == counts.matching(ProposalFilters())
    assert counts.precheck["submitted"] == counts.status["submitted"]
    assert counts.precheck["pending"] == counts.matching(ProposalFilters(eligibility="pending"))


def test_partner_column_counts_each_proposals_partners(client, db):
    competition = CompetitionFactory(phase="precheck")
    proposals = [ProposalFactory(competition=competition, network_name=f"Netz {n}") for n in range(3)]
    for proposal, partners in zip(proposals, (0, 1, 3), strict=True):
        for position in range(partners):
            db.session.add(ProposalPartner(proposal=proposal, position=position, organisation=f"P{position}",
                                           town="Leipzig"))
    db.session.commit()
    login(client, AdminFactory().email)
    body = client.get(f"/admin/competitions/{competition.id}/proposals").get_data(as_text=True)
    for proposal, partners in zip(proposals, (0, 1, 3), strict=True):
        row = body[body.index(f">{proposal.network_name}</a>"):]
        assert re.search(r'<td class="text-end">(\d+)</td>', row).group(1) == str(partners)
