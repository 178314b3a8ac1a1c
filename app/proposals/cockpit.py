"""The proposals' figures on the competition cockpit: drafts, submissions and the formal pre-check."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import and_, case, func, select

from app.competitions.cockpit import CockpitSection, Count, Overdue
from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.extensions import db
from app.proposals.ineligibility_letters import ineligibility_letters_allowed
from app.proposals.models import Proposal


def _counted(condition):
    """The number of rows meeting a condition, as one column of a grouped statement."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counts_statement(competition_id: int):
    submitted = Proposal.status == "submitted"
    return select(
        _counted(Proposal.status == "draft"),
        _counted(submitted),
        _counted(and_(submitted, Proposal.eligibility.is_not(None))),
        _counted(and_(submitted, Proposal.eligibility == "eligible")),
        _counted(and_(submitted, Proposal.eligibility == "not_eligible")),
        _counted(and_(submitted, Proposal.eligibility.is_(None))),
        _counted(and_(submitted, Proposal.eligibility == "not_eligible",
                      Proposal.ineligibility_letter_sent_at.is_(None))),
    ).where(Proposal.competition_id == competition_id)


def proposal_figures(competition: Competition, now: datetime) -> CockpitSection:
    """Drafts, submitted, pre-checked, eligible and ineligible proposals; pre-checks open after the deadline."""
    drafts, submitted, prechecked, eligible, ineligible, pending, unlettered = (
        int(value) for value in db.session.execute(_counts_statement(competition.id)).one())
    def listing(**filters) -> str:
        return url_for("proposals.admin_list", competition_id=competition.id, **filters)

    section = CockpitSection(title=_("Proposals"), counts=[
        Count(_("Drafts"), drafts, listing(status="draft")),
        Count(_("Submitted"), submitted, listing(status="submitted")),
        Count(_("Pre-checked"), prechecked, listing(status="submitted")),
        Count(_("Eligible"), eligible, listing(eligibility="eligible")),
        Count(_("Not eligible"), ineligible, listing(eligibility="not_eligible")),
    ])
    if pending and competition.deadline_passed(now):
        section.overdue.append(Overdue(
            ngettext("%(num)s submitted proposal still awaits its formal pre-check.",
                     "%(num)s submitted proposals still await their formal pre-check.", pending),
            listing(eligibility="pending")))
    if unlettered and ineligibility_letters_allowed(competition):
        section.overdue.append(Overdue(
            ngettext("%(num)s proposal found not eligible has not been sent its letter yet.",
                     "%(num)s proposals found not eligible have not been sent their letter yet.", unlettered),
            url_for("decisions.decisions", competition_id=competition.id, _anchor="h-ineligible")))
    return section
