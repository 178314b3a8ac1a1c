"""Profile benchmarked pages in-process (no HTTP, no gunicorn), to find where a page spends its time.

Usage:
    .venv/bin/python bench/profile_pages.py L                      # mean time and SQL count of every page
    .venv/bin/python bench/profile_pages.py L --page "juror dashboard" --profile   # pyinstrument tree

The first run generates the size into its own database (bench_profile_<size>) and keeps the
scenario in bench/results/profile_<size>.json; later runs reuse both (--regenerate to rebuild).
Timings here are a developer's aid only; the figures that count come from `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

from bench.run import METHODS, RESULTS, prepare_database, save_data  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def pages(scenario: dict) -> dict[str, tuple[str, str]]:
    """Page name → (who, path), as bench/run.py drives them."""
    cid, juror = scenario["competition_id"], scenario["jurors"][0]
    found = {
        "floor": ("anonymous", "/bench/floor"),
        "public call": ("anonymous", f"/calls/{cid}"),
        "directory search": ("anonymous", "/networks?q=Netzwerk"),
        "applicant dashboard": ("applicant", "/my/proposals"),
        "juror dashboard": ("juror", "/jury"),
        "scoring form": ("juror", f"/jury/proposals/{juror['draft_proposal_id']}/review"),
        "proposal list": ("admin", f"/admin/competitions/{cid}/proposals?page=2"),
        "progress page": ("admin", f"/admin/competitions/{cid}/progress"),
        "contract page": ("admin", f"/admin/contracts/{scenario['contract_id']}"),
        "portfolio page": ("admin", "/admin/contracts"),
        "score save": ("juror", f"/jury/proposals/{juror['draft_proposal_id']}/review/autosave"),
    }
    for method in METHODS:
        found[f"ranking {method}"] = ("admin", f"/admin/competitions/{cid}/ranking?method={method}")
    return found


def client_for(app, who: str, scenario: dict):
    """A test client logged in as the admin, the applicant or the first juror (or anonymous)."""
    client = app.test_client()
    email = {"admin": scenario["admin"], "applicant": scenario["applicant"],
             "juror": scenario["jurors"][0]["email"]}.get(who)
    if email:
        token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
        response = client.post("/login", data={"email": email, "password": scenario["password"], "csrf_token": token})
        assert response.status_code == 302, response.status_code
    return client


def main() -> int:
    """Time (and optionally profile) pages against a generated database."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=["S", "M", "L"])
    parser.add_argument("--page", action="append", help="page name (repeatable); default: all")
    parser.add_argument("-n", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree per page")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--base-url", default=os.environ.get("BENCH_DATABASE_BASE",
                                                             "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    url = f"{args.base_url}/bench_profile_{args.size.lower()}"
    scenario_file = RESULTS / f"profile_{args.size}.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.regenerate or not scenario_file.exists():
        scenario_file.write_text(json.dumps(prepare_database(args.size, url)))
    scenario = json.loads(scenario_file.read_text())

    os.environ.update({"APP_ENV": "production", "SECRET_KEY": "profile-only-" + "x" * 40, "DATABASE_URL": url,
                       "BENCHMARK_MODE": "1", "RATELIMIT_ENABLED": "0", "FORCE_HTTPS": "0",
                       "SESSION_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING"})
    os.environ.pop("REDIS_URL", None)
    from app import create_app

    # Settings as the benchmark's gunicorn gets them (config classes read the environment at import).
    app = create_app(SQLALCHEMY_DATABASE_URI=url, BENCHMARK_MODE=True, RATELIMIT_ENABLED=False, FORCE_HTTPS=False,
                     SESSION_COOKIE_SECURE=False)
    clients = {}
    for name, (who, path) in pages(scenario).items():
        if args.page and name not in args.page:
            continue
        client = clients.get(who) or clients.setdefault(who, client_for(app, who, scenario))
        if name == "score save":
            form = client.get(path.rsplit("/", 1)[0]).get_data(as_text=True)
            token = CSRF_RE.search(form).group(1)
            version = int(re.search(r'name="version"[^>]*value="(\d+)"', form).group(1))

            def call(k, client=client, path=path, token=token, state={"version": version}):  # noqa: B006
                response = client.post(path, data=save_data(scenario, str(k % 5), token, state["version"]))
                state["version"] = response.get_json()["version"]
                return response
        else:
            def call(k, client=client, path=path):
                return client.get(path)
        for k in range(3):  # warm-up (caches, first compile of templates)
            call(k)
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        times, sql = [], 0
        for k in range(args.n):
            started = time.perf_counter()
            response = call(k)
            times.append((time.perf_counter() - started) * 1000)
            sql = int(response.headers.get("X-SQL-Statements", 0))
            if response.status_code != 200:
                print(f"{name}: status {response.status_code}")
        if profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{name:28s} median {statistics.median(times):8.2f} ms   min {min(times):8.2f} ms   SQL {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
