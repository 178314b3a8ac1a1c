"""The jury's figures on the competition cockpit: jurors, reviews, conflicts and consensus."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import func, select

from app.competitions.cockpit import CockpitSection, Count, Overdue
from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.extensions import db
from app.jury.models import Assignment, Conflict, Consensus, JuryMembership, Review
from app.jury.queries import active_conflict
from app.proposals.models import Proposal


def _in_competition(competition_id: int, proposal_column):
    """SQL condition: the row's proposal belongs to the competition."""
    return proposal_column.in_(select(Proposal.id).where(Proposal.competition_id == competition_id))


def _counts_statement(competition_id: int):
    """Jurors, submitted and open reviews, active conflicts and approved consensus reports, as one row."""
    submitted = (select(Review.id).where(Review.proposal_id == Assignment.proposal_id,
                                         Review.user_id == Assignment.user_id, Review.status == "submitted")
                 .exists())
    jurors = select(func.count(JuryMembership.id)).where(JuryMembership.competition_id == competition_id,
                                                         JuryMembership.status == "active")
    reviews_done = select(func.count(Review.id)).where(
        Review.status == "submitted", ~active_conflict(Review.user_id, Review.proposal_id),
        _in_competition(competition_id, Review.proposal_id))
    reviews_open = select(func.count(Assignment.id)).where(
        ~submitted, _in_competition(competition_id, Assignment.proposal_id))
    conflicts = select(func.count(Conflict.id)).where(
        Conflict.status == "active", _in_competition(competition_id, Conflict.proposal_id))
    consensus = select(func.count(Consensus.id)).where(
        Consensus.status == "approved", _in_competition(competition_id, Consensus.proposal_id))
    pool = select(func.count(Proposal.id)).where(Proposal.competition_id == competition_id, Proposal.in_jury_pool)
    return select(*(query.scalar_subquery() for query in (jurors, reviews_done, reviews_open, conflicts,
                                                           consensus, pool)))


def jury_figures(competition: Competition, now: datetime) -> CockpitSection:
    """Jurors, reviews done and open, conflicts, consensus reports; reviews open after the review deadline."""
    jurors, done, still_open, conflicts, consensus, pool = (
        int(value or 0) for value in db.session.execute(_counts_statement(competition.id)).one())
    cid = competition.id
    section = CockpitSection(title=_("Jury"), counts=[
        Count(_("Jurors"), jurors, url_for("jury.admin_jury", competition_id=cid)),
        Count(_("In the jury's pool"), pool, url_for("jury.admin_assignments", competition_id=cid)),
        Count(_("Reviews submitted"), done, url_for("jury.admin_progress", competition_id=cid)),
        Count(_("Reviews open"), still_open, url_for("jury.admin_progress", competition_id=cid)),
        Count(_("Conflicts of interest"), conflicts, url_for("jury.admin_conflicts", competition_id=cid)),
        Count(_("Consensus reports approved"), consensus, url_for("jury.admin_consensus", competition_id=cid)),
    ])
    deadline = competition.review_deadline
    if still_open and deadline is not None and now >= deadline:
        section.overdue.append(Overdue(
            ngettext("%(num)s assigned review is still open after the review deadline.",
                     "%(num)s assigned reviews are still open after the review deadline.", still_open),
            url_for("jury.admin_progress", competition_id=cid)))
    return section
