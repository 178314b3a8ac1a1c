"""Time the uncached ranking computation (service._compute) per method, and where its time goes.

Usage:
    createdb -h 127.0.0.1 -U postgres rank_l
    .venv/bin/python bench/bench_ranking.py --prepare L     # once: drop, migrate, generate size L
    .venv/bin/python bench/bench_ranking.py [--database-url postgresql://postgres@127.0.0.1:5432/rank_l] [-n 7]

The database is one made by bench/run.py's prepare_database (size L: 2,000 proposals, 120
jurors, 8 criteria, 3 reviews each: 47,040 submitted scores). Each method is computed n times in one app
context with the bootstrap, as the ranking page computes it after a score change (no cache,
no HTTP, no rendering). Printed per method: p50, the interquartile range and the minimum of
the runs, the p50 of the process's CPU time (the database server's time is not in it; on a busy
shared machine it is the steadier figure), then the wall-time p50 of every stage. The machine may
be shared: compare figures of one run with each other, and repeat.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

METHODS = ("mean", "median", "trimmed", "normalised", "calibrated")
# Stage name -> the functions _compute calls for it (module, attribute; those that exist are timed,
# so the script times the code before and after the vectorised ranking alike); "rows" is the rest.
STAGES = {
    "load": [("app.ranking.service", "_load_inputs")],
    "tabulate": [("app.ranking.aggregate", "tabulate"), ("app.ranking.aggregate", "table_from_columns")],
    "aggregate": [("app.ranking.aggregate", "aggregate_scores"), ("app.ranking.aggregate", "cell_scores"),
                  ("app.ranking.aggregate", "aggregation_of")],
    "evaluate": [("app.ranking.aggregate", "evaluate_all"), ("app.ranking.aggregate", "evaluate_cells")],
    "rank": [("app.ranking.aggregate", "rank_proposals"), ("app.ranking.aggregate", "rank_cells")],
    "disagreement": [("app.ranking.aggregate", "disagreement"), ("app.ranking.aggregate", "disagreement_table")],
    "bootstrap": [("app.ranking.aggregate", "bootstrap_ranks"), ("app.ranking.aggregate", "rank_intervals")],
    "funding line": [("app.ranking.aggregate", "funding_line")],
}


@contextmanager
def stage_timers(spent: dict[str, float]):
    """Wrap each stage's function so that its time adds to spent[stage] (restored afterwards).

    Only the outermost wrapped call counts: aggregate_scores, say, calls cell_scores, and its
    time must not be counted twice.
    """
    import importlib

    originals = []
    depth = [0]
    for stage, module_name, attr in ((s, m, a) for s, fns in STAGES.items() for m, a in fns):
        module = importlib.import_module(module_name)
        if not hasattr(module, attr):
            continue
        original = getattr(module, attr)

        def timed(*args, _f=original, _stage=stage, **kwargs):
            depth[0] += 1
            started = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    spent[_stage] += time.perf_counter() - started

        originals.append((module, attr, original))
        setattr(module, attr, timed)
    try:
        yield
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(p25, p50, p75) of the values."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[1], q[2]


def main() -> int:
    """Compute every method n times and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/rank_l")
    parser.add_argument("--competition", type=int, default=None, help="competition id (default: the first)")
    parser.add_argument("-n", type=int, default=7, help="runs per method")
    parser.add_argument("--methods", nargs="*", default=list(METHODS))
    parser.add_argument("--no-uncertainty", action="store_true", help="leave out the bootstrap")
    parser.add_argument("--gc-paused", action="store_true",
                        help="pause the cycle collector during each run, as the ranking cache does on a miss")
    parser.add_argument("--prepare", choices=["S", "L"], help="first recreate the database with generated data")
    args = parser.parse_args()
    if args.prepare:
        from bench.run import prepare_database

        prepare_database(args.prepare, args.database_url)

    os.environ.update({"APP_ENV": "production", "SECRET_KEY": "bench-only-" + "x" * 40,
                       "DATABASE_URL": args.database_url, "LOG_LEVEL": "WARNING"})
    os.environ.pop("REDIS_URL", None)
    from sqlalchemy import select

    from app import create_app
    from app.competitions.models import Competition
    from app.extensions import db
    from app.ranking import service

    app = create_app(SQLALCHEMY_DATABASE_URI=args.database_url)
    with app.app_context():
        cid = args.competition or db.session.scalar(select(Competition.id).order_by(Competition.id).limit(1))
        competition = db.session.get(Competition, cid)
        infos = service._criteria_infos(competition, None)
        uncertainty = not args.no_uncertainty
        service._compute(competition, service.Method.MEAN, infos, True, uncertainty)  # warm-up: imports, caches
        print(f"competition {cid}, {args.n} runs per method, bootstrap {'on' if uncertainty else 'off'}, "
              f"cycle collector {'paused' if args.gc_paused else 'running'}")
        header = f"{'method':<11} {'p50':>8} {'p25-p75':>17} {'min':>8} {'cpu p50':>8}   " + " ".join(
            f"{s:>12}" for s in [*STAGES, "rows"])
        print(header)
        summary = {}
        for method in args.methods:
            totals: list[float] = []
            cpu_times: list[float] = []
            per_stage: dict[str, list[float]] = defaultdict(list)
            for _ in range(args.n):
                spent: dict[str, float] = defaultdict(float)
                with stage_timers(spent), (service.cycle_collector_paused() if args.gc_paused else nullcontext()):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    view = service._compute(competition, service.Method(method), infos, True, uncertainty)
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                db.session.rollback()  # a fresh transaction per run, as a request has
                totals.append(elapsed * 1000)
                cpu_times.append(cpu * 1000)
                for stage in STAGES:
                    per_stage[stage].append(spent[stage] * 1000)
                per_stage["rows"].append((elapsed - sum(spent.values())) * 1000)
            q1, p50, q3 = quartiles(totals)
            summary[method] = p50
            stages = " ".join(f"{statistics.median(per_stage[s]):12.1f}" for s in [*STAGES, "rows"])
            print(f"{method:<11} {p50:8.1f} {q1:8.1f}-{q3:8.1f} {min(totals):8.1f} {statistics.median(cpu_times):8.1f}"
                  f"   {stages}"
                  f"   ({len(view.rows)} rows)", flush=True)
        print("p50 ms: " + ", ".join(f"{m} {v:.0f}" for m, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
