"""Time every aggregation method, ranking, reliability and the bootstrap at full scale.

Seeded synthetic competition: 2,000 proposals x 120 jurors x 8 criteria x 3 reviews.
Run: .venv/bin/python bench/bench_aggregate.py   (writes bench/results/aggregate.json)
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

from app.ranking import aggregate as agg  # noqa: E402

P, J, C, K = 2000, 120, 8, 3
SEED = 20240601
REPEATS = 3


def make_competition(
    seed: int = SEED, proposals: int = P, jurors: int = J, criteria: int = C, k: int = K
) -> tuple[list[agg.ScoreRow], list[agg.Criterion]]:
    """Seeded scores s = 2.8 + q_p + b_j + noise on the 0-5 half-point scale, k reviewers each."""
    rng = np.random.default_rng(seed)
    crits = [
        agg.Criterion(f"c{i}", weight=float(w), threshold=2.5, priority=i + 1)
        for i, w in enumerate(rng.choice([0.5, 1.0, 1.5, 2.0], size=criteria))
    ]
    quality = rng.normal(0.0, 0.8, size=(proposals, criteria))
    bias = rng.normal(0.0, 0.4, size=jurors)
    # Balanced load: walk a shuffled juror cycle so every juror gets about P*k/J reviews.
    cycle = np.concatenate([rng.permutation(jurors) for _ in range(proposals * k // jurors + 2)])
    rows: list[agg.ScoreRow] = []
    pos = 0
    for p in range(proposals):
        chosen: list[int] = []
        while len(chosen) < k:
            j = int(cycle[pos])
            pos += 1
            if j not in chosen:
                chosen.append(j)
        for j in chosen:
            raw = 2.8 + quality[p] + bias[j] + rng.normal(0.0, 0.5, size=criteria)
            vals = np.clip(np.round(raw * 2) / 2, 0.0, 5.0)
            rows.extend(agg.ScoreRow(p, f"j{j:03d}", crits[c].id, float(vals[c])) for c in range(criteria))
    return rows, crits


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Best wall time of REPEATS runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    """Run the benchmark, print a table and write the JSON results."""
    rows, crits = make_competition()
    consensus = {(p, "c0"): 3.0 for p in range(0, P, 10)}
    results: dict[str, float] = {}
    aggregations = {}
    for method in agg.Method:
        secs, a = timed(lambda m=method: agg.aggregate_scores(rows, crits, m, consensus))
        results[f"aggregate_{method.value}"] = secs
        aggregations[method] = a
    mean = aggregations[agg.Method.MEAN]
    results["evaluate_all"], evals = timed(lambda: agg.evaluate_all(mean, crits))
    results["rank_proposals"], _ = timed(lambda: agg.rank_proposals(evals, crits, seed=1))
    results["disagreement"], _ = timed(lambda: agg.disagreement(rows, crits))
    results["reliability"], _ = timed(lambda: agg.reliability(rows, crits))
    for method in (agg.Method.MEAN, agg.Method.MEDIAN, agg.Method.CALIBRATED):
        results[f"bootstrap_{method.value}_B1000"], _ = timed(
            lambda m=method: agg.bootstrap_ranks(rows, crits, m, k=200)
        )
    width = max(map(len, results))
    for name, secs in results.items():
        print(f"{name:<{width}}  {secs * 1000:9.1f} ms")
    out = {
        "size": {"proposals": P, "jurors": J, "criteria": C, "reviews_per_proposal": K, "rows": len(rows)},
        "seed": SEED,
        "repeats": REPEATS,
        "best_seconds": {k: round(v, 4) for k, v in results.items()},
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    path = ROOT / "bench" / "results" / "aggregate.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
