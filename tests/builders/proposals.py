"""Builds a draft proposal that meets every completeness rule."""

from __future__ import annotations

from decimal import Decimal

from app.proposals.models import Proposal, ProposalKpi, ProposalMeasure, ProposalPartner
from tests.factories import ProposalFactory


def complete_proposal(db, **kwargs) -> Proposal:
    """A draft that meets every completeness rule."""
    proposal = ProposalFactory(**kwargs)
    proposal.partners.append(ProposalPartner(organisation="Zulieferer A GmbH", town="Leipzig",
                                             in_programme_area=True))
    proposal.measures.append(ProposalMeasure(title="Workshops", cost_cents=1_250_000))
    proposal.kpis.append(ProposalKpi(indicator="Partnerunternehmen", unit="Unternehmen", baseline=Decimal("3"),
                                     target=Decimal("12.5")))
    db.session.commit()
    return proposal
