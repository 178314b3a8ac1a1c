"""Score aggregation, disagreement, reliability, ranking and funding line (METHOD.md).

Pure functions over plain data (no Flask, no database): every score figure the product
shows comes from exactly one function here, so auditors can recompute it from the
exported raw rows with METHOD.md in hand.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import NamedTuple

import numpy as np

Id = int | str
Cell = tuple[Id, Id]

# Binary floats carry noise around 1e-15; comparisons against thresholds and "no
# variation" checks allow this much so that mathematically equal values compare equal.
EPS = 1e-9

BOOTSTRAP_SEED = 0
BOOTSTRAP_RESAMPLES = 1000
# Resamples processed at once; fixed so memory stays bounded (about 13 MB per 100 x
# 2,000 x 8 block). Results do not depend on it: all random numbers are drawn up front.
_BOOTSTRAP_CHUNK = 100


class Method(StrEnum):
    """Aggregation method of METHOD.md "Aggregation methods"."""

    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED = "trimmed"
    NORMALISED = "normalised"
    CALIBRATED = "calibrated"
    CONSENSUS = "consensus"


class Note(StrEnum):
    """Why a criterion score S_pc was not computed the method's ordinary way."""

    TRIMMED_FELL_BACK_TO_MEAN = "trimmed_fell_back_to_mean"
    CONSENSUS = "consensus"
    NO_CONSENSUS_MEAN = "no_consensus_mean"
    DISCONNECTED_COMPONENT = "disconnected_component"


class RawKept(StrEnum):
    """Why a juror keeps raw scores on a criterion under the normalised method."""

    FEWER_THAN_3_SCORES = "fewer_than_3_scores"
    NO_VARIATION = "no_variation"


class Agreement(StrEnum):
    """Label for Krippendorff's alpha."""

    GOOD = "good"
    TENTATIVE = "tentative"
    LOW = "low"
    UNDEFINED = "undefined"


class ScoreRow(NamedTuple):
    """One score s_pjc of a submitted review (a named tuple: a ranking at scale reads ~50,000 of them)."""

    proposal_id: Id
    juror_id: Id
    criterion_id: Id
    value: float


@dataclass(frozen=True)
class Criterion:
    """A criterion c with weight w_c, threshold h_c and tie-break priority (1 = first)."""

    id: Id
    weight: float
    threshold: float = 3.0
    priority: int = 1


@dataclass(frozen=True)
class Component:
    """One connected part of a criterion's juror-proposal graph, solved on its own."""

    proposals: tuple[Id, ...]
    jurors: tuple[Id, ...]


@dataclass(frozen=True)
class Aggregation:
    """Criterion scores S_pc under one method, with everything the method flags."""

    method: Method
    scores: dict[Id, dict[Id, float]]
    review_counts: dict[Id, dict[Id, int]]
    notes: dict[Cell, Note]
    # Normalised: (juror, criterion) -> why that juror's raw scores were kept.
    raw_kept: dict[Cell, RawKept]
    # Calibrated: criterion -> juror -> leniency b_j (sum 0 within each component).
    leniency: dict[Id, dict[Id, float]]
    # Calibrated: criterion -> its components, listed only where there are several.
    components: dict[Id, tuple[Component, ...]]
    # Criterion -> juror -> number of scores the juror gave on it.
    juror_counts: dict[Id, dict[Id, int]]
    # The same scores as arrays, for vectorised use (evaluate_cells, rank_cells, rank_intervals).
    cells: CellScores | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Evaluation:
    """A proposal's criterion scores, total T_p and threshold outcome."""

    proposal_id: Id
    scores: dict[Id, float]
    total: float
    passed: bool
    failing_criteria: tuple[Id, ...]
    below_overall_threshold: bool


@dataclass(frozen=True)
class RankEntry:
    """A proposal's place in the ranking and what decided it."""

    rank: int
    proposal_id: Id
    total: float
    passed: bool
    # Rank before tie-breaks: 1 + number of proposals better on (passed, T_p to 2 dp).
    shared_rank: int
    # "total", "criterion:<id>" (first criterion that separated it) or "draw".
    decided_by: str


@dataclass(frozen=True)
class TieDraw:
    """A recorded draw among proposals still tied after the criterion chain."""

    proposal_ids: tuple[Id, ...]
    drawn_order: tuple[Id, ...]
    ranks: tuple[int, ...]


@dataclass(frozen=True)
class Ranking:
    """The full ranking, with the seed, tie groups and draws for the audit trail."""

    entries: tuple[RankEntry, ...]
    seed: int
    tie_groups: tuple[tuple[Id, ...], ...]
    draws: tuple[TieDraw, ...]


@dataclass(frozen=True)
class RankUncertainty:
    """Bootstrap rank interval and P(rank <= K) of one proposal."""

    proposal_id: Id
    rank_low: int
    rank_high: int
    p_top_k: float
    near_line: bool


@dataclass(frozen=True)
class BootstrapResult:
    """Bootstrap rank uncertainty for all proposals, with what is needed to redo it."""

    method: Method
    seed: int
    resamples: int
    k: int
    interval: float
    proposals: dict[Id, RankUncertainty]


@dataclass(frozen=True)
class FundingRow:
    """A proposal on the funding list with the cumulative request up to it."""

    proposal_id: Id
    rank: int
    requested_cents: int
    cumulative_cents: int
    above_line: bool


@dataclass(frozen=True)
class FundingLine:
    """Cumulative requested funding in rank order against the budget."""

    budget_cents: int
    rows: tuple[FundingRow, ...]
    funded_cents: int
    remaining_cents: int


@dataclass(frozen=True)
class DisagreementSettings:
    """Thresholds for discussion flags (METHOD.md: they are settings)."""

    spread_points: float = 2.0
    max_std: float = 1.0
    total_gap_share: float = 0.30


@dataclass(frozen=True)
class CellDisagreement:
    """Spread and standard deviation of one proposal's scores on one criterion."""

    reviews: int
    spread: float
    std: float
    flagged: bool


@dataclass(frozen=True)
class ProposalDisagreement:
    """Discussion flags of one proposal."""

    proposal_id: Id
    flagged: bool
    criteria: dict[Id, CellDisagreement]
    flagged_criteria: tuple[Id, ...]
    juror_totals: dict[Id, float]
    # (max - min) / max of the juror totals; 0 when max is 0.
    totals_gap_share: float
    totals_flagged: bool


@dataclass(frozen=True)
class Reliability:
    """Krippendorff's interval alpha with its label."""

    alpha: float | None
    label: Agreement
    pairable_values: int


@dataclass(frozen=True)
class ReliabilityReport:
    """Alpha on juror totals and per criterion."""

    totals: Reliability
    criteria: dict[Id, Reliability]


@dataclass(frozen=True)
class JurorLeniency:
    """A juror's calibrated leniency b_j per criterion and its weighted effect on T_p."""

    juror_id: Id
    per_criterion: dict[Id, float]
    weighted: float
    reviews: int


@dataclass(frozen=True)
class Distribution:
    """Distribution of all scores given on one criterion."""

    count: int
    mean: float
    std: float
    minimum: float
    median: float
    maximum: float
    counts: dict[float, int]


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class _Table:
    """Score rows as index arrays, in a canonical order independent of input order."""

    proposals: tuple[Id, ...]
    jurors: tuple[Id, ...]
    criteria: tuple[Criterion, ...]
    p: np.ndarray
    j: np.ndarray
    c: np.ndarray
    s: np.ndarray


# What tabulate() returns; aggregate_scores, disagreement and bootstrap_ranks take it in place of rows.
ScoreTable = _Table


def _id_key(value: Id) -> tuple[int, int | str]:
    """Sort key that orders ints numerically, then strings, without comparing the two."""
    return (0, value) if isinstance(value, int) else (1, str(value))


