"""Letters of ineligibility: a formal letter to each applicant whose proposal failed the pre-check.

The letter states the reason, the rules of the checklist that were not met and the notice on
legal remedies the administrator set for the competition. It goes out once the pre-check is
over (review phase on), when the result can no longer change. Like the decision letters,
sending is idempotent: each proposal is claimed with a conditional update of
ineligibility_letter_sent_at, so a double click sends one letter.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.proposals.models import Proposal

INELIGIBILITY_TEMPLATE = "ineligibility_letter"
# The pre-check result is final once the jury has started: reopening and re-checking end with the pre-check.
LETTER_PHASE = "review"


def ineligibility_letters_allowed(competition: Competition) -> bool:
    """Letters of ineligibility go out once the pre-check has ended."""
    return competition.phase_at_least(LETTER_PHASE)


def ineligible_proposals(competition: Competition) -> list[Proposal]:
    """Submitted proposals of the competition found not eligible, with their applicants, by receipt."""
    return list(db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id, Proposal.status == "submitted",
                               Proposal.eligibility == "not_eligible")
        .options(selectinload(Proposal.applicant)).order_by(Proposal.receipt_number, Proposal.id)
    ))


def pending_ineligibility_letters(competition: Competition) -> list[Proposal]:
    """Ineligible proposals that have no letter yet."""
    return [p for p in ineligible_proposals(competition) if p.ineligibility_letter_sent_at is None]


def unmet_rules(proposal: Proposal) -> list[str]:
    """The checklist rules the pre-check found not met, in the checklist's order."""
    return [rule for rule, met in (proposal.precheck_checklist or {}).items() if not met]


def send_ineligibility_letters(competition: Competition, actor) -> int:
    """Queue one letter per ineligible proposal not yet lettered; return how many were queued."""
    if not ineligibility_letters_allowed(competition):
        raise DomainError(_l("Letters of ineligibility can only be sent once the formal pre-check has ended."))
    pending = pending_ineligibility_letters(competition)
    if not pending:
        return 0
    if not competition.legal_remedies("de"):
        raise DomainError(_l("Please enter the notice on legal remedies in the competition's settings "
                             "before sending letters of ineligibility."))
    sent = 0
    for proposal in pending:
        now = utcnow()
        # Claim the proposal first: only the request whose update changes the row sends.
        claimed = db.session.execute(
            update(Proposal).where(Proposal.id == proposal.id, Proposal.ineligibility_letter_sent_at.is_(None))
            .values(ineligibility_letter_sent_at=now).execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        set_committed_value(proposal, "ineligibility_letter_sent_at", now)
        applicant = proposal.applicant
        message = queue_mail(applicant.email, INELIGIBILITY_TEMPLATE, applicant.locale, user=applicant,
                             applicant=applicant, proposal=proposal, competition=competition,
                             reason=proposal.eligibility_reason, unmet_rules=unmet_rules(proposal),
                             legal_remedies=competition.legal_remedies(applicant.locale))
        db.session.flush()
        proposal.ineligibility_letter_id = message.id
        record_event("proposal.ineligibility_letter_sent", proposal, before={"ineligibility_letter_sent_at": None},
                     after={"ineligibility_letter_sent_at": now.isoformat(), "recipient": applicant.email,
                            "locale": message.locale, "outbox_message_id": message.id}, actor=actor)
        sent += 1
    return sent
