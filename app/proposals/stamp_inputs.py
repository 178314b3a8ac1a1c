"""Proposals as inputs of the competition's stamps (app/competitions/stamps.py).

A proposal other than a draft (status, pre-check result, title, sector, requested funding)
moves both stamps; so does one leaving or entering the draft status, or being deleted.
Rows of the jury mark their proposal; its competition is looked up after the flush.
"""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.competitions.stamps import BOTH, register_stamp_inputs, register_stamp_owner
from app.proposals.models import Proposal


def _proposal(session, obj: Proposal, change, written) -> None:
    if obj.status != "draft" or inspect(obj).attrs.status.history.has_changes() or change.deleted:
        written.mark(BOTH, obj.competition_id)


def register() -> None:
    """Register these models as inputs of the competition's stamps."""
    register_stamp_inputs(_proposal, Proposal)
    register_stamp_owner("proposal", lambda ids: select(Proposal.competition_id).where(Proposal.id.in_(ids)))
