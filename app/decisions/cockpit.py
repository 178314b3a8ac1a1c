"""The decisions' figures on the competition cockpit: outcomes and letters."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import and_, case, func, select

from app.competitions.cockpit import CockpitSection, Count, Overdue
from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.decisions.letters import LETTER_OUTCOMES, letters_allowed
from app.decisions.models import Decision
from app.extensions import db
from app.proposals.models import Proposal


def _counted(condition):
    """The number of rows meeting a condition, as one column of a grouped statement."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counts_statement(competition_id: int):
    """Decisions by outcome, letters sent and letters still to send, as one row."""
    final = Decision.outcome.in_(LETTER_OUTCOMES)
    return (select(_counted(Decision.outcome == "awarded"), _counted(Decision.outcome == "reserve"),
                   _counted(Decision.outcome == "rejected"), _counted(Decision.outcome == "shortlisted"),
                   _counted(Decision.letter_sent_at.is_not(None)),
                   _counted(and_(final, Decision.letter_sent_at.is_(None))))
            .join(Proposal, Proposal.id == Decision.proposal_id).where(Proposal.competition_id == competition_id))


def decision_figures(competition: Competition, now: datetime) -> CockpitSection:
    """Awarded, reserve, rejected and shortlisted proposals, letters sent; letters still to send."""
    awarded, reserve, rejected, shortlisted, sent, unsent = (
        int(value) for value in db.session.execute(_counts_statement(competition.id)).one())
    decisions = url_for("decisions.decisions", competition_id=competition.id)
    section = CockpitSection(title=_("Decisions"), counts=[
        Count(_("Shortlisted"), shortlisted, decisions),
        Count(_("Awarded"), awarded, decisions),
        Count(_("Reserve list"), reserve, decisions),
        Count(_("Rejected"), rejected, decisions),
        Count(_("Letters sent"), sent, decisions),
    ])
    if unsent and letters_allowed(competition):
        section.overdue.append(Overdue(
            ngettext("%(num)s decision has no letter yet.", "%(num)s decisions have no letter yet.", unsent),
            decisions))
    return section
