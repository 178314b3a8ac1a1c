"""Who on the jury may see and do what: the one home of the jury's permission rules.

Every query that shows scores, reviews, discussion or aggregates to a juror filters with
`hidden_proposal_ids` or `not_conflicted`, or checks `can_see_jury_work`, so that a conflicted
juror learns nothing of that proposal, not even counts or averages.

The rules decide and remember nothing. What they need to know about a user and a proposal
(`queries.ReviewFacts`) is loaded in one statement; a page that checks several rules loads it
once and passes it to each as `facts`.
"""

from __future__ import annotations

from app.competitions.models import Competition
from app.jury import queries
from app.jury.models import Consensus, JuryMembership
from app.jury.queries import ReviewFacts
from app.proposals.models import Proposal


def _signed_in(user) -> bool:
    """A logged-in user (anonymous users hold no seat and see no jury work)."""
    return user is not None and user.is_authenticated


def active_membership(user, competition_id: int) -> JuryMembership | None:
    """The user's active jury seat in a competition, if any."""
    if user is None or not user.is_authenticated:
        return None
    return queries.seat_of(user.id, competition_id)


def is_juror(user, competition_id: int) -> bool:
    """True for an active member of the competition's jury."""
    return active_membership(user, competition_id) is not None


def is_signed_juror(user, competition_id: int, membership: JuryMembership | None = None) -> bool:
    """True for an active juror who signed the declaration (give `membership` when the caller loaded the seat)."""
    membership = membership or active_membership(user, competition_id)
    return membership is not None and membership.has_signed_declaration


def hidden_proposal_ids(user_id: int, competition_id: int) -> set[int]:
    """Proposals of a competition hidden from the juror: those they have an active conflict with."""
    return queries.conflicted_proposal_ids(user_id, competition_id)


def hidden_from_signed_juror(user, competition_id: int) -> set[int] | None:
    """The hidden_proposal_ids of a signed juror; None for anyone who is no signed juror (and sees no jury work)."""
    if not _signed_in(user):
        return None
    return queries.signed_juror_conflicts(user.id, competition_id)


def not_conflicted(user_id: int, proposal_id_column):
    """SQL condition: the juror has no active conflict with the proposal in that column.

    The same rule as hidden_proposal_ids, for list queries that filter in the database.
    """
    return ~queries.active_conflict(user_id, proposal_id_column)


def has_active_conflict(user_id: int, proposal_id: int) -> bool:
    """True when the juror has an active conflict with the proposal."""
    return queries.conflict_exists(user_id, proposal_id)


def is_in_jury_pool(proposal: Proposal) -> bool:
    """Only submitted proposals found eligible in the pre-check go to the jury (Proposal.in_jury_pool)."""
    return proposal.in_jury_pool


def _known(user, proposal: Proposal, facts: ReviewFacts | None) -> ReviewFacts:
    """The facts a caller passed, or else those of the user and proposal (one statement)."""
    return facts if facts is not None else queries.review_facts(user.id, proposal.id)


def can_see_jury_work(user, proposal: Proposal, facts: ReviewFacts | None = None) -> bool:
    """Admins, and signed non-conflicted jurors, may see a proposal's scores and discussion."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    if not is_in_jury_pool(proposal):
        return False
    facts = _known(user, proposal, facts)
    return facts.signed and not facts.conflicted


def can_score(user, proposal: Proposal, competition: Competition | None = None,
              facts: ReviewFacts | None = None) -> bool:
    """A juror may score an assigned, non-conflicted proposal while the competition is in review."""
    competition = competition or proposal.competition
    # Admins do not score unless they also hold a jury seat: the checks below apply to everyone.
    if not (_signed_in(user) and is_in_jury_pool(proposal) and competition.phase == "review"):
        return False
    facts = _known(user, proposal, facts)
    return facts.signed and facts.assigned and not facts.conflicted


def can_access_review(user, proposal: Proposal, facts: ReviewFacts | None = None) -> bool:
    """An assigned, signed, non-conflicted juror may open their own review of a pool proposal (in any phase)."""
    if not _signed_in(user) or not is_in_jury_pool(proposal):
        return False
    facts = _known(user, proposal, facts)
    return facts.signed and facts.assigned and not facts.conflicted


def can_see_other_reviews(user, proposal: Proposal, facts: ReviewFacts | None = None) -> bool:
    """Other jurors' submitted reviews: admins always; jurors per the competition's visibility setting.

    The rapporteur always sees them, because summarising them is the rapporteur's task.
    """
    if _signed_in(user) and user.is_admin:
        return True
    if not _signed_in(user) or not is_in_jury_pool(proposal):
        return False
    facts = _known(user, proposal, facts)
    if not can_see_jury_work(user, proposal, facts):
        return False
    if facts.rapporteur:
        return True
    mode = proposal.competition.other_reviews_visibility
    if mode == "always":
        return True
    return mode == "after_own" and facts.submitted


def can_be_rapporteur(user, proposal: Proposal, facts: ReviewFacts | None = None) -> bool:
    """A rapporteur is a signed, non-conflicted juror of the proposal's competition."""
    if not _signed_in(user) or not is_in_jury_pool(proposal):
        return False
    facts = _known(user, proposal, facts)
    return facts.signed and not facts.conflicted


def consensus_approver_ids(proposal: Proposal, rapporteur_id: int | None) -> set[int]:
    """Who approves a consensus report: active jurors whose review counts (counted_review), not the rapporteur."""
    return queries.counted_reviewer_ids(proposal) - {rapporteur_id}


def can_edit_consensus(user, consensus: Consensus, facts: ReviewFacts | None = None) -> bool:
    """Only the rapporteur drafts the consensus report, and only while it is a draft."""
    return (consensus.status == "draft" and consensus.rapporteur_id is not None
            and _signed_in(user) and user.id == consensus.rapporteur_id
            and can_be_rapporteur(user, consensus.proposal, facts))


def can_approve_consensus(user, consensus: Consensus, facts: ReviewFacts | None = None,
                          approver_ids: set[int] | None = None) -> bool:
    """The jurors who reviewed the proposal approve a proposed consensus report."""
    if not (consensus.status == "proposed" and _signed_in(user)
            and can_see_jury_work(user, consensus.proposal, facts)):
        return False
    if approver_ids is None:
        approver_ids = consensus_approver_ids(consensus.proposal, consensus.rapporteur_id)
    return user.id in approver_ids


def holds_any_seat(user_id: int):
    """SQL condition: the user holds an active seat on any jury (navigation role)."""
    return queries.holds_any_seat(user_id)




def can_see_jury_pool(user, competition_id: int, membership: JuryMembership | None = None) -> bool:
    """Only signed jurors see the list of proposals (titles, organisations) of the jury pool."""
    return is_signed_juror(user, competition_id, membership)


def conflicts_review_pending(membership: JuryMembership) -> bool:
    """The juror still has to check the jury pool for conflicts: signed, not yet assigned, before consensus.

    Assignment follows the jurors' conflict declarations, so a juror without assignments in a
    competition still in pre-check or review is asked to look through the pool first.
    """
    if not membership.has_signed_declaration or membership.competition.phase not in ("precheck", "review"):
        return False
    return not queries.has_assignment_in(membership.user_id, membership.competition_id)