def tabulate(rows: Sequence[ScoreRow], criteria: Sequence[Criterion]) -> _Table:
    """Validate score rows once for several of the functions below (each accepts the result as its rows)."""
    return _tabulate(rows, criteria)


def table_from_columns(
    proposal_ids: np.ndarray, juror_ids: np.ndarray, criterion_ids: np.ndarray, values: np.ndarray,
    criteria: Sequence[Criterion],
) -> _Table:
    """tabulate() for scores given as columns (NumPy arrays of ids of one type each, and values)."""
    _check_criteria(criteria)
    s = np.asarray(values, dtype=np.float64)
    # np.unique sorts numbers numerically and strings as str, as _id_key orders ids of one type.
    proposals, p = np.unique(np.asarray(proposal_ids), return_inverse=True)
    jurors, j = np.unique(np.asarray(juror_ids), return_inverse=True)
    given = np.asarray(criterion_ids)
    known_ids = np.array([cr.id for cr in criteria])
    by_id = np.argsort(known_ids, kind="stable")
    pos = np.minimum(np.searchsorted(known_ids[by_id], given), len(criteria) - 1)
    unknown = known_ids[by_id][pos] != given
    if np.any(unknown):
        raise ValueError(f"unknown criterion {given[unknown][0].item()!r}")
    return _indexed_table(tuple(proposals.tolist()), tuple(jurors.tolist()), tuple(criteria),
                          p.reshape(-1).astype(np.int64), j.reshape(-1).astype(np.int64), by_id[pos], s)


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    """At least one criterion, unique ids, positive weights."""
    if not criteria:
        raise ValueError("at least one criterion is required")
    if len({cr.id for cr in criteria}) != len(criteria):
        raise ValueError("criterion ids must be unique")
    for cr in criteria:
        if not cr.weight > 0:
            raise ValueError(f"criterion {cr.id!r}: weight must be > 0")


def _tabulate(rows: Sequence[ScoreRow] | _Table, criteria: Sequence[Criterion]) -> _Table:
    """Validate rows and turn them into index arrays (a table made by tabulate() for these criteria passes)."""
    if isinstance(rows, _Table):
        if rows.criteria != tuple(criteria):
            raise ValueError("the table was made for other criteria")
        return rows
    _check_criteria(criteria)
    crit_index = {cr.id: i for i, cr in enumerate(criteria)}
    proposals = tuple(sorted({r.proposal_id for r in rows}, key=_id_key))
    jurors = tuple(sorted({r.juror_id for r in rows}, key=_id_key))
    p_index = {v: i for i, v in enumerate(proposals)}
    j_index = {v: i for i, v in enumerate(jurors)}
    n = len(rows)
    # Column-wise rather than row by row.
    proposal_col, juror_col, criterion_col, value_col = zip(*rows, strict=True) if n else ((), (), (), ())
    unknown = set(criterion_col) - crit_index.keys()
    if unknown:
        raise ValueError(f"unknown criterion {next(iter(unknown))!r}")
    p = np.fromiter(map(p_index.__getitem__, proposal_col), dtype=np.int64, count=n)
    j = np.fromiter(map(j_index.__getitem__, juror_col), dtype=np.int64, count=n)
    c = np.fromiter(map(crit_index.__getitem__, criterion_col), dtype=np.int64, count=n)
    s = np.fromiter(value_col, dtype=np.float64, count=n)
    return _indexed_table(proposals, jurors, tuple(criteria), p, j, c, s)


def _indexed_table(proposals: tuple[Id, ...], jurors: tuple[Id, ...], criteria: tuple[Criterion, ...],
                   p: np.ndarray, j: np.ndarray, c: np.ndarray, s: np.ndarray) -> _Table:
    """Check indexed score columns (finite, no repeats, complete reviews) and put them in canonical order."""
    n = s.size
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite numbers")
    n_c = len(criteria)
    review = p * len(jurors) + j
    key = np.sort(review * n_c + c)
    if np.any(key[1:] == key[:-1]):
        raise ValueError("a juror scored the same proposal and criterion twice")
    # METHOD: a submitted review scores every criterion; totals and resampling rely on it.
    sorted_review = key // n_c
    first = np.flatnonzero(np.diff(sorted_review, prepend=-1))  # review ids are >= 0
    per_review = np.diff(np.append(first, n))
    if np.any(per_review != n_c):
        bad = int(sorted_review[first[per_review != n_c][0]])
        raise ValueError(
            f"review of proposal {proposals[bad // len(jurors)]!r} by juror "
            f"{jurors[bad % len(jurors)]!r} does not score every criterion"
        )
    # Canonical order (criterion, proposal, value): sums then do not depend on the
    # order of the exported rows nor on how jurors are labelled.
    order = np.lexsort((s, p, c))
    return _Table(proposals, jurors, criteria, p[order], j[order], c[order], s[order])


def _weights(criteria: Sequence[Criterion]) -> np.ndarray:
    """Weights w_c as an array in criteria order."""
    return np.array([cr.weight for cr in criteria], dtype=np.float64)


def _priority_order(criteria: Sequence[Criterion]) -> list[int]:
    """Criterion positions in tie-break order (priority, then position in the list)."""
    return sorted(range(len(criteria)), key=lambda i: (criteria[i].priority, i))


# --------------------------------------------------------------------- aggregation


