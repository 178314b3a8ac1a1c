"""The ranking service against the hand-computed competition: figures, methods, flags, filter, draws, cache."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core import cache
from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.decisions.models import Decision
from app.extensions import db as _db
from app.jury.models import Consensus, Review, Score
from app.ranking import aggregate, service, weights
from app.ranking.aggregate import Method
from app.ranking.models import RankingDraw
from tests.builders.jury import juror, pool_proposal
from tests.builders.ranking import approved_consensus, conflict, hand_computed, review
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory


@pytest.fixture(autouse=True)
def empty_cache(app):
    """Every test starts without cached rankings (ids repeat between tests on SQLite), in a request."""
    cache.clear()
    with app.test_request_context():
        yield
    cache.clear()


def _by_title(view):
    return {row.title: row for row in view.rows}


def test_mean_ranking_matches_the_hand_computation(db):
    hc = hand_computed()
    view = service.compute_ranking(hc.competition, "mean")
    assert [r.proposal_id for r in view.rows] == [hc.p1.id, hc.p3.id, hc.p2.id]
    p1, p3, p2 = view.rows
    assert p1.scores == pytest.approx({hc.a.id: 13 / 3, hc.b.id: 13 / 3})
    assert p1.total == pytest.approx(13.0)
    assert p3.total == pytest.approx(11.0)
    assert p2.total == pytest.approx(2 * 5 + 7 / 3)
    assert view.overall_threshold == pytest.approx(9.0)
    # p2 has the second-highest total but fails criterion B, so it is ranked after the passing ones.
    assert (p2.rank, p2.passed, p2.failing_names("de"), p2.failing_names("en")) == (3, False, ["Wirkung"], ["Impact"])
    assert p2.flags[0] == "below_threshold"
    assert [r.reviews for r in view.rows] == [3, 3, 3]
    assert [r.spread for r in view.rows] == pytest.approx([3.0, 4.0, 1.0])
    assert [r.rank_label for r in view.rows] == ["1", "2", "3"]


def test_funding_line_and_target_count(db):
    hc = hand_computed()
    view = service.compute_ranking(hc.competition)
    assert [(r.cumulative_cents, r.above_funding_line) for r in view.rows] == [
        (80_000_000, True), (140_000_000, False), (170_000_000, False)]
    assert (view.funded_count, view.funded_cents, view.remaining_cents) == (1, 80_000_000, 20_000_000)
    assert view.line_index == 1
    assert view.target_status == "within"  # 1 winner, target 1 to 2


def test_disagreement_flags_name_the_criterion(db):
    hc = hand_computed()
    rows = _by_title(service.compute_ranking(hc.competition))
    p3 = rows["Energie Lindenau"]
    assert p3.disagreement and [c.id for c in p3.disagreement_criteria] == [hc.a.id]
    assert p3.totals_disagreement  # juror totals 9..13: 4 / 13 > 30 %
    assert not rows["Autozulieferer West"].disagreement


def test_uncertainty_is_reproducible_and_marks_near_the_line(db):
    hc = hand_computed()
    first = service.compute_ranking(hc.competition)
    cache.clear()
    again = service.compute_ranking(hc.competition)
    assert [(r.rank_low, r.rank_high, r.p_top_k) for r in first.rows] == \
        [(r.rank_low, r.rank_high, r.p_top_k) for r in again.rows]
    p1 = first.rows[0]
    assert p1.rank_low == 1 and p1.rank_low <= p1.rank_high <= 3 and p1.p_top_k > 0.95
    for row in first.rows:
        assert row.near_line == (0.2 < row.p_top_k < 0.8)
    assert first.bootstrap_resamples == 1000
    without = service.compute_ranking(hc.competition, with_uncertainty=False)
    assert without.with_uncertainty  # the fuller cached view serves a request without uncertainty


@pytest.mark.parametrize("method", list(Method))
def test_every_method_is_reachable(db, method):
    hc = hand_computed()
    view = service.compute_ranking(hc.competition, method.value)
    assert view.method is method
    assert len(view.rows) == 3


def test_median_trimmed_calibrated_and_normalised(db):
    hc = hand_computed()
    median = _by_title(service.compute_ranking(hc.competition, "median"))
    assert median["Autozulieferer West"].total == pytest.approx(12.0)
    assert median["Medienhof Plagwitz"].scores[hc.b.id] == pytest.approx(2.0)
    trimmed = service.compute_ranking(hc.competition, "trimmed")
    # With 3 reviews the trimmed mean is the mean, and says so.
    assert trimmed.rows[0].total == pytest.approx(13.0)
    assert set(trimmed.rows[0].notes.values()) == {"trimmed_fell_back_to_mean"}
    calibrated = service.compute_ranking(hc.competition, "calibrated")
    # Every juror scored every proposal: the calibrated scores equal the means.
    assert [r.total for r in calibrated.rows] == pytest.approx([13.0, 11.0, 2 * 5 + 7 / 3])
    j1 = hc.jurors[0].id
    assert calibrated.leniency[j1].weighted == pytest.approx(2 * (-1 / 9) + (-2 / 9))
    normalised = service.compute_ranking(hc.competition, "normalised")
    assert normalised.rows[0].total != pytest.approx(13.0)


def test_consensus_method_uses_agreed_scores(db):
    hc = hand_computed()
    approved_consensus(hc.p3, {hc.a: 5, hc.b: 5})
    view = service.compute_ranking(hc.competition, "consensus")
    assert view.has_consensus
    assert [r.proposal_id for r in view.rows] == [hc.p3.id, hc.p1.id, hc.p2.id]
    assert view.rows[0].total == pytest.approx(15.0)
    assert set(view.rows[0].notes.values()) == {"consensus"}
    assert set(view.rows[1].notes.values()) == {"no_consensus_mean"}


def test_what_if_weights_move_the_ranking_without_saving(db):
    hc = hand_computed()
    view = service.compute_ranking(hc.competition, weights={hc.a.id: Decimal("1"), hc.b.id: 3})
    assert [r.proposal_id for r in view.rows[:2]] == [hc.p3.id, hc.p1.id]
    assert view.rows[0].total == pytest.approx(18.0)
    assert view.overall_threshold == pytest.approx(12.0)  # H = 1·3 + 3·3 with the weights tried
    assert not view.weights_saved
    _db.session.expire_all()
    assert hc.a.weight == Decimal("2")
    with pytest.raises(ValueError):
        service.compute_ranking(hc.competition, weights={hc.a.id: 0})


def test_conflicted_juror_sees_neither_the_row_nor_its_numbers(db):
    hc = hand_computed()
    full = service.compute_ranking(hc.competition)
    seen = service.filter_for_viewer(full, hc.conflicted)
    assert hc.p2.id not in [r.proposal_id for r in seen.rows]
    assert [r.rank for r in seen.rows] == [1, 2]
    assert seen.filtered and not seen.with_uncertainty
    assert all(r.cumulative_cents is None and r.p_top_k is None and r.rank_low is None for r in seen.rows)
    assert len(seen.rows) == 2 and seen.passing_count == 2
    # Jurors without a conflict and admins see the unchanged view.
    assert service.filter_for_viewer(full, hc.jurors[0]) is full
    assert service.filter_for_viewer(full, hc.admin) is full


def test_only_admins_and_signed_jurors_from_the_decision_phase_see_the_ranking(db):
    hc = hand_computed(phase="consensus")
    unsigned = juror(hc.competition, signed=False)
    assert service.can_view_ranking(hc.admin, hc.competition)
    assert not service.can_view_ranking(hc.jurors[0], hc.competition)
    hc.competition.phase = "decision"
    _db.session.commit()
    assert service.can_view_ranking(hc.jurors[0], hc.competition)
    assert not service.can_view_ranking(unsigned, hc.competition)


def _tied_competition():
    """Two proposals with identical scores from the same jurors: only a draw can order them."""
    competition = CompetitionFactory(phase="decision", budget_cents=10_000_000)
    a = CriterionFactory(competition=competition, priority=1)
    b = CriterionFactory(competition=competition, priority=2)
    twins = [pool_proposal(competition, network_name=f"Zwilling {n}") for n in (1, 2)]
    other = pool_proposal(competition, network_name="Einzeln")
    jurors = [juror(competition) for _ in range(3)]
    for user in jurors:
        for proposal in twins:
            review(proposal, user, {a: 4, b: 4})
        review(other, user, {a: 3, b: 3})
    return competition, twins


def test_ties_need_a_recorded_draw_which_is_audited_and_then_used(db):
    competition, twins = _tied_competition()
    admin = AdminFactory()
    view = service.compute_ranking(competition)
    assert view.unresolved_ties and view.draw_id is None
    assert view.seed == service.default_seed(competition.id)
    assert [r.rank_label for r in view.rows] == ["1=", "1=", "3"]
    assert {r.decided_by for r in view.rows[:2]} == {"draw"}

    draw = service.record_draw(competition, "mean", admin)
    _db.session.commit()
    after = service.compute_ranking(competition)
    assert not after.unresolved_ties
    assert (after.seed, after.draw_id) == (draw.seed, draw.id)
    assert [r.proposal_id for r in after.rows[:2]] == draw.outcome[0]["drawn_order"]
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ranking.draw_recorded"))
    assert event.after["seed"] == str(draw.seed) and event.after["outcome"] == draw.outcome
    with pytest.raises(DomainError):
        service.record_draw(competition, "mean", admin)
    # Another method has its own draw.
    assert service.compute_ranking(competition, "median").unresolved_ties


def test_record_draw_refuses_when_nothing_is_tied(db):
    hc = hand_computed()
    with pytest.raises(DomainError):
        service.record_draw(hc.competition, "mean", hc.admin)
    assert _db.session.scalar(select(RankingDraw.id)) is None


def test_apply_weights_saves_and_audits_before_and_after(db):
    hc = hand_computed()
    weights.apply_weights(hc.competition, {hc.a.id: Decimal("1"), hc.b.id: Decimal("3")}, hc.admin)
    _db.session.commit()
    assert (hc.a.weight, hc.b.weight) == (Decimal("1"), Decimal("3"))
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "criteria.weights_changed"))
    assert event.before == {"weights": {str(hc.a.id): "2.000", str(hc.b.id): "1.000"}}
    assert event.after == {"weights": {str(hc.a.id): "1.000", str(hc.b.id): "3.000"}}
    assert service.compute_ranking(hc.competition).rows[0].proposal_id == hc.p3.id


@pytest.mark.parametrize("values,field", [
    ({"a": Decimal("0"), "b": Decimal("1")}, "w_a"),
    ({"a": Decimal("1.0005"), "b": Decimal("1")}, "w_a"),
    ({"a": Decimal("2"), "b": Decimal("1")}, None),  # unchanged
])
def test_apply_weights_refuses_bad_or_unchanged_weights(db, values, field):
    hc = hand_computed()
    ids = {"a": hc.a.id, "b": hc.b.id}
    with pytest.raises(DomainError) as refused:
        weights.apply_weights(hc.competition, {ids[k]: v for k, v in values.items()}, hc.admin)
    assert refused.value.field == (f"w_{hc.a.id}" if field else None)


def test_apply_weights_refused_after_an_award(db):
    hc = hand_computed()
    _db.session.add(Decision(proposal_id=hc.p1.id, outcome="awarded", award_date=hc.competition.created_at.date()))
    _db.session.commit()
    assert not weights.can_change_weights(hc.competition)
    with pytest.raises(DomainError):
        weights.apply_weights(hc.competition, {hc.a.id: Decimal("1"), hc.b.id: Decimal("1")}, hc.admin)


# ------------------------------------------------------------------------- cache


@pytest.fixture
def aggregations(monkeypatch):
    """Counts the calls of aggregate_scores, i.e. how often a ranking is really computed."""
    calls = []
    original = aggregate.aggregate_scores

    def counting(*args, **kwargs):
        calls.append(args[2] if len(args) > 2 else kwargs.get("method"))
        return original(*args, **kwargs)

    monkeypatch.setattr(aggregate, "aggregate_scores", counting)
    return calls


def test_cache_serves_repeated_requests(db, aggregations):
    hc = hand_computed()
    first = service.compute_ranking(hc.competition)
    assert service.compute_ranking(hc.competition) == first
    assert len(aggregations) == 1
    service.compute_ranking(hc.competition, "median")
    assert len(aggregations) == 2  # the method is part of the key


def test_cache_recomputes_after_a_score_change(db, aggregations):
    hc = hand_computed()
    before = service.compute_ranking(hc.competition)
    score = _db.session.scalar(select(Score).join(Review, Review.id == Score.review_id).where(
        Score.criterion_id == hc.a.id, Review.proposal_id == hc.p3.id, Review.user_id == hc.jurors[2].id))
    score.value = Decimal("5")  # p3's A: 3, 4, 5 -> mean 4, total 13
    _db.session.commit()
    after = service.compute_ranking(hc.competition)
    assert len(aggregations) == 2
    assert _by_title(before)["Energie Lindenau"].total == pytest.approx(11.0)
    assert _by_title(after)["Energie Lindenau"].total == pytest.approx(13.0)


def test_cache_recomputes_after_a_consensus_approval(db, aggregations):
    hc = hand_computed()
    consensus = approved_consensus(hc.p3, {hc.a: 5, hc.b: 5})
    consensus.status = "proposed"
    _db.session.commit()
    assert not service.compute_ranking(hc.competition, "consensus").has_consensus
    consensus.status = "approved"
    _db.session.commit()
    view = service.compute_ranking(hc.competition, "consensus")
    assert len(aggregations) == 2
    assert view.has_consensus and view.rows[0].proposal_id == hc.p3.id
    assert _db.session.get(Consensus, consensus.id).is_approved


def test_cache_recomputes_after_a_weight_change(db, aggregations):
    hc = hand_computed()
    assert service.compute_ranking(hc.competition).rows[0].proposal_id == hc.p1.id
    weights.apply_weights(hc.competition, {hc.a.id: Decimal("1"), hc.b.id: Decimal("3")}, hc.admin)
    _db.session.commit()
    view = service.compute_ranking(hc.competition)
    assert len(aggregations) == 2
    assert view.rows[0].proposal_id == hc.p3.id and view.weights_saved


def test_cache_recomputes_when_a_reviewer_becomes_conflicted(db, aggregations):
    hc = hand_computed()
    assert service.compute_ranking(hc.competition).rows[0].reviews == 3
    conflict(hc.jurors[2], hc.p1)  # the review of p1 by juror 3 no longer counts: A 4, 4 and B 4, 4
    view = service.compute_ranking(hc.competition)
    assert len(aggregations) == 2
    p1 = _by_title(view)["Autozulieferer West"]
    assert (p1.reviews, p1.total) == (2, pytest.approx(12.0))
    detail = service.proposal_detail(hc.competition, hc.p1.id, hc.admin)
    assert len(detail.jurors) == 2
