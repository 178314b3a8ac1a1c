"""The ranking's column path: score columns into a table, complete reviews, intervals from cell scores."""

from __future__ import annotations

import numpy as np
import pytest

from app.ranking import aggregate
from app.ranking.aggregate import Criterion, Method, ScoreRow
from app.ranking.data import ScoreColumns
from app.ranking.service import _complete_reviews

CRITS = [Criterion(7, 2.0, 3.0, 2), Criterion(3, 1.0, 2.5, 1)]


def columns(rows: list[ScoreRow]) -> ScoreColumns:
    """Rows as the loader's columns."""
    p, j, c, s = zip(*rows, strict=True)
    return ScoreColumns(np.array(p), np.array(j), np.array(c), np.array(s, dtype=float))


def sample_rows(seed: int = 1) -> list[ScoreRow]:
    """Reviews of 12 proposals by up to 4 of 6 jurors, in shuffled order."""
    rng = np.random.default_rng(seed)
    rows = [ScoreRow(100 + p, 50 + int(j), cr.id, float(rng.integers(0, 11)) / 2)
            for p in range(12) for j in rng.choice(6, size=1 + p % 4, replace=False) for cr in CRITS]
    return [rows[i] for i in rng.permutation(len(rows))]


def test_columns_give_the_same_table_as_rows():
    rows = sample_rows()
    from_rows = aggregate.tabulate(rows, CRITS)
    from_columns = aggregate.table_from_columns(*columns(rows), CRITS)
    assert from_columns.proposals == from_rows.proposals
    assert from_columns.jurors == from_rows.jurors
    assert all(type(pid) is int for pid in from_columns.proposals)
    for name in ("p", "j", "c", "s"):
        assert np.array_equal(getattr(from_columns, name), getattr(from_rows, name))


def test_columns_are_validated_like_rows():
    with pytest.raises(ValueError, match="unknown criterion 9"):
        aggregate.table_from_columns(*columns([ScoreRow(1, 1, 7, 3.0), ScoreRow(1, 1, 9, 3.0)]), CRITS)
    with pytest.raises(ValueError, match="every criterion"):
        aggregate.table_from_columns(*columns([ScoreRow(1, 1, 7, 3.0)]), CRITS)
    with pytest.raises(ValueError, match="twice"):
        aggregate.table_from_columns(*columns([ScoreRow(1, 1, 7, 3.0), ScoreRow(1, 1, 7, 4.0)]), CRITS)
    with pytest.raises(ValueError, match="finite"):
        aggregate.table_from_columns(*columns([ScoreRow(1, 1, 7, float("nan")), ScoreRow(1, 1, 3, 1.0)]), CRITS)


def test_reviews_missing_or_adding_a_criterion_are_left_out_and_their_proposals_named():
    rows = [
        ScoreRow(1, 10, 7, 4.0), ScoreRow(1, 10, 3, 3.0),  # complete
        ScoreRow(1, 11, 7, 2.0),  # misses criterion 3
        ScoreRow(2, 10, 7, 1.0), ScoreRow(2, 10, 3, 5.0), ScoreRow(2, 10, 8, 5.0),  # scores an unknown criterion too
        ScoreRow(3, 12, 3, 2.5), ScoreRow(3, 12, 7, 0.5),  # complete
    ]
    kept, incomplete = _complete_reviews(columns(rows), {7, 3})
    assert incomplete == (1, 2)
    assert sorted(zip(*(col.tolist() for col in kept), strict=True)) == sorted(
        [(1, 10, 7, 4.0), (1, 10, 3, 3.0), (3, 12, 3, 2.5), (3, 12, 7, 0.5)])


@pytest.mark.parametrize("method", [Method.MEAN, Method.MEDIAN, Method.TRIMMED, Method.NORMALISED,
                                    Method.CALIBRATED])
def test_intervals_from_cell_scores_equal_the_bootstrap(method):
    rows = sample_rows(4)
    table = aggregate.table_from_columns(*columns(rows), CRITS)
    cells = aggregate.cell_scores(table, method)
    intervals = aggregate.rank_intervals(table, cells, k=3, resamples=200, seed=9)
    expected = aggregate.bootstrap_ranks(rows, CRITS, method, k=3, resamples=200, seed=9).proposals
    assert [(int(lo), int(hi), float(p), bool(near)) for lo, hi, p, near in zip(
        intervals.low, intervals.high, intervals.p_top_k, intervals.near_line, strict=True)] == [
        (u.rank_low, u.rank_high, u.p_top_k, u.near_line) for u in expected.values()]
    evaluation = aggregate.evaluate_cells(cells.scores, CRITS)
    ranking = aggregate.rank_cells(table.proposals, evaluation.passed, evaluation.totals, cells.scores, CRITS, 5)
    aggregation = aggregate.aggregate_scores(rows, CRITS, method)
    assert ranking == aggregate.rank_proposals(aggregate.evaluate_all(aggregation, CRITS), CRITS, 5)
