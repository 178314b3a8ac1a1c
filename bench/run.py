"""The whole benchmark: generate S and L, serve them with gunicorn, drive every page over HTTP, check targets.

Usage: .venv/bin/python bench/run.py [--sizes S L] [--requests 400] [--base-url postgresql://postgres@127.0.0.1:5432]
Writes bench/results/latest.json and bench/results/latest.md and prints the table. Only loopback
addresses are contacted; every request loop is bounded in count and time; gunicorn is always stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

from bench.generate import SIZES, generate  # noqa: E402
from bench.http_driver import PageResult, Session, measure  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CONCURRENCY = 8
SAVE_JURORS = 50
SAVE_ROUNDS = 12
METHODS = ("mean", "median", "trimmed", "normalised", "calibrated")
COLD_RANKING_REQUESTS = 5
# Target for the ranking page computed after a score change at L, for every method (p50).
RANKING_COMPUTED_L_MS = 250
# The floor is measured three times: first, after the pages and after the rankings. The pages are
# compared with the median of the three p50s, so that one busy moment of a shared machine (the
# p50 of a single measurement moved by up to 25 % between runs) does not skew every ratio of a run.
FLOOR_AGAIN = ("floor (again, after the pages)", "floor (again, after the rankings)")


# --- database ---------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database (PostgreSQL) or remove the SQLite file."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.config import normalise_database_url

    parsed = make_url(normalise_database_url(url))
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def migrate(url: str) -> None:
    """`flask db upgrade` in-process; tables of models not yet migrated are created too."""
    import flask_migrate

    from app import create_app
    from app.extensions import db

    app = create_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        db.create_all()  # only adds tables the migrations do not have yet
        db.engine.dispose()


def prepare_database(size: str, url: str) -> dict:
    """Fresh database, schema, generated data; returns the scenario with the generation time."""
    recreate_database(url)
    migrate(url)
    started = time.perf_counter()
    scenario = generate(size, url)
    scenario["generate_seconds"] = round(time.perf_counter() - started, 1)
    return scenario


def run_sql(url: str, statement: str, **params) -> list:
    """One statement against the benchmark database (outside the server)."""
    from sqlalchemy import create_engine, text

    from app.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        result = conn.execute(text(statement), params)
        rows = result.fetchall() if result.returns_rows else []
    engine.dispose()
    return rows


# --- server ------------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with 2 worker processes on loopback, always stopped by stop()."""

    def __init__(self, url: str, secret: str | None = None, name: str = ""):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        # A second host of the same installation shares the first one's secret (sessions are signed with it).
        self.secret = secret or secrets.token_hex(32)
        env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": self.secret, "DATABASE_URL": url,
               "BENCHMARK_MODE": "1", "RATELIMIT_ENABLED": "0", "FORCE_HTTPS": "0", "SESSION_COOKIE_SECURE": "0",
               "LOG_LEVEL": "WARNING"}
        env.pop("REDIS_URL", None)
        # One per database and host (servers run together).
        self.log_path = RESULTS / f"gunicorn-{url.rsplit('/', 1)[-1]}{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed command
            # The project's gunicorn.conf.py (threaded workers), with 2 worker processes as the issue asks.
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2",
             "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, seconds: float = 60) -> None:
        """Poll /health until it answers 200."""
        deadline = time.monotonic() + seconds
        session = Session(self.base_url)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if session.get("/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not become healthy")

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each gunicorn worker (children of the master), in MB."""
        sizes = []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        """Stop the master (and with it the workers); kill after a grace period."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


# --- measurements ------------------------------------------------------------------------------


def logged_in(base_url: str, email: str, password: str) -> Session:
    """A session logged in as the given user."""
    session = Session(base_url)
    session.login(email, password)
    return session


def save_data(scenario: dict, value: str, token: str, version: int) -> dict:
    """The autosave form of a review: every criterion gets the same score."""
    data = {"csrf_token": token, "version": str(version), "overall_comment": f"Stand {value}"}
    for cid in scenario["criterion_ids"]:
        data[f"score_{cid}"] = value
        data[f"justification_{cid}"] = f"Begründung {value}"
    return data


