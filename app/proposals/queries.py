"""Named queries of the proposals package for the applicant's pages (the admin list: admin_queries.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.models import OutboxMessage
from app.extensions import db
from app.proposals.models import Proposal


def proposals_of_applicant(user_id: int) -> list[Proposal]:
    """The applicant's proposals, newest first, each with its call."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.applicant_id == user_id)
        # The call of each proposal in the same statement (a many-to-one join adds no rows).
        .options(joinedload(Proposal.competition)).order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ))


def calls_in_open_phase() -> list[Competition]:
    """Competitions in the open phase, by submission deadline (callers check the submission window)."""
    return list(db.session.scalars(
        select(Competition).where(Competition.phase == "open").order_by(Competition.submission_deadline)
    ))


def open_draft_names(competition: Competition) -> list[str]:
    """The competition's open drafts as "network (applicant, organisation)", oldest first, for a warning."""
    drafts = db.session.execute(
        select(Proposal.id, Proposal.network_name, User.name, User.organisation)
        .join(User, User.id == Proposal.applicant_id)
        .where(Proposal.competition_id == competition.id, Proposal.status == "draft")
        .order_by(Proposal.created_at, Proposal.id)).all()
    return [f"{network or _('Draft no. %(num)s', num=pid)} ({', '.join(p for p in (person, organisation) if p)})"
            for pid, network, person, organisation in drafts]


def letter_copy(message_id: int | None) -> OutboxMessage | None:
    """The outbox copy of a letter sent to an applicant, if there is one."""
    return db.session.get(OutboxMessage, message_id) if message_id is not None else None
