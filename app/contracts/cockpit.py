"""The contracts' figures on the competition cockpit: contracts, reports to verify, payments due."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from app.competitions.cockpit import CockpitSection, Count, Overdue
from app.competitions.models import Competition
from app.contracts.models import Contract, Milestone, Payment, ProgressReport
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.decisions.models import Decision
from app.extensions import db
from app.proposals.models import Proposal


def _counts_statement(competition_id: int, today):
    """Contracts, awards without one, reports to verify, payments due and overdue reports, as one row."""
    of_competition = select(Contract.id).where(Contract.competition_id == competition_id)
    contracts = select(func.count(Contract.id)).where(Contract.competition_id == competition_id)
    without_contract = (select(func.count(Decision.id)).join(Proposal, Proposal.id == Decision.proposal_id)
                        .where(Proposal.competition_id == competition_id, Decision.outcome == "awarded",
                               ~select(Contract.id).where(Contract.proposal_id == Decision.proposal_id).exists()))
    in_competition = Milestone.contract_id.in_(of_competition)
    reports = select(func.count(ProgressReport.id)).join(Milestone, Milestone.id == ProgressReport.milestone_id)
    reports_waiting = reports.where(in_competition, ProgressReport.status == "submitted")
    # A milestone's latest accepted report that no payment was released on: the release is the next step.
    later = aliased(ProgressReport)
    superseded = select(later.id).where(
        later.milestone_id == ProgressReport.milestone_id, later.status == "accepted",
        or_(later.verified_at > ProgressReport.verified_at,
            and_(later.verified_at == ProgressReport.verified_at, later.id > ProgressReport.id))).exists()
    payments_due = reports.where(in_competition, ProgressReport.status == "accepted", ~superseded,
                                 ~select(Payment.id).where(Payment.report_id == ProgressReport.id).exists())
    reported = select(ProgressReport.id).where(ProgressReport.milestone_id == Milestone.id,
                                               ProgressReport.status.in_(("submitted", "accepted"))).exists()
    reports_overdue = select(func.count(Milestone.id)).where(
        in_competition, Milestone.due_date < today, ~reported,
        ~select(Payment.id).where(Payment.milestone_id == Milestone.id).exists())
    return select(*(query.scalar_subquery() for query in (contracts, without_contract, reports_waiting,
                                                           payments_due, reports_overdue)))


def contract_figures(competition: Competition, now: datetime) -> CockpitSection:
    """Contracts and awards still without one, reports to verify, payments due; reports past their due date."""
    today = now.astimezone(competition.zone).date()
    contracts, without_contract, waiting, due, late = (
        int(value or 0) for value in db.session.execute(_counts_statement(competition.id, today)).one())
    portfolio = url_for("contracts.portfolio", competition=competition.id)
    section = CockpitSection(title=_("Contracts"), counts=[
        Count(_("Contracts"), contracts, portfolio),
        Count(_("Awards without a contract"), without_contract, portfolio),
        Count(_("Reports waiting for verification"), waiting, portfolio),
        Count(_("Payments due"), due, portfolio),
    ])
    if waiting:
        section.overdue.append(Overdue(
            ngettext("%(num)s progress report waits for verification.",
                     "%(num)s progress reports wait for verification.", waiting), portfolio))
    if due:
        section.overdue.append(Overdue(
            ngettext("%(num)s verified report waits for its payment to be released.",
                     "%(num)s verified reports wait for their payments to be released.", due), portfolio))
    if late:
        section.overdue.append(Overdue(
            ngettext("%(num)s milestone is past its due date without a report.",
                     "%(num)s milestones are past their due date without a report.", late), portfolio))
    return section