def save_loop(name: str, base_url: str | list[str], scenario: dict, jurors: list[dict],
              rounds: int) -> tuple[PageResult, dict]:
    """Each juror autosaves its own draft `rounds` times with rising values, all jurors at once.

    With several base URLs (hosts), each juror's saves alternate between them, as a proxy
    spreading requests would send them; the juror's session cookie is valid on every host.
    """
    password = scenario["password"]
    hosts = [base_url] if isinstance(base_url, str) else base_url
    sessions = []
    for index, juror in enumerate(jurors):  # logged in, with the form's token and version, before the clock starts
        session = logged_in(hosts[index % len(hosts)], juror["email"], password)
        path = f"/jury/proposals/{juror['draft_proposal_id']}/review"
        session.token = session.csrf(path)
        session.on_hosts = [session] + [_same_person(session, other) for other in hosts if other != session.base_url]
        sessions.append((juror, session, _current_version(session, juror)))
    latencies, sql, errors, last = [], [], [0], {}
    lock = threading.Lock()

    def juror_run(item):
        juror, first, version = item
        for k in range(rounds):
            session = first.on_hosts[k % len(first.on_hosts)]
            value = str(k % 10 // 2) if k % 2 == 0 else f"{k % 10 // 2}.5"
            started = time.perf_counter()
            status, body, headers = session.post(f"/jury/proposals/{juror['draft_proposal_id']}/review/autosave",
                                                 save_data(scenario, value, first.token, version))
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if headers.get("X-SQL-Statements"):
                    sql.append(int(headers["X-SQL-Statements"]))
                if status != 200:
                    errors[0] += 1
                    continue
            version = json.loads(body)["version"]
            last[juror["user_id"]] = value

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        list(pool.map(juror_run, sessions))
    wall = time.perf_counter() - started
    latencies.sort()
    result = PageResult(name=name, requests=len(latencies), errors=errors[0], p50_ms=statistics.median(latencies),
                        p95_ms=latencies[max(0, int(round(0.95 * len(latencies))) - 1)],
                        throughput_rps=len(latencies) / wall, sql_statements=sql)
    return result, last


def _same_person(session: Session, base_url: str) -> Session:
    """A session on another host with the same cookies (the same browser behind the proxy)."""
    other = Session(base_url)
    other.cookies = session.cookies  # shared dict: a cookie renewed on one host is sent to the other
    return other


def _current_version(session: Session, juror: dict) -> int:
    """The draft's version as the scoring form shows it."""
    import re

    _, body, _ = session.get(f"/jury/proposals/{juror['draft_proposal_id']}/review")
    match = re.search(r'name="version"[^>]*value="(\d+)"', body.decode()) or re.search(
        r'value="(\d+)"[^>]*name="version"', body.decode())
    return int(match.group(1)) if match else 0


def check_last_values(url: str, scenario: dict, last: dict) -> bool:
    """The database holds exactly the last value each juror saved, for every criterion."""
    from decimal import Decimal

    for juror in scenario["jurors"]:
        if juror["user_id"] not in last:
            continue
        rows = run_sql(url, "SELECT s.value FROM scores s JOIN reviews r ON r.id = s.review_id "
                            "WHERE r.user_id = :u AND r.proposal_id = :p",
                       u=juror["user_id"], p=juror["draft_proposal_id"])
        expected = Decimal(last[juror["user_id"]])
        if len(rows) != len(scenario["criterion_ids"]) or any(Decimal(r[0]) != expected for r in rows):
            return False
    return True


def warm_up(sessions: list[Session], path_for) -> None:
    """Every page several times in parallel, so that each worker process (not just the first idle one,
    which would take every request of a sequential warm-up) has filled its caches before measuring."""
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        for _round in range(3):
            list(pool.map(lambda k: sessions[k % len(sessions)].get(path_for(k)), range(CONCURRENCY)))


def ranking_cold(base_url: str, url: str, admin: Session, competition_id: int, method: str) -> PageResult:
    """Ranking right after a score change (fresh data version), several times; sequential."""
    latencies, sql = [], []
    for k in range(COLD_RANKING_REQUESTS):
        # A score change as the app writes it: the score and, in the same transaction, a new ranking
        # stamp (app/competitions/stamps.py does this on every ORM flush; raw SQL has to do it by hand).
        run_sql(url, "UPDATE scores SET value = :v WHERE id = (SELECT s.id FROM scores s JOIN reviews r "
                     "ON r.id = s.review_id WHERE r.status = 'submitted' ORDER BY s.id LIMIT 1)",
                v=str(k % 5))
        run_sql(url, "UPDATE competitions SET ranking_stamp = :stamp", stamp=secrets.token_hex(8))
        started = time.perf_counter()
        status, _, headers = admin.get(f"/admin/competitions/{competition_id}/ranking?method={method}")
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"ranking {method} answered {status}")
        sql.append(int(headers.get("X-SQL-Statements", 0)))
    latencies.sort()
    return PageResult(name=f"ranking {method} (computed)", requests=len(latencies), errors=0,
                      p50_ms=statistics.median(latencies), p95_ms=latencies[-1],
                      throughput_rps=1000 / statistics.mean(latencies), sql_statements=sql)


