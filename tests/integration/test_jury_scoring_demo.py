"""The demo scoring step: every assignment reviewed, leniency, a few split juries with consensus, winners first."""

from __future__ import annotations

import random
import statistics

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.competitions.models import Competition
from app.demo import scoring as demo_scoring
from app.jury.consensus import approved_proposal_ids
from app.jury.models import Assignment, Review, ReviewHistory
from app.jury.progress import contested_proposal_ids
from app.proposals.models import Proposal

WINNERS = {"Netzwerk Automobilzulieferer Leipziger Westen", "Netzwerk Virtuelle Produktentwicklung",
           "Netzwerk Energie- und Umwelttechnik Leipziger Westen"}


def _mean_totals(competition, reviews) -> dict[int, float]:
    weights = {c.id: float(c.weight) for c in competition.criteria}
    totals: dict[int, list[float]] = {}
    for review in reviews:
        totals.setdefault(review.proposal_id, []).append(
            sum(weights[s.criterion_id] * float(s.value) for s in review.scores))
    return {pid: statistics.fmean(values) for pid, values in totals.items()}


def test_demo_scores_every_assignment_with_justified_submitted_reviews(runner, db):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    competition = db.session.scalar(select(Competition))
    assignments = db.session.scalars(select(Assignment)).all()
    reviews = db.session.scalars(select(Review).options(selectinload(Review.scores))).all()
    assert assignments and len(reviews) == len(assignments)
    assert {(a.proposal_id, a.user_id) for a in assignments} == {(r.proposal_id, r.user_id) for r in reviews}
    assert all(r.status == "submitted" and len(r.scores) == len(competition.criteria) for r in reviews)
    texts = [s.justification for r in reviews for s in r.scores]
    assert all(len(t) > 30 for t in texts) and len(set(texts)) > 40  # varied German texts
    assert any("Clusterpotenzial" in t or "Standort" in t for t in texts)
    assert db.session.scalar(select(func.count(ReviewHistory.id))) == len(reviews)

    # Low scores read low, high scores read high.
    low = [s.justification for r in reviews for s in r.scores if s.value <= 1.5]
    high = [s.justification for r in reviews for s in r.scores if s.value >= 4]
    assert high and not any(t in high for t in low)

    # The three Leipzig networks lead the mean ranking.
    names = {p.id: p.network_name for p in db.session.scalars(select(Proposal))}
    totals = _mean_totals(competition, reviews)
    top_three = sorted(totals, key=totals.get, reverse=True)[:3]
    assert {names[pid] for pid in top_three} == WINNERS

    # A few ideas split the jury; each of them has an approved consensus report (so the decision could start).
    contested = contested_proposal_ids(competition)
    assert 2 <= len(contested) <= 6
    assert contested <= approved_proposal_ids(competition.id)


def test_demo_jurors_differ_in_leniency(runner, db):
    runner.invoke(args=["demo-data"])
    reviews = db.session.scalars(select(Review).options(selectinload(Review.scores), selectinload(Review.user))).all()
    by_juror: dict[str, list[float]] = {}
    for review in reviews:
        by_juror.setdefault(review.user.email, []).extend(float(s.value) for s in review.scores)
    means = {email: statistics.fmean(values) for email, values in by_juror.items()}
    # The lenient juror of the handicraft chamber scores higher on average than the strict professor.
    assert means["a.kraus@hwk-leipzig.example"] > means["j.hartmann@uni-leipzig.example"] + 0.4


def test_planning_is_deterministic(runner, db):
    # Only the earlier demo steps: the scoring plan must come out the same twice from the same seed.
    from app.demo import jury, people, proposals

    people.create_people()
    proposals.create_demo_call()
    jury.create_demo_jury()
    competition = db.session.scalar(select(Competition))
    assignments = db.session.scalars(select(Assignment).order_by(Assignment.id)).all()
    criteria = list(competition.criteria)
    first = demo_scoring.plan_scores(assignments, criteria, random.Random(demo_scoring.SEED))
    second = demo_scoring.plan_scores(assignments, criteria, random.Random(demo_scoring.SEED))
    assert [(p.proposal.id, p.juror.id, p.values) for p in first] == \
           [(p.proposal.id, p.juror.id, p.values) for p in second]
    db.session.rollback()


def test_step_does_nothing_without_assignments(app, db):
    assert demo_scoring.score_demo_competition() == 0
