"""Seeded score designs and a plain snapshot of every figure aggregate.py computes from them.

tests/unit/data/aggregate_reference.json.gz holds the snapshots as the code computed them
before the ranking was vectorised (commit "Tests: reference figures of every ranking method");
test_aggregate_reference.py recomputes them and compares. Regenerate only when a figure is
meant to change: `.venv/bin/python -m tests.unit.aggregate_reference` (from the repository root).
"""

from __future__ import annotations

import dataclasses
import enum
import gzip
import json
from pathlib import Path

import numpy as np

from app.ranking import aggregate as agg

FIXTURE = Path(__file__).parent / "data" / "aggregate_reference.json.gz"
HALF_POINTS = np.arange(0.0, 5.01, 0.5)


def _balanced(rng, proposals: int, jurors: int, criteria: list[agg.Criterion], reviews, juror_label=str):
    """Scores s = 2.8 + q_p + b_j + noise on the half-point scale; reviews(p) reviewers per proposal."""
    quality = rng.normal(0.0, 0.8, size=(proposals, len(criteria)))
    bias = rng.normal(0.0, 0.4, size=jurors)
    rows = []
    for p in range(proposals):
        for j in rng.choice(jurors, size=reviews(p), replace=False):
            raw = 2.8 + quality[p] + bias[j] + rng.normal(0.0, 0.5, size=len(criteria))
            vals = np.clip(np.round(raw * 2) / 2, 0.0, 5.0)
            rows.extend(agg.ScoreRow(p + 1, juror_label(int(j)), cr.id, float(v))
                        for cr, v in zip(criteria, vals, strict=True))
    return rows


def designs() -> dict[str, dict]:
    """Name -> rows, criteria, consensus, overall threshold, K and bootstrap settings."""
    out = {}
    rng = np.random.default_rng(20240601)
    # Size S of the benchmark: 200 proposals, 20 jurors, 8 criteria, 3 reviews each.
    crits = [agg.Criterion(100 + i, weight=float(w), threshold=2.5, priority=i + 1)
             for i, w in enumerate(rng.choice([0.5, 1.0, 1.5, 2.0], size=8))]
    rows = _balanced(rng, 200, 20, crits, lambda p: 3, juror_label=lambda j: 1000 + j)
    out["S"] = dict(rows=rows, criteria=crits, consensus={(p, 100): 3.0 for p in range(1, 201, 10)},
                    overall=None, k=20, resamples=1000, seed=0)

    # Uneven review counts 1..7 (trimmed mean from 5 on; 5 and more bypass the bootstrap's draw
    # tables), string juror ids, criteria priorities out of list order, a set overall threshold.
    rng = np.random.default_rng(7)
    crits = [agg.Criterion("a", 2.0, 3.0, 2), agg.Criterion("b", 1.0, 2.5, 1), agg.Criterion("c", 0.5, 2.0, 3)]
    rows = _balanced(rng, 60, 12, crits, lambda p: 1 + p % 7, juror_label=lambda j: f"j{j:02d}")
    out["uneven"] = dict(rows=rows, criteria=crits, consensus={(3, "a"): 4.5, (10, "c"): 1.0},
                         overall=8.0, k=10, resamples=400, seed=11)

    # Two juror groups that never share a proposal (two components), a juror with two scores
    # and one who always gives the same score (normalised keeps raw scores for both).
    rng = np.random.default_rng(3)
    crits = [agg.Criterion(i, 1.0 + i % 2, 2.5, 4 - i) for i in range(4)]
    rows = []
    for p in range(40):
        group = range(0, 6) if p < 20 else range(6, 12)
        for j in rng.choice(list(group), size=3, replace=False):
            rows.extend(agg.ScoreRow(p, int(j), cr.id, float(rng.choice(HALF_POINTS[4:]))) for cr in crits)
    rows.extend(agg.ScoreRow(40 + q, 20, cr.id, 3.5) for q in range(4) for cr in crits)
    rows.extend(agg.ScoreRow(40 + q, 21, cr.id, 2.0 + q) for q in range(2) for cr in crits)
    rows.extend(agg.ScoreRow(40 + q, 22, cr.id, float(rng.choice(HALF_POINTS))) for q in range(4) for cr in crits)
    out["components"] = dict(rows=rows, criteria=crits, consensus={}, overall=None, k=8, resamples=300, seed=5)

    # Coarse scores: many exact ties, settled by criteria, by the draw and, in resamples, by the draw keys.
    rng = np.random.default_rng(99)
    crits = [agg.Criterion("x", 1.0, 3.0, 1), agg.Criterion("y", 1.0, 3.0, 2)]
    rows = [agg.ScoreRow(p, j, cr.id, float(rng.choice([2.0, 3.0, 4.0])))
            for p in range(50) for j in rng.choice(8, size=2 + p % 3, replace=False) for cr in crits]
    out["ties"] = dict(rows=rows, criteria=crits, consensus={}, overall=None, k=5, resamples=500, seed=2)
    return out


def plain(value):
    """A value as JSON data that keeps what == would compare (dict keys and their types, order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__,
                **{f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare}}
    if isinstance(value, enum.Enum):
        return {"@enum": value.value}
    if isinstance(value, dict):
        return {"@map": [[plain(k), plain(v)] for k, v in value.items()]}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def snapshot(design: dict) -> dict:
    """Every figure of one design under every method, as plain data."""
    rows, crits, consensus = design["rows"], design["criteria"], design["consensus"] or None
    overall, k = design["overall"], design["k"]
    out = {"disagreement": plain(agg.disagreement(rows, crits)),
           "reliability": plain(agg.reliability(rows, crits)),
           "distribution": plain(agg.score_distribution(rows, crits)), "methods": {}}
    methods = [m for m in agg.Method if m is not agg.Method.CONSENSUS or consensus]
    for method in methods:
        aggregation = agg.aggregate_scores(rows, crits, method, consensus)
        evaluations = agg.evaluate_all(aggregation, crits, overall)
        ranking = agg.rank_proposals(evaluations, crits, seed=424242)
        requested = {pid: 10_000 * (1 + i % 7) for i, pid in enumerate(evaluations)}
        entry = {
            "aggregation": plain(aggregation),
            "evaluations": plain(evaluations),
            "ranking": plain(ranking),
            "funding": plain(agg.funding_line(ranking, requested, 20_000 * k)),
            "bootstrap": plain(agg.bootstrap_ranks(rows, crits, method, k=k, overall_threshold=overall,
                                                   consensus=consensus, resamples=design["resamples"],
                                                   seed=design["seed"])),
        }
        if method is agg.Method.CALIBRATED:
            entry["leniency"] = plain(agg.juror_leniency(aggregation, crits))
        out["methods"][method.value] = entry
    return out


def write() -> None:
    """Write the snapshots of all designs to the fixture file."""
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    data = {name: snapshot(design) for name, design in designs().items()}
    with gzip.open(FIXTURE, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))


if __name__ == "__main__":
    write()