def assignment_seconds(url: str) -> float:
    """Automatic assignment of the generated competition (the pure algorithm on the real data)."""
    from sqlalchemy import create_engine, text

    from app.config import normalise_database_url
    from app.jury.assign import Juror, Proposal, assign_reviewers

    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        proposals = [Proposal(pid, [sector], keywords.split(", "))
                     for pid, sector, keywords in conn.execute(text("SELECT id, sector, keywords FROM proposals"))]
        jurors = [Juror(uid, list(sectors if isinstance(sectors, list) else json.loads(sectors)), keywords.split(", "))
                  for uid, sectors, keywords in conn.execute(text("SELECT user_id, sectors, keywords "
                                                                  "FROM jury_memberships"))]
    engine.dispose()
    started = time.perf_counter()
    assign_reviewers(proposals, jurors, set(), 3)
    return time.perf_counter() - started


class SizeRun:
    """One size's database, server, sessions and results; run_all interleaves the sizes step by step."""

    def __init__(self, size: str, url: str):
        self.size, self.url = size, url
        print(f"[{size}] preparing database ...", flush=True)
        self.scenario = prepare_database(size, url)
        print(f"[{size}] generated in {self.scenario['generate_seconds']} s", flush=True)
        self.server: Server | None = None
        self.results: list[PageResult] = []

    def start(self) -> None:
        """Serve the database, log the sessions in and warm every page up."""
        self.server = Server(self.url)
        self.server.wait_healthy()
        scenario, base = self.scenario, self.server.base_url
        password, cid = scenario["password"], scenario["competition_id"]
        self.admin = [logged_in(base, scenario["admin"], password) for _ in range(CONCURRENCY)]
        applicant = [logged_in(base, scenario["applicant"], password) for _ in range(CONCURRENCY)]
        jurors = scenario["jurors"][:CONCURRENCY]
        juror_sessions = [logged_in(base, j["email"], password) for j in jurors]
        self.anonymous = [Session(base) for _ in range(CONCURRENCY)]
        self.pages = [
            ("floor", self.anonymous, lambda i: "/bench/floor"),
            ("public call", self.anonymous, lambda i: f"/calls/{cid}"),
            ("directory search", self.anonymous, lambda i: "/networks?q=Netzwerk"),
            ("applicant dashboard", applicant, lambda i: "/my/proposals"),
            ("juror dashboard", juror_sessions, lambda i: "/jury"),
            ("scoring form", juror_sessions,
             lambda i: f"/jury/proposals/{jurors[i % len(jurors)]['draft_proposal_id']}/review"),
            ("proposal list", self.admin, lambda i: f"/admin/competitions/{cid}/proposals?page=2"),
            ("progress page", self.admin, lambda i: f"/admin/competitions/{cid}/progress"),
            ("contract page", self.admin, lambda i: f"/admin/contracts/{scenario['contract_id']}"),
            ("portfolio page", self.admin, lambda i: "/admin/contracts"),
        ]
        for _name, sessions, path_for in self.pages:
            warm_up(sessions, path_for)

    def page(self, index: int, total: int) -> None:
        """Measure one of the pages."""
        name, sessions, path_for = self.pages[index]
        print(f"[{self.size}] {name} ...", flush=True)
        self.results.append(measure(name, sessions, path_for, total, CONCURRENCY))

    def floor_again(self, which: int, total: int) -> None:
        """Measure the floor once more (see FLOOR_AGAIN)."""
        self.results.append(measure(FLOOR_AGAIN[which], self.anonymous, lambda i: "/bench/floor", total, CONCURRENCY))

    def ranking(self, method: str, total: int) -> None:
        """The ranking of one method computed after a score change, then served from the cache."""
        print(f"[{self.size}] ranking {method} ...", flush=True)
        cid = self.scenario["competition_id"]
        self.results.append(ranking_cold(self.server.base_url, self.url, self.admin[0], cid, method))
        # both workers compute it once, then serve from cache
        warm_up(self.admin, lambda i, m=method: f"/admin/competitions/{cid}/ranking?method={m}")
        self.results.append(measure(f"ranking {method} (cached)", self.admin,
                                    lambda i, m=method: f"/admin/competitions/{cid}/ranking?method={m}", total,
                                    CONCURRENCY))

    def saves(self, total: int) -> None:
        """Autosaves of 8 jurors in turn, then of 50 jurors at once, and whether the last values were kept."""
        print(f"[{self.size}] score saves ...", flush=True)
        scenario, base = self.scenario, self.server.base_url
        save_jurors = scenario["jurors"][CONCURRENCY:CONCURRENCY * 2]
        form_save, _ = save_loop("scoring form save (POST)", base, scenario, save_jurors, max(1, total // CONCURRENCY))
        self.results.append(form_save)
        self.save_jurors = scenario["jurors"][-SAVE_JURORS:]
        concurrent, last = save_loop(f"score saves, {len(self.save_jurors)} jurors at once", base, scenario,
                                     self.save_jurors, SAVE_ROUNDS)
        self.results.append(concurrent)
        self.last_values_ok = check_last_values(self.url, scenario, last)
        self.saves_two_hosts()

    def saves_two_hosts(self) -> None:
        """The same 50-juror saves spread over two hosts of one installation (issue 19): nothing lost or refused."""
        print(f"[{self.size}] score saves on two hosts ...", flush=True)
        second = Server(self.url, secret=self.server.secret, name="-b")
        try:
            second.wait_healthy()
            result, last = save_loop(f"score saves, {len(self.save_jurors)} jurors at once, two hosts",
                                     [self.server.base_url, second.base_url], self.scenario, self.save_jurors,
                                     SAVE_ROUNDS)
        finally:
            second.stop()
        self.results.append(result)
        self.last_values_two_hosts_ok = check_last_values(self.url, self.scenario, last)

    def finish(self) -> dict:
        """Worker memory and assignment time; everything as plain data."""
        memory = self.server.worker_rss_mb()
        print(f"[{self.size}] automatic assignment ...", flush=True)
        assign = assignment_seconds(self.url)
        return {"size": self.size, "spec": SIZES[self.size].__dict__,
                "generate_seconds": self.scenario["generate_seconds"],
                "pages": [r.as_dict() for r in self.results], "save_jurors": len(self.save_jurors),
                "last_values_ok": self.last_values_ok, "last_values_two_hosts_ok": self.last_values_two_hosts_ok,
                "worker_rss_mb": memory,
                "assignment_seconds": round(assign, 2)}

    def stop(self) -> None:
        """Stop the server, if it was started."""
        if self.server is not None:
            self.server.stop()


def run_all(sizes: list[str], base_url: str, total: int) -> dict[str, dict]:
    """Every size, step by step: each page is measured on every size back to back.

    Why interleaved: a shared machine's speed drifts by a fifth within minutes; measured one
    size after the other, the L/S ratios compared two different machines.
    """
    runs = [SizeRun(size, f"{base_url}/bench_{size.lower()}") for size in sizes]
    try:
        for run in runs:
            run.start()
        for index in range(len(runs[0].pages)):
            for run in runs:
                run.page(index, total)
        for run in runs:
            run.floor_again(0, total)
        for method in METHODS:
            for run in runs:
                run.ranking(method, total)
        for run in runs:
            run.floor_again(1, total)
        for run in runs:
            run.saves(total)
        return {run.size: run.finish() for run in runs}
    finally:
        for run in runs:
            run.stop()


# --- targets and report ------------------------------------------------------------------------


def _page(run: dict, name: str) -> dict:
    return next(p for p in run["pages"] if p["name"] == name)


def floor_p50(run: dict) -> float:
    """The floor the pages are compared with: the median p50 of its measurements in the run."""
    return statistics.median(p["p50_ms"] for p in run["pages"] if p["name"].startswith("floor"))


def evaluate(runs: dict[str, dict]) -> list[dict]:
    """Every target of issue 7 with the measured figure and PASS/FAIL."""
    checks = []

    def check(target: str, measured: str, ok: bool):
        checks.append({"target": target, "measured": measured, "result": "PASS" if ok else "FAIL"})

    for size, run in runs.items():
        floor = floor_p50(run)
        for page in run["pages"]:
            if page["name"].startswith("floor"):
                continue
            if page["errors"]:
                check(f"{size} {page['name']}: no errors", f"{page['errors']} of {page['requests']}", False)
            if "ranking" in page["name"] and "(computed)" in page["name"]:
                if size == "L":
                    check(f"L {page['name']}: p50 ≤ {RANKING_COMPUTED_L_MS} ms", f"{page['p50_ms']} ms",
                          page["p50_ms"] <= RANKING_COMPUTED_L_MS)
                continue
            if "jurors at once" in page["name"]:
                continue
            check(f"{size} {page['name']}: p50 ≤ 4 × floor ({4 * floor:.1f} ms)", f"{page['p50_ms']} ms",
                  page["p50_ms"] <= 4 * floor)
            if page["sql_statements"] is not None:
                check(f"{size} {page['name']}: SQL statements ≤ 15", str(page["sql_statements"]),
                      page["sql_statements"] <= 15)
    for size, run in runs.items():
        one = next(p for p in run["pages"] if "jurors at once" in p["name"] and "two hosts" not in p["name"])
        two = next(p for p in run["pages"] if "two hosts" in p["name"])
        check(f"{size} score saves on two hosts: 0 errors", str(two["errors"]), two["errors"] == 0)
        check(f"{size} score saves on two hosts: each juror's last value held", str(run["last_values_two_hosts_ok"]),
              run["last_values_two_hosts_ok"])
        # Reported beside the one-host figure; on a 2-core machine no gain is expected, so this is no target.
        check(f"{size} score saves throughput, two hosts beside one host (reported)",
              f"{two['throughput_rps']}/s vs {one['throughput_rps']}/s", True)
    if "S" in runs and "L" in runs:
        small, large = runs["S"], runs["L"]
        for page in large["pages"]:
            if page["name"].startswith("floor") or "jurors at once" in page["name"]:
                continue
            s_page = next((p for p in small["pages"] if p["name"] == page["name"]), None)
            if s_page is None:
                continue
            ratio = page["p50_ms"] / s_page["p50_ms"] if s_page["p50_ms"] else float("inf")
            limit = 12 if "ranking" in page["name"] else 1.3
            check(f"L/S p50 {page['name']} ≤ {limit}", f"{ratio:.2f}", ratio <= limit)
            if page["sql_statements"] is not None and "ranking" not in page["name"]:
                check(f"same SQL count S/L {page['name']}", f"{s_page['sql_statements']} / {page['sql_statements']}",
                      s_page["sql_statements"] == page["sql_statements"])
    if "L" in runs:
        large = runs["L"]
        saves = next(p for p in large["pages"] if "jurors at once" in p["name"])
        check(f"L score saves with {large['save_jurors']} jurors ≥ 200/s", f"{saves['throughput_rps']}/s",
              saves["throughput_rps"] >= 200)
        check("L score saves: 0 errors", str(saves["errors"]), saves["errors"] == 0)
        check("L score saves: database holds each juror's last value", str(large["last_values_ok"]),
              large["last_values_ok"])
        check("L automatic assignment ≤ 10 s", f"{large['assignment_seconds']} s", large["assignment_seconds"] <= 10)
        rss = max(large["worker_rss_mb"] or [0])
        check("L gunicorn worker memory ≤ 250 MB", f"{rss} MB", 0 < rss <= 250)
    return checks


def markdown(runs: dict[str, dict], checks: list[dict], meta: dict) -> str:
    """The results as Markdown: one table per size and the targets."""
    lines = ["# Benchmark results", "", f"{meta['when']} · {meta['machine']} · {meta['database']}", ""]
    for size, run in runs.items():
        lines += [f"## Size {size} ({run['spec']['proposals']} proposals, {run['spec']['jurors']} jurors; "
                  f"generated in {run['generate_seconds']} s)", "",
                  "| page | requests | errors | p50 ms | p95 ms | req/s | SQL/request |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for p in run["pages"]:
            lines.append(f"| {p['name']} | {p['requests']} | {p['errors']} | {p['p50_ms']} | {p['p95_ms']} | "
                         f"{p['throughput_rps']} | {p['sql_statements']} |")
        lines += ["", f"Floor for the targets (median p50 of the three floor measurements): {floor_p50(run)} ms", "",
                  f"Worker memory (VmRSS): {run['worker_rss_mb']} MB · automatic assignment: "
                      f"{run['assignment_seconds']} s · last saved values in the database: {run['last_values_ok']}"
                      f" (two hosts: {run['last_values_two_hosts_ok']})", ""]
    lines += ["## Targets", "", "| target | measured | result |", "| --- | --- | --- |"]
    lines += [f"| {c['target']} | {c['measured']} | {c['result']} |" for c in checks]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the benchmark for the requested sizes and write the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["S", "L"], choices=sorted(SIZES))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--base-url", default=os.environ.get("BENCH_DATABASE_BASE",
                                                             "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs = run_all(args.sizes, args.base_url, args.requests)
    checks = evaluate(runs)
    meta = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "database": "PostgreSQL", "concurrency": CONCURRENCY, "requests_per_page": args.requests}
    (RESULTS / "latest.json").write_text(json.dumps({"meta": meta, "runs": runs, "checks": checks}, indent=2))
    text = markdown(runs, checks, meta)
    (RESULTS / "latest.md").write_text(text)
    print(text)
    failed = [c for c in checks if c["result"] == "FAIL"]
    print(f"{len(checks) - len(failed)} targets met, {len(failed)} missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
