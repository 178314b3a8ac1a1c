"""The ranking stamp: a token on each competition that changes whenever an input of its ranking changes.

Why a stamp written on change rather than a fingerprint read on every request
-------------------------------------------------------------------------------
The ranking cache (cache.py) needs a key that changes with every score, consensus, conflict,
weight or setting change. Reading a fingerprint of all those tables on every request cost
tens of milliseconds at 2,000 proposals (the sum of ~50,000 scores). Instead, this module
listens to every flush of the ORM session and, when the flush writes an input of a ranking,
gives the competition a new random stamp in the same transaction. Reading the key is then
free: the competition row is loaded anyway. The stamp is random, not a counter, so a key is
never reused for different data, not even after a backup is restored or ids are reused.

What counts as an input (see data.py and service._compute):
- a review that is submitted, becomes submitted or stops being submitted, and the scores of
  a submitted review (draft autosaves change nothing the ranking reads, so they never
  touch the competition row and concurrent jurors never wait for each other on it);
- consensus reports and their scores, conflicts of interest, recorded draws;
- proposals other than drafts (status, pre-check result, title, sector, requested funding);
- the competition itself and its criteria.

The progress stamp (`Competition.progress_stamp`) keys the jury's progress counts per juror
(jury/progress_page.py). It changes with every ranking input and also when an assignment or a
jury seat changes, a juror starts a review (a new draft) or a juror's name changes; later autosaves of a draft change
neither count, so they leave both stamps alone.

The contract for code that writes these tables: write through the ORM unit of work (which
every service does). A Core UPDATE/DELETE of an input table bypasses this hook; the Core
updates in the app move optimistic-lock version numbers and write the scores of *draft*
reviews (jury.scoring.save_draft, whose claim requires status 'draft'), neither of which the
ranking reads; a draft is created, submitted or reopened through the ORM, so both stamps move.
"""

from __future__ import annotations

from itertools import chain

from flask_sqlalchemy.session import Session
from sqlalchemy import event, inspect, select, update

from app.accounts.models import User
from app.competitions.models import Competition, Criterion, new_ranking_stamp
from app.jury.models import Assignment, Conflict, Consensus, ConsensusScore, JuryMembership, Review, Score
from app.proposals.models import Proposal
from app.ranking.models import RankingDraw

PENDING = "ranking_stamp_pending"


def _status_changed(obj) -> bool:
    return inspect(obj).attrs.status.history.has_changes()


def _review_counts(session, review: Review | None, deleted: bool = False) -> bool:
    """True if a change to this review (or to one of its scores) can move the ranking."""
    if review is None:
        return True  # unknown: be safe
    if deleted or review in session.new:
        return review.status == "submitted"
    return review.status == "submitted" or _status_changed(review)


def _score_review(session, score: Score) -> Review | None:
    """The review of a score without loading anything new where possible."""
    state = inspect(score)
    if "review" not in state.unloaded:
        return score.review
    return session.get(Review, score.review_id) if score.review_id is not None else None


class _Touched:
    """Competitions (directly or through proposals) whose ranking or progress inputs a flush writes."""

    def __init__(self):
        self.ranking: tuple[set[int], set[int]] = (set(), set())  # competition ids, proposal ids
        self.progress: tuple[set[int], set[int]] = (set(), set())

    def both(self, competition_id=None, proposal_id=None) -> None:
        self.add(self.ranking, competition_id, proposal_id)
        self.add(self.progress, competition_id, proposal_id)

    @staticmethod
    def add(target, competition_id=None, proposal_id=None) -> None:
        if competition_id is not None:
            target[0].add(competition_id)
        if proposal_id is not None:
            target[1].add(proposal_id)

    def merge(self, other: _Touched) -> None:
        for mine, theirs in ((self.ranking, other.ranking), (self.progress, other.progress)):
            mine[0].update(theirs[0])
            mine[1].update(theirs[1])

    def __bool__(self) -> bool:
        return any(self.ranking) or any(self.progress)


def _touched(session) -> _Touched:
    """What this flush writes that the ranking or the progress counts read."""
    touched = _Touched()
    deleted = set(session.deleted)
    for obj in chain(session.new, session.dirty, deleted):
        is_new, is_deleted = obj in session.new, obj in deleted
        if not is_new and not is_deleted and not session.is_modified(obj):
            continue  # in session.dirty without a real column change
        if isinstance(obj, Competition):
            touched.both(competition_id=obj.id)
        elif isinstance(obj, RankingDraw):
            touched.both(competition_id=obj.competition_id)
        elif isinstance(obj, Criterion):
            # A criterion appended to competition.criteria has no competition_id before the flush.
            touched.both(competition_id=obj.competition_id if obj.competition_id is not None else
                         getattr(obj.competition, "id", None))
        elif isinstance(obj, Review):
            if _review_counts(session, obj, is_deleted):
                touched.both(proposal_id=obj.proposal_id)
            elif is_new or is_deleted:  # a draft started or removed: the draft count changes
                touched.add(touched.progress, proposal_id=obj.proposal_id)
        elif isinstance(obj, Score):
            review = _score_review(session, obj)
            if _review_counts(session, review):
                touched.both(proposal_id=review.proposal_id if review is not None else None)
        elif isinstance(obj, Conflict | Consensus):
            touched.both(proposal_id=obj.proposal_id)
        elif isinstance(obj, ConsensusScore):
            consensus = obj.consensus if "consensus" not in inspect(obj).unloaded else (
                session.get(Consensus, obj.consensus_id))
            touched.both(proposal_id=consensus.proposal_id if consensus is not None else None)
        elif isinstance(obj, Proposal):
            if obj.status != "draft" or _status_changed(obj) or is_deleted:
                touched.both(competition_id=obj.competition_id)
        elif isinstance(obj, Assignment):
            touched.add(touched.progress, proposal_id=obj.proposal_id)
        elif isinstance(obj, JuryMembership):
            touched.add(touched.progress, competition_id=obj.competition_id)
        elif isinstance(obj, User) and obj.id is not None and inspect(obj).attrs.name.history.has_changes():
            # The progress page lists jurors by name.
            for competition_id in session.scalars(select(JuryMembership.competition_id)
                                                  .where(JuryMembership.user_id == obj.id)):
                touched.add(touched.progress, competition_id=competition_id)
    return touched


@event.listens_for(Session, "before_flush")
def _collect(session, flush_context, instances) -> None:
    """Remember which competitions' ranking or progress inputs this flush writes."""
    touched = _touched(session)
    if touched:
        session.info.setdefault(PENDING, _Touched()).merge(touched)


def _competition_ids(session, ids: tuple[set[int], set[int]]) -> set[int]:
    competitions, proposals = ids
    if proposals:
        competitions = competitions | set(session.connection().scalars(
            select(Proposal.competition_id).where(Proposal.id.in_(proposals))))
    return competitions


@event.listens_for(Session, "after_flush_postexec")
def _stamp(session, flush_context) -> None:
    """Give every touched competition new stamps, in the flush's transaction."""
    touched = session.info.pop(PENDING, None)
    if not touched:
        return
    table = Competition.__table__
    for column, ids in (("ranking_stamp", touched.ranking), ("progress_stamp", touched.progress)):
        competitions = _competition_ids(session, ids)
        if not competitions:
            continue
        session.connection().execute(
            update(table).where(table.c.id.in_(competitions)).values({column: new_ranking_stamp()}))
        for obj in session.identity_map.values():
            if isinstance(obj, Competition) and obj.id in competitions:
                session.expire(obj, [column])