def _reduce(values: np.ndarray, method: Method, axis: int = -1) -> np.ndarray:
    """Aggregate reviews along an axis: the single place mean/median/trim happen."""
    n = values.shape[axis]
    if method is Method.MEDIAN:
        # Sorting a handful of reviews beats np.median's partition machinery 3x; the
        # even case averages the two middle values exactly as np.median does.
        ordered = np.sort(values, axis=axis)
        if n % 2:
            return ordered.take(n // 2, axis=axis)
        return (ordered.take(n // 2 - 1, axis=axis) + ordered.take(n // 2, axis=axis)) / 2.0
    if method is Method.TRIMMED and n >= 5:
        # Drop exactly one highest and one lowest score, even when values repeat.
        return np.sort(values, axis=axis).take(range(1, n - 1), axis=axis).mean(axis=axis)
    return values.mean(axis=axis)


def _cell_groups(cell: np.ndarray, values: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (cell ids, values shaped cells x n) for each review count n."""
    order = np.lexsort((values, cell))
    cs, vs = cell[order], values[order]
    uniq, start, counts = np.unique(cs, return_index=True, return_counts=True)
    for n in np.unique(counts):
        sel = counts == n
        yield uniq[sel], vs[start[sel][:, None] + np.arange(n)]


@dataclass(frozen=True)
class _Adjusted:
    """Per-row values to aggregate, plus fixed cells and method flags."""

    values: np.ndarray
    reducer: Method
    fixed: dict[tuple[int, int], float]
    notes: dict[tuple[int, int], Note]
    raw_kept: dict[tuple[int, int], RawKept]
    leniency: dict[int, dict[int, float]]
    components: dict[int, list[tuple[np.ndarray, np.ndarray]]]


def _normalise(t: _Table) -> tuple[np.ndarray, dict[tuple[int, int], RawKept]]:
    """Z-score per juror and criterion: m_c + d_c (s - m_jc) / d_jc, raw where not possible."""
    out = t.s.copy()
    kept: dict[tuple[int, int], RawKept] = {}
    n_j = len(t.jurors)
    for ci in range(len(t.criteria)):
        mask = t.c == ci
        if not mask.any():
            continue
        s, j = t.s[mask], t.j[mask]
        m_c, d_c = s.mean(), s.std()
        cnt = np.bincount(j, minlength=n_j)
        m_j = np.bincount(j, weights=s, minlength=n_j) / np.maximum(cnt, 1)
        # Two-pass deviation: avoids the cancellation of E[s^2] - E[s]^2.
        d_j = np.sqrt(np.bincount(j, weights=(s - m_j[j]) ** 2, minlength=n_j) / np.maximum(cnt, 1))
        few = cnt < 3
        flat = ~few & (d_j <= EPS)
        ok = ~(few | flat)
        for ji in np.flatnonzero((cnt > 0) & few):
            kept[(int(ji), ci)] = RawKept.FEWER_THAN_3_SCORES
        for ji in np.flatnonzero(flat):
            kept[(int(ji), ci)] = RawKept.NO_VARIATION
        use = ok[j]
        z = (s[use] - m_j[j[use]]) / d_j[j[use]]
        vals = s.copy()
        vals[use] = m_c + d_c * z
        out[mask] = vals
    return out, kept


def _connected_components(a: np.ndarray, b: np.ndarray, n: int) -> tuple[int, np.ndarray]:
    """(count, label per node) of the undirected graph on n nodes with edges a[i]-b[i].

    Labels are numbered in the order of each component's lowest node, as scipy's
    csgraph.connected_components numbers them (tests/unit/test_aggregate.py compares both).
    Every node takes the lowest label among its neighbours until nothing changes; pointer
    jumping (label of the label) makes that take a few rounds even on long chains.
    """
    labels = np.arange(n)
    while True:
        before = labels.copy()
        low = np.minimum(labels[a], labels[b])
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            break
    roots, numbered = np.unique(labels, return_inverse=True)
    return roots.size, numbered


def _present(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(index, return_inverse=True) for small non-negative integers, without sorting."""
    present = np.bincount(index) > 0
    return np.flatnonzero(present), (np.cumsum(present) - 1)[index]


def _calibrate(
    t: _Table,
) -> tuple[np.ndarray, dict[int, dict[int, float]], dict[int, list[tuple[np.ndarray, np.ndarray]]]]:
    """Fixed-effects least squares s = mu + q_p + b_j + e per criterion; returns s - b_j."""
    out = t.s.copy()
    if not t.s.size:
        return out, {}, {}
    n_c = len(t.criteria)
    # Every review scores every criterion (checked in _indexed_table), so all criteria share one
    # juror-proposal graph: its matrix is built and solved once, with one right-hand side per criterion.
    props, p_all = _present(t.p)
    jurs, j_all = _present(t.j)
    n_p, n_j = props.size, jurs.size
    first_criterion = t.c == t.c[0]
    p, j = p_all[first_criterion], j_all[first_criterion]
    cnt_p = np.bincount(p, minlength=n_p).astype(np.float64)
    cnt_j = np.bincount(j, minlength=n_j).astype(np.float64)
    # Eliminating theta_p = mu + q_p = mean_j(s - b_j) leaves the juror system
    # M b = r with M = D_j - W' D_p^-1 W, a graph Laplacian: singular exactly along
    # one constant vector per connected component, which sum b_j = 0 removes.
    # (W' D_p^-1 W)[a, b] = sum over proposals reviewed by both a and b of 1 / reviews(p).
    by_proposal = np.argsort(p, kind="stable")
    p_sorted, j_sorted = p[by_proposal], j[by_proposal]
    shared = np.zeros(n_j * n_j)
    for n in np.unique(cnt_p[cnt_p > 0]).astype(np.int64):
        rows = np.flatnonzero(cnt_p[p_sorted] == n)
        panel = j_sorted[rows].reshape(-1, n)  # the jurors of each proposal with n reviews
        pairs = (panel[:, :, None] * n_j + panel[:, None, :]).reshape(-1)
        shared += np.bincount(pairs, minlength=n_j * n_j) / n
    m = np.diag(cnt_j) - shared.reshape(n_j, n_j)
    r = np.empty((n_j, n_c))
    y_p = np.empty((n_p, n_c))
    for ci in range(n_c):
        mask = t.c == ci
        y_p[:, ci] = np.bincount(p_all[mask], weights=t.s[mask], minlength=n_p)
        r[:, ci] = np.bincount(j_all[mask], weights=t.s[mask], minlength=n_j)
    # r = y_j - W' D_p^-1 y_p, summed review by review.
    np.subtract.at(r, j, y_p[p] / cnt_p[p][:, None])
    n_comp, labels = _connected_components(p, j + n_p, n_p + n_j)
    lab_p, lab_j = labels[:n_p], labels[n_p:]
    # Pin one juror per component to 0 (reduced Laplacian is non-singular), solve,
    # then shift each component so its leniencies sum to zero.
    first = np.full(n_comp, n_j)
    np.minimum.at(first, lab_j, np.arange(n_j))  # the lowest juror of each component
    free = np.ones(n_j, dtype=bool)
    free[first[first < n_j]] = False
    b = np.zeros((n_j, n_c))
    if free.any():
        idx = np.flatnonzero(free)
        b[idx] = np.linalg.solve(m[np.ix_(idx, idx)], r[idx])
    size = np.maximum(np.bincount(lab_j, minlength=n_comp), 1)
    leniency: dict[int, dict[int, float]] = {}
    components: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    juror_ids = jurs.tolist()
    parts = [(props[lab_p == k], jurs[lab_j == k]) for k in range(n_comp)] if n_comp > 1 else None
    for ci in range(n_c):
        b_c = b[:, ci] - (np.bincount(lab_j, weights=b[:, ci], minlength=n_comp) / size)[lab_j]
        mask = t.c == ci
        out[mask] = t.s[mask] - b_c[j_all[mask]]
        leniency[ci] = dict(zip(juror_ids, b_c.tolist(), strict=True))
        if parts is not None:
            components[ci] = parts
    return out, leniency, components


def _adjust(t: _Table, method: Method, consensus: Mapping[Cell, float] | None) -> _Adjusted:
    """Per-row values and flags of a method; aggregation and bootstrap both start here."""
    method = Method(method)
    values, reducer = t.s, method
    fixed: dict[tuple[int, int], float] = {}
    notes: dict[tuple[int, int], Note] = {}
    raw_kept: dict[tuple[int, int], RawKept] = {}
    leniency: dict[int, dict[int, float]] = {}
    components: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    n_p = len(t.proposals)
    counts = np.bincount(t.c * n_p + t.p, minlength=len(t.criteria) * n_p)
    cells = np.flatnonzero(counts)

    def keys(of: np.ndarray) -> list[tuple[int, int]]:
        """(proposal, criterion) index pairs of cell numbers c * n_p + p."""
        return list(zip((of % n_p).tolist(), (of // n_p).tolist(), strict=True))

    if method is Method.TRIMMED:
        notes = dict.fromkeys(keys(cells[counts[cells] < 5]), Note.TRIMMED_FELL_BACK_TO_MEAN)
    elif method is Method.NORMALISED:
        values, raw_kept = _normalise(t)
        reducer = Method.MEAN
    elif method is Method.CALIBRATED:
        values, leniency, components = _calibrate(t)
        # theta_p = mean_j(s - b_j) is the least-squares normal equation for theta_p.
        reducer = Method.MEAN
        for ci, comps in components.items():
            for props, _ in comps:
                for pi in props:
                    notes[(int(pi), ci)] = Note.DISCONNECTED_COMPONENT
    elif method is Method.CONSENSUS:
        reducer = Method.MEAN
        p_index = {v: i for i, v in enumerate(t.proposals)}
        c_index = {cr.id: i for i, cr in enumerate(t.criteria)}
        given = {}
        for (pid, cid), value in (consensus or {}).items():
            if pid not in p_index or cid not in c_index:
                raise ValueError(f"consensus score for unknown proposal/criterion {(pid, cid)!r}")
            if not math.isfinite(value):
                raise ValueError("consensus scores must be finite numbers")
            given[(p_index[pid], c_index[cid])] = float(value)
        present = keys(cells)
        fixed = {key: given[key] for key in present if key in given}
        notes = {key: Note.CONSENSUS if key in given else Note.NO_CONSENSUS_MEAN for key in present}
    return _Adjusted(values, reducer, fixed, notes, raw_kept, leniency, components)


def _cell_scores(t: _Table, adj: _Adjusted) -> np.ndarray:
    """S_pc as a proposals x criteria array (NaN where a proposal has no score)."""
    n_p = len(t.proposals)
    out = np.full((n_p, len(t.criteria)), np.nan)
    for cells, vals in _cell_groups(t.c * n_p + t.p, adj.values):
        out[cells % n_p, cells // n_p] = _reduce(vals, adj.reducer)
    for (pi, ci), v in adj.fixed.items():
        out[pi, ci] = v
    return out


@dataclass(frozen=True)
class CellScores:
    """Criterion scores S_pc of a table's proposals as arrays (rows in the table's proposal order)."""

    method: Method
    # Proposals x criteria; NaN where a proposal has no score on a criterion.
    scores: np.ndarray
    # Proposals x criteria: number of reviews behind each score.
    counts: np.ndarray
    # What the method did to the rows (the bootstrap resamples these same adjusted values).
    adjusted: _Adjusted


def cell_scores(table: ScoreTable, method: Method | str = Method.MEAN,
                consensus: Mapping[Cell, float] | None = None) -> CellScores:
    """aggregate_scores() as arrays: S_pc and review counts of every proposal of a tabulated table."""
    method = Method(method)
    adj = _adjust(table, method, consensus)
    n_p, n_c = len(table.proposals), len(table.criteria)
    counts = np.bincount(table.c * n_p + table.p, minlength=n_c * n_p).reshape(n_c, n_p).T
    return CellScores(method, _cell_scores(table, adj), counts, adj)


def aggregate_scores(
    rows: Sequence[ScoreRow] | ScoreTable,
    criteria: Sequence[Criterion],
    method: Method | str = Method.MEAN,
    consensus: Mapping[Cell, float] | None = None,
) -> Aggregation:
    """Criterion scores S_pc of every proposal under one aggregation method."""
    t = _tabulate(rows, criteria)
    return aggregation_of(t, cell_scores(t, method, consensus))


def aggregation_of(table: ScoreTable, cells: CellScores) -> Aggregation:
    """The Aggregation (dicts by id) of cell_scores() computed for this table."""
    t, adj = table, cells.adjusted
    crit = t.criteria
    ids = [cr.id for cr in crit]
    scores: dict[Id, dict[Id, float]] = {}
    review_counts: dict[Id, dict[Id, int]] = {}
    complete = cells.counts.all(axis=1).tolist()
    for pid, full, vals, cnts in zip(t.proposals, complete, cells.scores.tolist(), cells.counts.tolist(),
                                     strict=True):
        if full:
            scores[pid] = dict(zip(ids, vals, strict=True))
            review_counts[pid] = dict(zip(ids, cnts, strict=True))
        else:
            scores[pid] = {cid: v for cid, v, n in zip(ids, vals, cnts, strict=True) if n}
            review_counts[pid] = {cid: n for cid, n in zip(ids, cnts, strict=True) if n}
    notes, raw_kept = method_notes(t, cells)
    return Aggregation(
        method=cells.method,
        scores=scores,
        review_counts=review_counts,
        notes=notes,
        raw_kept=raw_kept,
        leniency={crit[ci].id: {t.jurors[ji]: b for ji, b in per.items()} for ci, per in adj.leniency.items()},
        components={
            crit[ci].id: tuple(
                Component(tuple(t.proposals[i] for i in ps), tuple(t.jurors[i] for i in js)) for ps, js in comps
            )
            for ci, comps in adj.components.items()
        },
        juror_counts={
            cr.id: {
                t.jurors[ji]: n
                for ji, n in enumerate(np.bincount(t.j[t.c == ci], minlength=len(t.jurors)).tolist())
                if n
            }
            for ci, cr in enumerate(crit)
        },
        cells=cells,
    )


def method_notes(table: ScoreTable, cells: CellScores) -> tuple[dict[Cell, Note], dict[Cell, RawKept]]:
    """Aggregation.notes and .raw_kept of cell_scores() (by ids) without building the rest of it."""
    crit = table.criteria
    notes = {(table.proposals[pi], crit[ci].id): n for (pi, ci), n in cells.adjusted.notes.items()}
    raw_kept = {(table.jurors[ji], crit[ci].id): k for (ji, ci), k in cells.adjusted.raw_kept.items()}
    return notes, raw_kept


def aggregate_all(
    rows: Sequence[ScoreRow],
    criteria: Sequence[Criterion],
    consensus: Mapping[Cell, float] | None = None,
) -> dict[Method, Aggregation]:
    """All methods side by side (consensus only when a consensus report exists)."""
    methods = [m for m in Method if m is not Method.CONSENSUS or consensus]
    return {m: aggregate_scores(rows, criteria, m, consensus) for m in methods}


# ------------------------------------------------------------- totals, thresholds


def _totals(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """T_p = sum_c w_c S_pc over the last axis."""
    return scores @ weights


def _passes(
    scores: np.ndarray, totals: np.ndarray, thresholds: np.ndarray, overall: float
) -> tuple[np.ndarray, np.ndarray]:
    """(criteria at or above h_c, T_p at or above H), tolerant of float noise."""
    return scores >= thresholds - EPS, totals >= overall - EPS


def default_overall_threshold(criteria: Sequence[Criterion]) -> float:
    """Default H = sum_c w_c h_c."""
    return float(_totals(np.array([cr.threshold for cr in criteria]), _weights(criteria)))


def total(scores: Mapping[Id, float], criteria: Sequence[Criterion]) -> float:
    """T_p = sum_c w_c S_pc for one proposal."""
    missing = [cr.id for cr in criteria if cr.id not in scores]
    if missing:
        raise ValueError(f"no score for criteria {missing!r}")
    return float(_totals(np.array([scores[cr.id] for cr in criteria]), _weights(criteria)))


def evaluate(
    proposal_id: Id,
    scores: Mapping[Id, float],
    criteria: Sequence[Criterion],
    overall_threshold: float | None = None,
) -> Evaluation:
    """Total and pass/fail of one proposal, naming the criteria below threshold."""
    h_total = default_overall_threshold(criteria) if overall_threshold is None else overall_threshold
    return _evaluate(proposal_id, scores, criteria, _weights(criteria),
                     np.array([cr.threshold for cr in criteria]), h_total)


def _evaluate(proposal_id: Id, scores: Mapping[Id, float], criteria: Sequence[Criterion], weights: np.ndarray,
              thresholds: np.ndarray, h_total: float) -> Evaluation:
    """evaluate() with the criteria's weights and thresholds as arrays (made once for all proposals)."""
    missing = [cr.id for cr in criteria if cr.id not in scores]
    if missing:
        raise ValueError(f"no score for criteria {missing!r}")
    s = np.array([scores[cr.id] for cr in criteria])
    t_p = float(_totals(s, weights))
    crit_ok, total_ok = _passes(s, np.float64(t_p), thresholds, h_total)
    failing = tuple(cr.id for cr, ok in zip(criteria, crit_ok, strict=True) if not ok)
    return Evaluation(
        proposal_id=proposal_id,
        scores=dict(scores),
        total=t_p,
        passed=not failing and bool(total_ok),
        failing_criteria=failing,
        below_overall_threshold=not bool(total_ok),
    )


def evaluate_all(
    aggregation: Aggregation | Mapping[Id, Mapping[Id, float]],
    criteria: Sequence[Criterion],
    overall_threshold: float | None = None,
) -> dict[Id, Evaluation]:
    """Evaluate every proposal of an aggregation."""
    scores = aggregation.scores if isinstance(aggregation, Aggregation) else aggregation
    h_total = default_overall_threshold(criteria) if overall_threshold is None else overall_threshold
    weights, thresholds = _weights(criteria), np.array([cr.threshold for cr in criteria])
    return {pid: _evaluate(pid, s, criteria, weights, thresholds, h_total) for pid, s in scores.items()}


@dataclass(frozen=True)
class CellEvaluation:
    """evaluate() for many proposals at once: arrays in the order of the scores' rows."""

    totals: np.ndarray
    # Proposals x criteria: S_pc at or above h_c.
    criteria_ok: np.ndarray
    total_ok: np.ndarray
    passed: np.ndarray


def evaluate_cells(scores: np.ndarray, criteria: Sequence[Criterion],
                   overall_threshold: float | None = None) -> CellEvaluation:
    """Totals T_p and threshold outcomes of a proposals x criteria array of S_pc (cell_scores().scores)."""
    scores = np.asarray(scores, dtype=np.float64)
    missing = np.isnan(scores).any(axis=0)
    if missing.any():
        raise ValueError(f"no score for criteria {[cr.id for cr, m in zip(criteria, missing, strict=True) if m]!r}")
    h_total = default_overall_threshold(criteria) if overall_threshold is None else overall_threshold
    totals = _totals(scores, _weights(criteria))
    crit_ok, tot_ok = _passes(scores, totals, np.array([cr.threshold for cr in criteria]), h_total)
    return CellEvaluation(totals, crit_ok, tot_ok, crit_ok.all(axis=-1) & tot_ok)


# ------------------------------------------------------------------------ ranking


def hundredths(x: np.ndarray | float) -> np.ndarray:
    """Values as integer hundredths, rounded half up: the "to two decimals" of METHOD."""
    # Snapping x*100 to 6 decimals first removes binary noise, so 2.675 (stored as
    # 2.67499999...) rounds to 268 as a person reading "2.675" expects.
    return np.floor(np.round(np.asarray(x, dtype=np.float64) * 100.0, 6) + 0.5).astype(np.int64)


def round2(x: float) -> float:
    """A value rounded half up to two decimals, as shown and as compared for ties."""
    return float(hundredths(x)) / 100.0


def _tie_keys(passed: np.ndarray, totals: np.ndarray, prio_scores: np.ndarray) -> list[np.ndarray]:
    """np.lexsort keys, least significant first: criteria in reverse priority, T_p, passed."""
    keys = [-hundredths(prio_scores[..., i]) for i in range(prio_scores.shape[-1] - 1, -1, -1)]
    return [*keys, -hundredths(totals), ~passed]


def _pack_keys(keys: list[np.ndarray]) -> list[np.ndarray]:
    """Pack integer sort keys (least significant first) into few int64 words, same order."""
    # np.lexsort cost grows with the number of keys; 11 keys packed into 2 words make
    # the bootstrap's 1,000 sorts about 4x faster.
    words: list[np.ndarray] = []
    current: np.ndarray | None = None
    bits = 0
    for key in keys:
        k = key.astype(np.int64)
        k = k - k.min()
        width = int(k.max()).bit_length()
        if current is None or bits + width > 62:
            if current is not None:
                words.append(current)
            current, bits = k, width
        else:
            current = current | (k << bits)
            bits += width
    if current is not None:
        words.append(current)
    return words


def new_draw_seed() -> int:
    """A fresh unpredictable seed for a tie draw (record it with the result)."""
    return secrets.randbits(63)


def rank_proposals(evaluations: Mapping[Id, Evaluation], criteria: Sequence[Criterion], seed: int) -> Ranking:
    """Order proposals (passing first, T_p, criteria by priority, then a seeded draw)."""
    ids = sorted(evaluations, key=_id_key)
    if not ids:
        return Ranking((), seed, (), ())
    passed = np.array([evaluations[i].passed for i in ids])
    totals = np.array([evaluations[i].total for i in ids])
    scores = np.array([[evaluations[i].scores[cr.id] for cr in criteria] for i in ids])
    return rank_cells(ids, passed, totals, scores, criteria, seed)


def _runs(same: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs longer than one, where same[i] says position i+1 equals position i."""
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    ends = np.append(starts[1:], same.size + 1)
    return [(s, e) for s, e in zip(starts.tolist(), ends.tolist(), strict=True) if e - s > 1]


def rank_cells(proposal_ids: Sequence[Id], passed: np.ndarray, totals: np.ndarray, scores: np.ndarray,
               criteria: Sequence[Criterion], seed: int) -> Ranking:
    """rank_proposals() for arrays (scores: proposals x criteria), proposals listed in _id_key order."""
    ids = list(proposal_ids)
    n = len(ids)
    if not n:
        return Ranking((), seed, (), ())
    prio = _priority_order(criteria)
    keys = _tie_keys(np.asarray(passed), np.asarray(totals), np.asarray(scores)[:, prio])
    order = np.lexsort(keys)
    # Key columns most significant first, in rank order, for group detection.
    full = np.stack(keys[::-1], axis=1)[order]
    ncols = full.shape[1]
    differs = full[1:] != full[:-1]
    same_total = ~differs[:, :2].any(axis=1)
    same_all = ~differs.any(axis=1)
    # Shared rank: 1 + the position of the first proposal with the same (passed, total).
    positions = np.arange(n)
    shared = np.maximum.accumulate(np.where(np.concatenate(([True], ~same_total)), positions, 0)) + 1
    # First key index (2 = first criterion) at which each proposal differs from a neighbour
    # in its total-group; the deeper of the two neighbours is what decided its place.
    first_diff = np.where(same_all, ncols, differs.argmax(axis=1))
    pair_depth = np.where(same_total, first_diff, 0)
    depth = np.zeros(n, dtype=np.int64)
    depth[:-1] = pair_depth
    depth[1:] = np.maximum(depth[1:], pair_depth)
    tie_groups = [tuple(ids[k] for k in order[s:e].tolist()) for s, e in _runs(same_total)]
    # One PCG64 stream per ranking: the still-tied groups, in rank order, each take the
    # next permutation of their members listed in canonical id order.
    rng = np.random.default_rng(seed)
    final = order.tolist()
    draws: list[TieDraw] = []
    for s, e in _runs(same_all):
        group = sorted(final[s:e], key=lambda k: _id_key(ids[k]))
        drawn = [group[k] for k in rng.permutation(len(group))]
        final[s:e] = drawn
        draws.append(TieDraw(tuple(ids[k] for k in group), tuple(ids[k] for k in drawn), tuple(range(s + 1, e + 1))))
    depth_of = np.empty(n, dtype=np.int64)
    depth_of[order] = depth
    shared_of = np.empty(n, dtype=np.int64)
    shared_of[order] = shared
    how = ["total", "total", *(f"criterion:{criteria[prio[d - 2]].id}" for d in range(2, ncols)), "draw"]
    total_of, passed_of = np.asarray(totals, dtype=np.float64).tolist(), np.asarray(passed, dtype=bool).tolist()
    depth_of, shared_of = depth_of.tolist(), shared_of.tolist()
    entries = tuple(RankEntry(pos + 1, ids[k], total_of[k], passed_of[k], shared_of[k], how[depth_of[k]])
                    for pos, k in enumerate(final))
    return Ranking(entries, seed, tuple(tie_groups), tuple(draws))


# ---------------------------------------------------------------------- bootstrap

# Largest number of ordered draws (n ** n) for which _DrawGroup reduces every possible draw up front.
_DRAW_TABLE_MAX = 256


class _DrawGroup:
    """The proposals with n reviews each and the reviews drawn for them in every resample.

    Why the table: with n reviews there are only n ** n ordered draws (27 for the usual 3
    reviews). Each is reduced once per proposal (from the same values in the same order as
    the direct way, so bit for bit the same scores) and placed in the criterion chain once
    (_rank_table_entries); a resample then only looks up the place of its draw. The direct
    way (gather the drawn reviews of every resample, reduce, compare) stays for groups with
    more reviews, where the table would be too large.
    """

    def __init__(self, props: np.ndarray, start: np.ndarray, idx: np.ndarray, vec: np.ndarray, reducer: Method):
        n = idx.shape[-1]
        self.props, self.reducer = props, reducer
        self.start, self.idx, self.vec = start[:, None], idx, vec
        self.table: np.ndarray | None = None
        if n ** n <= _DRAW_TABLE_MAX:
            # Row k of `draws` is the ordered draw whose code is k (first review most significant).
            draws = np.indices((n,) * n).reshape(n, -1).T
            self.table = _reduce(vec[start[:, None, None] + draws[None, :, :]], reducer, axis=-2)
            # Position of each resample's draw in the flattened (proposal, draw) table.
            # Horner, in place: sum of idx[..., col] * n ** (n - 1 - col) (an int matmul has no BLAS).
            codes = idx[..., 0].copy()
            for col in range(1, n):
                codes *= n
                codes += idx[..., col]
            self.flat = codes + (np.arange(props.size, dtype=np.int32) * n ** n)[None, :]
        self.quality: np.ndarray | None = None

    def reduced(self, lo: int, hi: int) -> np.ndarray:
        """(resamples lo..hi, proposals, criteria): the drawn reviews of each proposal, reduced."""
        return _reduce(self.vec[self.start + self.idx[lo:hi]], self.reducer, axis=-2)

    def quality_of_draws(self, lo: int, hi: int) -> np.ndarray:
        """(resamples lo..hi, proposals): the rank of each drawn outcome among all table entries."""
        return self.quality.reshape(-1).take(self.flat[lo:hi])


def _rank_table_entries(groups: list[_DrawGroup], fixed: tuple[np.ndarray, np.ndarray, np.ndarray],
                        weights: np.ndarray, thresholds: np.ndarray, h_total: float, prio: list[int]) -> None:
    """Give every table entry (a proposal's possible draw) its place in the criterion chain.

    The chain is the one rank_proposals and the resampling loop use: passing first, then the
    total, then the criteria by priority, each to two decimals. Equal outcomes share a place,
    so the resample's draw key alone settles them, exactly as there.
    """
    fixed_p, fixed_c, fixed_v = fixed
    for group in groups:  # consensus cells are the same in every draw
        row_of = np.full(int(group.props.max()) + 1, -1)
        row_of[group.props] = np.arange(group.props.size)
        mine = fixed_p <= group.props.max()
        mine[mine] = row_of[fixed_p[mine]] >= 0
        group.table[row_of[fixed_p[mine]], :, fixed_c[mine]] = fixed_v[mine][:, None]
    values = np.concatenate([g.table.reshape(-1, g.table.shape[-1]) for g in groups])
    tot = _totals(values, weights)
    crit_ok, tot_ok = _passes(values, tot, thresholds, h_total)
    # Packed into few words: the same order and the same equal outcomes, sorted far faster.
    keys = _pack_keys(_tie_keys(crit_ok.all(axis=-1) & tot_ok, tot, values[:, prio]))
    order = np.lexsort(keys)
    stacked = np.stack(keys)[:, order]
    new_outcome = np.concatenate(([True], np.any(stacked[:, 1:] != stacked[:, :-1], axis=0)))
    place = np.empty(order.size, dtype=np.int64)
    place[order] = np.cumsum(new_outcome) - 1
    start = 0
    for group in groups:
        size = group.table.shape[0] * group.table.shape[1]
        group.quality = place[start:start + size].reshape(group.table.shape[:2])
        start += size


def _ranks_by_place(place: np.ndarray, draw_keys) -> np.ndarray:
    """Order of proposals in each resample: by place, and where places are equal by the resample's draw key.

    place: resamples x proposals. draw_keys(rows) gives those resamples' draw keys; it is only
    called for resamples with equal places, as where places differ the keys change nothing.
    """
    n_b, n_p = place.shape
    # (place, proposal) packed into one integer, the proposal in the low bits: a plain sort of it
    # is an argsort by place, and a sort of int32 (when it fits) is about three times faster.
    bits = max(n_p - 1, 1).bit_length()
    dtype = np.int32 if (int(place.max()) + 1) << bits < 2 ** 31 else np.int64
    packed = np.sort((place.astype(dtype) << bits) | np.arange(n_p, dtype=dtype), axis=-1)
    order = packed & ((1 << bits) - 1)
    sorted_place = packed >> bits
    tied = np.flatnonzero((sorted_place[:, 1:] == sorted_place[:, :-1]).any(axis=1))
    if tied.size:
        composite = place[tied].astype(np.int64) * n_p + draw_keys(tied)
        order[tied] = np.argsort(composite, axis=-1)
    return order


def _put_ranks(ranks: np.ndarray, lo: int, order: np.ndarray) -> None:
    """ranks[lo + b, order[b, r]] = r + 1 (a flat scatter into the contiguous ranks: twice put_along_axis's speed)."""
    n_b, n_p = order.shape
    flat = (order + ((lo + np.arange(n_b)) * n_p)[:, None]).reshape(-1)
    ranks.reshape(-1)[flat] = np.tile(np.arange(1, n_p + 1, dtype=ranks.dtype), n_b)


@dataclass(frozen=True)
class RankIntervals:
    """bootstrap_ranks() as arrays over a table's proposals."""

    low: np.ndarray
    high: np.ndarray
    p_top_k: np.ndarray
    near_line: np.ndarray


def rank_intervals(
    table: ScoreTable,
    cells: CellScores,
    *,
    k: int,
    overall_threshold: float | None = None,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    interval: float = 0.90,
    near_line: tuple[float, float] = (0.2, 0.8),
) -> RankIntervals:
    """bootstrap_ranks() for a tabulated table, resampling the values cell_scores() adjusted for its method."""
    if resamples < 1 or k < 0 or not 0 < interval < 1:
        raise ValueError("need resamples >= 1, k >= 0 and 0 < interval < 1")
    return _intervals(table, cells.adjusted, k, overall_threshold, resamples, seed, interval, near_line)


def bootstrap_ranks(
    rows: Sequence[ScoreRow] | ScoreTable,
    criteria: Sequence[Criterion],
    method: Method | str = Method.MEAN,
    *,
    k: int,
    overall_threshold: float | None = None,
    consensus: Mapping[Cell, float] | None = None,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    interval: float = 0.90,
    near_line: tuple[float, float] = (0.2, 0.8),
) -> BootstrapResult:
    """Rank interval and P(rank <= K) per proposal from resampling its reviews."""
    method = Method(method)
    if resamples < 1 or k < 0 or not 0 < interval < 1:
        raise ValueError("need resamples >= 1, k >= 0 and 0 < interval < 1")
    t = _tabulate(rows, criteria)
    if not t.proposals:
        return BootstrapResult(method, seed, resamples, k, interval, {})
    r = _intervals(t, _adjust(t, method, consensus), k, overall_threshold, resamples, seed, interval, near_line)
    out = {
        pid: RankUncertainty(proposal_id=pid, rank_low=low, rank_high=high, p_top_k=p, near_line=near)
        for pid, low, high, p, near in zip(t.proposals, r.low.tolist(), r.high.tolist(), r.p_top_k.tolist(),
                                           r.near_line.tolist(), strict=True)
    }
    return BootstrapResult(method, seed, resamples, k, interval, out)


def _intervals(t: _Table, adj: _Adjusted, k: int, overall_threshold: float | None, resamples: int, seed: int,
               interval: float, near_line: tuple[float, float]) -> RankIntervals:
    """The bootstrap of bootstrap_ranks() on adjusted values; arrays in the table's proposal order."""
    n_p, n_c = len(t.proposals), len(t.criteria)
    if not n_p:
        empty = np.zeros(0, dtype=np.int64)
        return RankIntervals(empty, empty, np.zeros(0), np.zeros(0, dtype=bool))
    weights = _weights(t.criteria)
    thresholds = np.array([cr.threshold for cr in t.criteria])
    h_total = default_overall_threshold(t.criteria) if overall_threshold is None else overall_threshold
    prio = _priority_order(t.criteria)

    # Reviews as (proposal, criteria) vectors of adjusted values. Leniency b_j and the
    # normalising means/deviations are held at their full-data values: only the choice
    # of reviews is resampled.
    review = t.p * len(t.jurors) + t.j
    rev_ids, rev_of_row = np.unique(review, return_inverse=True)
    vec = np.empty((rev_ids.size, n_c))
    vec[rev_of_row, t.c] = adj.values
    rev_p = rev_ids // len(t.jurors)
    # Reviews within a proposal sorted by their values, so the draw does not depend on
    # juror labels or row order.
    order = np.lexsort((*[vec[:, ci] for ci in range(n_c - 1, -1, -1)], rev_p))
    vec, rev_p = vec[order], rev_p[order]
    n_rev = np.bincount(rev_p, minlength=n_p)
    first = np.concatenate(([0], np.cumsum(n_rev)[:-1]))

    # The random numbers, in this order, are the recorded intervals' reproducibility: for each
    # review count (ascending) the drawn reviews of every resample, then one uniform number per
    # resample and proposal whose argsort is the resample's draw key (a random permutation that
    # settles what the criterion chain leaves tied, as the draw would).
    rng = np.random.default_rng(seed)
    groups = []
    for n in np.unique(n_rev):
        props = np.flatnonzero(n_rev == n)
        idx = rng.integers(0, n, size=(resamples, props.size, n), dtype=np.int32)
        groups.append(_DrawGroup(props, first[props].astype(np.int32), idx, vec, adj.reducer))

    @cache
    def uniform() -> np.ndarray:
        """The uniform numbers, drawn when first needed: nothing draws after them, so they are the same."""
        return rng.random((resamples, n_p))

    fixed_cells = list(adj.fixed)
    fixed = (np.array([pi for pi, _ in fixed_cells], dtype=np.int64),
             np.array([ci for _, ci in fixed_cells], dtype=np.int64),
             np.array([adj.fixed[cell] for cell in fixed_cells], dtype=np.float64))

    ranks = np.empty((resamples, n_p), dtype=np.int32)
    if all(group.table is not None for group in groups):
        # Every possible draw is in a table: rank them all once, then each resample only sorts
        # (that rank, its draw key) -- the same order as the criterion chain below, far cheaper.
        _rank_table_entries(groups, fixed, weights, thresholds, h_total, prio)
        for lo in range(0, resamples, _BOOTSTRAP_CHUNK):
            hi = min(lo + _BOOTSTRAP_CHUNK, resamples)
            place = np.empty((hi - lo, n_p), dtype=np.int64)
            for group in groups:
                place[:, group.props] = group.quality_of_draws(lo, hi)
            order_b = _ranks_by_place(place, lambda rows, lo=lo: uniform()[lo + rows].argsort(axis=-1))
            _put_ranks(ranks, lo, order_b)
    else:  # more reviews than the tables allow: reduce the drawn reviews of every resample
        draw_keys = uniform().argsort(axis=-1)
        for lo in range(0, resamples, _BOOTSTRAP_CHUNK):
            hi = min(lo + _BOOTSTRAP_CHUNK, resamples)
            s = np.empty((hi - lo, n_p, n_c))
            for group in groups:
                s[:, group.props, :] = group.reduced(lo, hi)
            s[:, fixed[0], fixed[1]] = fixed[2]
            tot = _totals(s, weights)
            crit_ok, tot_ok = _passes(s, tot, thresholds, h_total)
            passed = crit_ok.all(axis=-1) & tot_ok
            keys = _pack_keys([draw_keys[lo:hi], *_tie_keys(passed, tot, s[..., prio])])
            _put_ranks(ranks, lo, np.lexsort(keys, axis=-1))

    tail = (1.0 - interval) / 2.0
    # The inverted_cdf quantile is one order statistic of the resamples, so intervals are whole
    # ranks that occurred. Which one depends only on the number of resamples: np.quantile of
    # 0..B-1 names it, and one sort of every proposal's ranks (several times faster than two
    # np.quantile calls) gives both ends.
    kth = np.quantile(np.arange(resamples), [tail, 1.0 - tail], method="inverted_cdf").astype(np.int64)
    low, high = np.sort(ranks, axis=0)[kth]
    p_top = (ranks <= k).mean(axis=0)
    lo_p, hi_p = near_line
    return RankIntervals(low.astype(np.int64), high.astype(np.int64), p_top, (lo_p < p_top) & (p_top < hi_p))


# ------------------------------------------------------------------- funding line


def funding_line(ranking: Ranking, requested_cents: Mapping[Id, int], budget_cents: int) -> FundingLine:
    """Cumulative requests in rank order; passing proposals above the line until the budget runs out."""
    if isinstance(budget_cents, bool) or not isinstance(budget_cents, int) or budget_cents < 0:
        raise ValueError("budget must be a non-negative integer number of cents")
    rows: list[FundingRow] = []
    cumulative = 0
    funded = 0
    open_line = True
    for e in ranking.entries:
        cents = requested_cents[e.proposal_id]
        # type() first: the common case costs one check instead of two isinstance calls.
        if type(cents) is not int and (isinstance(cents, bool) or not isinstance(cents, int)) or cents < 0:
            raise ValueError(f"request of {e.proposal_id!r} must be a non-negative integer of cents")
        cumulative += cents
        # The line is drawn once: the first passing proposal that no longer fits closes
        # it, so nothing below is funded ahead of a better-ranked proposal.
        above = open_line and e.passed and cumulative <= budget_cents
        if not above:
            open_line = False
        else:
            funded = cumulative
        rows.append(FundingRow(e.proposal_id, e.rank, cents, cumulative, above))
    return FundingLine(budget_cents, tuple(rows), funded, budget_cents - funded)


# ------------------------------------------------------------------- disagreement


@dataclass(frozen=True)
class DisagreementTable:
    """disagreement() as arrays over a table's proposals (rows) and criteria (columns)."""

    # Proposals x criteria: reviews, spread (max - min), population std and flag of each cell.
    cell_reviews: np.ndarray
    cell_spread: np.ndarray
    cell_std: np.ndarray
    cell_flagged: np.ndarray
    # Per proposal: number of reviews, max and min of the juror totals, gap share and flags.
    reviews: np.ndarray
    totals_high: np.ndarray
    totals_low: np.ndarray
    totals_gap_share: np.ndarray
    totals_flagged: np.ndarray
    flagged: np.ndarray
    # Per review, grouped by proposal and ordered by juror: proposal and juror index, weighted total.
    review_proposal: np.ndarray
    review_juror: np.ndarray
    review_total: np.ndarray


def disagreement_table(table: ScoreTable, settings: DisagreementSettings = DisagreementSettings()) -> DisagreementTable:
    """Discussion flags of every proposal of a tabulated table, as arrays."""
    t = table
    n_p, n_j, n_c = len(t.proposals), len(t.jurors), len(t.criteria)
    weights = _weights(t.criteria)
    reviews_of = np.zeros((n_p, n_c), dtype=np.int64)
    spread = np.zeros((n_p, n_c))
    std = np.zeros((n_p, n_c))
    for cells, vals in _cell_groups(t.c * n_p + t.p, t.s):
        pi, ci = cells % n_p, cells // n_p
        reviews_of[pi, ci] = vals.shape[1]
        spread[pi, ci] = vals.max(axis=1) - vals.min(axis=1)
        std[pi, ci] = vals.std(axis=1)
    cell_flagged = (reviews_of > 0) & ((spread >= settings.spread_points - EPS) | (std > settings.max_std + EPS))
    review = t.p * n_j + t.j
    rev_ids, inv = np.unique(review, return_inverse=True)
    rev_tot = np.bincount(inv, weights=t.s * weights[t.c])
    rev_p = rev_ids // n_j
    # Reviews are sorted by proposal, so each proposal's totals are one contiguous slice.
    first = np.searchsorted(rev_p, np.arange(n_p))
    count = np.bincount(rev_p, minlength=n_p)
    has = count > 0
    high = np.full(n_p, np.nan)
    low = np.full(n_p, np.nan)
    high[has] = np.maximum.reduceat(rev_tot, first[has])
    low[has] = np.minimum.reduceat(rev_tot, first[has])
    positive = high > 0
    gap = np.zeros(n_p)
    gap[positive] = (high[positive] - low[positive]) / high[positive]
    totals_flagged = positive & ((high - low) > settings.total_gap_share * high + EPS)
    return DisagreementTable(
        cell_reviews=reviews_of, cell_spread=spread, cell_std=std, cell_flagged=cell_flagged,
        reviews=count, totals_high=high, totals_low=low, totals_gap_share=gap, totals_flagged=totals_flagged,
        flagged=cell_flagged.any(axis=1) | totals_flagged,
        review_proposal=rev_p, review_juror=rev_ids % n_j, review_total=rev_tot,
    )


def disagreement(
    rows: Sequence[ScoreRow] | ScoreTable,
    criteria: Sequence[Criterion],
    settings: DisagreementSettings = DisagreementSettings(),
) -> dict[Id, ProposalDisagreement]:
    """Discussion flags per criterion (spread, std) and per proposal (juror totals gap)."""
    t = _tabulate(rows, criteria)
    d = disagreement_table(t, settings)
    ids = [cr.id for cr in t.criteria]
    cells = zip(d.cell_reviews.tolist(), d.cell_spread.tolist(), d.cell_std.tolist(), d.cell_flagged.tolist(),
                strict=True)
    juror_totals: list[dict[Id, float]] = [{} for _ in t.proposals]
    for pi, ji, total_ in zip(d.review_proposal.tolist(), d.review_juror.tolist(), d.review_total.tolist(),
                              strict=True):
        juror_totals[pi][t.jurors[ji]] = total_
    out: dict[Id, ProposalDisagreement] = {}
    for pi, (pid, (n, sp, sd, fl)) in enumerate(zip(t.proposals, cells, strict=True)):
        cd = {cid: CellDisagreement(n[ci], sp[ci], sd[ci], fl[ci]) for ci, cid in enumerate(ids) if n[ci]}
        crit_flag = tuple(cid for cid, c in cd.items() if c.flagged)
        tot_flag = bool(d.totals_flagged[pi])
        out[pid] = ProposalDisagreement(
            proposal_id=pid,
            flagged=bool(crit_flag) or tot_flag,
            criteria=cd,
            flagged_criteria=crit_flag,
            juror_totals=juror_totals[pi],
            totals_gap_share=float(d.totals_gap_share[pi]),
            totals_flagged=tot_flag,
        )
    return out


# -------------------------------------------------------------------- reliability


def krippendorff_alpha_interval(data: np.ndarray) -> tuple[float | None, int]:
    """Interval alpha of an observers x units array (NaN = missing), and pairable values n."""
    # Closed form of Krippendorff (2011) for delta^2 = (c - k)^2: the coincidence sums
    # reduce to within-unit and overall sums of squares, O(values) instead of the
    # O(distinct values^2) coincidence matrix (the krippendorff package needs 536 GiB for
    # 2,000 units of continuous juror totals).
    # Alpha ignores who gave a value; sorting each unit's values (NaN last) makes the
    # float sums, and so the result to the last bit, independent of observer order.
    d = np.sort(np.asarray(data, dtype=np.float64), axis=0)
    present = ~np.isnan(d)
    m_u = present.sum(axis=0)
    pairable = m_u >= 2
    vals = d[:, pairable]
    mask = present[:, pairable]
    m = m_u[pairable].astype(np.float64)
    n = int(m.sum())
    if n < 2:
        return None, n
    x = vals[mask]
    ss_total = float(((x - x.mean()) ** 2).sum())
    if ss_total <= 0:
        return None, n
    means = np.where(mask, vals, 0.0).sum(axis=0) / m
    ss_u = np.where(mask, (vals - means) ** 2, 0.0).sum(axis=0)
    d_o = float((m * ss_u / (m - 1)).sum())
    # alpha = 1 - (n - 1) * sum_u[m_u SS_u / (m_u - 1)] / (n * SS_total)
    return 1.0 - (n - 1) * d_o / (n * ss_total), n


def agreement_label(alpha: float | None) -> Agreement:
    """good >= 0.80, tentative >= 0.667, else low (undefined when alpha is)."""
    if alpha is None:
        return Agreement.UNDEFINED
    if alpha >= 0.80:
        return Agreement.GOOD
    if alpha >= 0.667:
        return Agreement.TENTATIVE
    return Agreement.LOW


def reliability(rows: Sequence[ScoreRow] | ScoreTable, criteria: Sequence[Criterion]) -> ReliabilityReport:
    """Krippendorff's interval alpha on juror totals and on each criterion."""
    t = _tabulate(rows, criteria)
    n_p, n_j = len(t.proposals), len(t.jurors)
    weights = _weights(t.criteria)

    def report(data: np.ndarray) -> Reliability:
        """Alpha and label of one observers x units array."""
        a, n = krippendorff_alpha_interval(data)
        return Reliability(a, agreement_label(a), n)

    totals = np.full((n_j, n_p), np.nan)
    # Each review scores every criterion (checked in _tabulate), so summing its
    # weighted scores gives the juror total.
    totals[t.j, t.p] = 0.0
    np.add.at(totals, (t.j, t.p), t.s * weights[t.c])
    per_crit = {}
    for ci, cr in enumerate(t.criteria):
        mask = t.c == ci
        data = np.full((n_j, n_p), np.nan)
        data[t.j[mask], t.p[mask]] = t.s[mask]
        per_crit[cr.id] = report(data)
    return ReliabilityReport(report(totals), per_crit)


# --------------------------------------------------------------------- statistics


def juror_leniency(calibrated: Aggregation, criteria: Sequence[Criterion]) -> dict[Id, JurorLeniency]:
    """Per-juror leniency b_j from a calibrated aggregation, and sum_c w_c b_jc."""
    if calibrated.method is not Method.CALIBRATED:
        raise ValueError("leniency comes from the calibrated method")
    weight = {cr.id: cr.weight for cr in criteria}
    per: dict[Id, dict[Id, float]] = {}
    for cid, by_juror in calibrated.leniency.items():
        for jid, b in by_juror.items():
            per.setdefault(jid, {})[cid] = b
    return {
        jid: JurorLeniency(
            juror_id=jid,
            per_criterion=bs,
            weighted=float(sum(weight[c] * b for c, b in bs.items())),
            # Reviews score every criterion, so any criterion's count is the review count.
            reviews=max(calibrated.juror_counts[c].get(jid, 0) for c in bs),
        )
        for jid, bs in sorted(per.items(), key=lambda kv: _id_key(kv[0]))
    }


def score_distribution(
    rows: Sequence[ScoreRow] | ScoreTable, criteria: Sequence[Criterion]
) -> dict[Id, Distribution]:
    """Count, mean, population std, min, median, max and value counts per criterion."""
    t = _tabulate(rows, criteria)
    out = {}
    for ci, cr in enumerate(t.criteria):
        s = t.s[t.c == ci]
        if s.size == 0:
            continue
        vals, cnt = np.unique(s, return_counts=True)
        out[cr.id] = Distribution(
            count=int(s.size),
            mean=float(s.mean()),
            std=float(s.std()),
            minimum=float(s.min()),
            median=float(np.median(s)),
            maximum=float(s.max()),
            counts={float(v): int(c) for v, c in zip(vals, cnt, strict=True)},
        )
    return out
