"""Benchmark reviewer assignment on a seeded random 2,000 proposals x 120 jurors instance.

Usage: .venv/bin/python bench/bench_assign.py [--proposals 2000] [--jurors 120] [--k 3]
Writes bench/results/assign.json. Exits non-zero when a correctness check fails (never on time:
timing depends on the machine, so it is recorded, not asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

from app.jury.assign import Juror, Proposal, assign_reviewers  # noqa: E402

SECTORS = [
    "energy", "mobility", "health", "water", "food", "construction", "digital", "education",
    "tourism", "manufacturing", "circular economy", "culture",
]  # fmt: skip


def make_instance(n_p: int, n_j: int, seed: int, conflict_rate: float):
    """Build a seeded random instance with sectors, keywords and ~conflict_rate conflicts."""
    rng = random.Random(seed)
    keywords = [f"keyword-{i:03d}" for i in range(300)]
    proposals = [
        Proposal(i, rng.sample(SECTORS, rng.randint(1, 2)), rng.sample(keywords, rng.randint(3, 8)))
        for i in range(1, n_p + 1)
    ]
    jurors = [
        Juror(10_000 + j, rng.sample(SECTORS, rng.randint(1, 3)), rng.sample(keywords, rng.randint(5, 15)))
        for j in range(n_j)
    ]
    conflicts = {(j.id, p.id) for j in jurors for p in proposals if rng.random() < conflict_rate}
    return proposals, jurors, conflicts


def main() -> int:
    """Run the benchmark, print timing and checks, write the JSON result; 1 if a check fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--jurors", type=int, default=120)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--slack", type=int, default=1)
    parser.add_argument("--conflict-rate", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "assign.json")
    args = parser.parse_args()

    proposals, jurors, conflicts = make_instance(args.proposals, args.jurors, args.seed, args.conflict_rate)
    timings: list[float] = []
    result = None
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        result = assign_reviewers(proposals, jurors, conflicts, k=args.k, slack=args.slack)
        timings.append(time.perf_counter() - start)
    assert result is not None

    per_prop = Counter(p for _, p in result.assignments)
    loads = list(result.loads.values())
    checks = {
        "no_conflicted_pair_assigned": not (set(result.assignments) & conflicts),
        "no_duplicate_pairs": len(set(result.assignments)) == len(result.assignments),
        "loads_within_cap": max(loads) <= result.cap,
        "no_proposal_above_k": max(per_prop.values()) <= args.k,
        "short_consistent": result.short
        == {p.id: per_prop.get(p.id, 0) for p in proposals if per_prop.get(p.id, 0) < args.k},
        "same_result_on_rerun": assign_reviewers(proposals, jurors, conflicts, k=args.k, slack=args.slack) == result,
    }
    report = {
        "instance": {
            "proposals": args.proposals,
            "jurors": args.jurors,
            "k": args.k,
            "slack": args.slack,
            "conflict_rate": args.conflict_rate,
            "conflicts": len(conflicts),
            "seed": args.seed,
        },
        "seconds_first": round(timings[0], 4),
        "seconds_best": round(min(timings), 4),
        "seconds_all": [round(t, 4) for t in timings],
        "assignments": len(result.assignments),
        "short": len(result.short),
        "cap": result.cap,
        "load_min": min(loads),
        "load_max": max(loads),
        "total_affinity": result.total_affinity,
        "checks": checks,
        "solver": f"ortools {metadata.version('ortools')} SimpleMinCostFlow.solve_max_flow_with_min_cost",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"assign {args.proposals} x {args.jurors}, k={args.k}: first {timings[0]:.3f} s, "
          f"best {min(timings):.3f} s over {len(timings)} runs")  # fmt: skip
    print(f"assignments={len(result.assignments)} short={len(result.short)} cap={result.cap} "
          f"loads={min(loads)}..{max(loads)} affinity={result.total_affinity}")  # fmt: skip
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    print(f"wrote {args.out}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
