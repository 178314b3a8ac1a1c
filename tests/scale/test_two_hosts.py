"""Two app hosts for real: two gunicorn instances sharing PostgreSQL, Redis and an S3 server, and one RQ worker.

Every request below picks its host explicitly, as a proxy would spread them. The database is a copy
of size S of the benchmark (bench/generate.py) in a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import normalise_database_url
from tests.s3_server import new_bucket, s3_settings, s3_storage
from tests.s3_server import s3_endpoint as _s3_endpoint

pytestmark = [pytest.mark.postgres, pytest.mark.twohost]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
LOGIN_LIMIT = 5

s3_endpoint = _s3_endpoint


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child process (gunicorn host, worker, scheduler, Redis) with its log file; stopped by stop()."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name, self.command, self.env = name, command, env
        self.log_path = log_dir / f"{name}.log"
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,  # noqa: S603 - fixed
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process.poll() is None

    def restart_if_dead(self) -> None:
        """What systemd's Restart=always does for the worker and the scheduler."""
        if not self.alive():
            self.log.close()
            self.__init__(self.name, self.command, self.env, self.log_path.parent)

    def children(self) -> list[int]:
        """Process ids of the direct children (the worker's work horse while a job runs)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        """Ask the process to stop (SIGTERM: graceful), kill it after the timeout."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Cluster:
    """Two hosts (A, B), a worker, and the shared database URL."""

    def __init__(self, url: str, hosts: dict[str, str], processes: dict[str, Process], scenario: dict, bucket):
        self.url, self.hosts, self.processes, self.scenario, self.bucket = url, hosts, processes, scenario, bucket
        self.engine = create_engine(normalise_database_url(url))

    def sql(self, statement: str, **params) -> list:
        """Read the shared database directly (as an auditor would)."""
        with self.engine.begin() as conn:
            return conn.execute(text(statement), params).fetchall()


def _twohost_url() -> str:
    base = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    return base.set(database=f"{base.database}_twohost").render_as_string(hide_password=False)


def _start_redis(port: int, logs: Path) -> Process:
    redis_server = shutil.which("redis-server")
    assert redis_server, "the two-host test needs redis-server (apt-get install redis-server)"
    process = Process("redis", [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], dict(os.environ), logs)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if Redis(port=port).ping():
                return process
        except RedisError:
            time.sleep(0.2)
    raise RuntimeError("redis-server did not start")


def _wait_ready(base_url: str, process: Process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            raise RuntimeError(f"{process.name} exited: {process.log_path.read_text()[-2000:]}")
        try:
            if requests.get(base_url + "/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base_url} did not become ready: {process.log_path.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def cluster(s3_endpoint, tmp_path_factory):
    """Database of size S, S3 bucket, Redis prefixes; hosts A and B and one worker, all stopped afterwards."""
    from bench.generate import generate
    from bench.run import migrate, recreate_database

    url = _twohost_url()
    recreate_database(url)
    migrate(url)
    scenario = generate("S", url)
    run = secrets.token_hex(4)
    bucket = new_bucket(s3_endpoint)
    logs = tmp_path_factory.mktemp("twohost-logs")
    processes: dict[str, Process] = {}
    # A Redis of the cluster's own, so that the fault test can stop and start it.
    redis_port = _free_port()
    processes["redis"] = _start_redis(redis_port, logs)
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
           "JOB_QUEUE_NAME": f"twohost-{run}", "CACHE_KEY_PREFIX": f"twohost-{run}:",
           "RATELIMIT_KEY_PREFIX": f"twohost-{run}", "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
           "SESSION_COOKIE_SECURE": "0", "FORCE_HTTPS": "0", "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",
           "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4", "OUTBOX_DELIVERY_INTERVAL": "2",
           **{k: str(v) for k, v in s3_settings(s3_endpoint, bucket).items()}}
    for name in ("MAIL_SERVER", "TEST_DATABASE_URL", "BENCHMARK_MODE", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    hosts: dict[str, str] = {}
    try:
        for name in ("A", "B"):
            port = _free_port()
            hosts[name] = f"http://127.0.0.1:{port}"
            # Each host gets a local folder of its own: only the shared object store can make a file appear on both.
            host_env = {**env, "UPLOAD_FOLDER": str(logs / f"uploads-{name}")}
            processes[name] = Process(name, [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "-b",
                                             f"127.0.0.1:{port}", "wsgi:app"], host_env, logs)
        processes["worker"] = Process("worker", [str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"], env, logs)
        processes["scheduler"] = Process("scheduler", [str(BIN / "flask"), "--app", "wsgi", "jobs", "scheduler"], env,
                                         logs)
        for name in ("A", "B"):
            _wait_ready(hosts[name], processes[name])
        cluster = Cluster(url, hosts, processes, scenario, s3_storage(s3_endpoint, bucket))
        cluster.redis_port, cluster.queue_name, cluster.logs = redis_port, f"twohost-{run}", logs
        yield cluster
    finally:
        for process in reversed(list(processes.values())):
            process.stop()
        admin = create_engine(make_url(normalise_database_url(url)).set(database="postgres"),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


class Browser:
    """One person's browser: cookies shared by both hosts (same address), a client address of its own."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.http = requests.Session()
        # Behind the proxy each person has their own address (ProxyFix reads X-Forwarded-For).
        self.http.headers["X-Forwarded-For"] = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"

    def get(self, host: str, path: str, **kwargs) -> requests.Response:
        """GET on host A or B."""
        return self.http.get(self.cluster.hosts[host] + path, timeout=60, **kwargs)

    def post(self, host: str, path: str, data: dict, **kwargs) -> requests.Response:
        """POST on host A or B."""
        return self.http.post(self.cluster.hosts[host] + path, data=data, timeout=60, **kwargs)

    def csrf(self, host: str, path: str) -> str:
        """The CSRF token of a form page."""
        return CSRF_RE.search(self.get(host, path).text).group(1)

    def login(self, host: str, email: str) -> requests.Response:
        """Log in through the form on that host."""
        token = self.csrf(host, "/login")
        return self.post(host, "/login", {"email": email, "password": self.cluster.scenario["password"],
                                          "csrf_token": token})


def _logged_in(cluster: Cluster, host: str, email: str) -> Browser:
    browser = Browser(cluster)
    response = browser.login(host, email)
    assert response.status_code == 200 and "/login" not in response.url, response.text[:300]
    return browser


def test_a_file_uploaded_on_host_a_downloads_on_host_b(cluster):
    admin = _logged_in(cluster, "A", cluster.scenario["admin"])
    contract = cluster.scenario["contract_id"]
    page = f"/admin/contracts/{contract}"
    response = admin.post("A", f"{page}/documents", {"csrf_token": admin.csrf("A", page)},
                          files={"file": ("Vertrag-unterschrieben.pdf", PDF, "application/pdf")})
    assert response.status_code == 200
    [(file_id,)] = cluster.sql("SELECT id FROM contract_files WHERE contract_id = :c AND display_name = :n",
                               c=contract, n="Vertrag-unterschrieben.pdf")
    download = admin.get("B", f"/contracts/{contract}/files/{file_id}")
    assert download.status_code == 200
    assert download.content == PDF
    [(key,)] = cluster.sql("SELECT storage_key FROM contract_files WHERE id = :f", f=file_id)
    assert cluster.bucket.get(key) == PDF  # the object lives in the shared store


def test_the_login_limit_counts_across_both_hosts(cluster):
    intruder = Browser(cluster)
    # An account of nobody's: failed logins also count per account, and the other tests log in as the admin.
    target = "niemand@stadt-leipzig.example"
    for attempt in range(LOGIN_LIMIT):
        host = "AB"[attempt % 2]
        response = intruder.post(host, "/login", {"email": target, "password": "falsch",
                                                  "csrf_token": intruder.csrf(host, "/login")})
        assert response.status_code != 429, f"attempt {attempt + 1} was limited already"
    for host in "AB":
        token = intruder.csrf(host, "/login")
        assert intruder.post(host, "/login", {"email": target, "password": "falsch",
                                              "csrf_token": token}).status_code == 429


def _save_data(scenario: dict, value: str, token: str, version: int | str) -> dict:
    data = {"csrf_token": token, "version": str(version), "overall_comment": f"Stand {value}"}
    for cid in scenario["criterion_ids"]:
        data[f"score_{cid}"] = value
        data[f"justification_{cid}"] = f"Begründung {value}"
    return data


def _form_version(body: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"', body) or re.search(r'value="(\d+)"[^>]*name="version"',
                                                                               body)
    return match.group(1)


def test_a_score_saved_on_host_a_changes_the_ranking_served_by_host_b_at_once(cluster):
    scenario = cluster.scenario
    juror = scenario["jurors"][0]
    admin = _logged_in(cluster, "B", scenario["admin"])
    ranking = f"/admin/competitions/{scenario['competition_id']}/ranking?method=mean"
    before = admin.get("B", ranking)
    assert before.status_code == 200
    assert admin.get("B", ranking).headers["ETag"] == before.headers["ETag"]  # stable while nothing changes

    jury = _logged_in(cluster, "A", juror["email"])
    review = f"/jury/proposals/{juror['draft_proposal_id']}/review"
    form = jury.get("A", review).text
    token = CSRF_RE.search(form).group(1)
    saved = jury.post("A", f"{review}/autosave", _save_data(scenario, "5", token, _form_version(form)))
    assert saved.status_code == 200, saved.text
    confirm = jury.get("A", f"{review}/submit").text
    submitted = jury.post("A", f"{review}/submit", {"csrf_token": CSRF_RE.search(confirm).group(1),
                                                     "version": _form_version(confirm)})
    assert submitted.status_code == 200
    [(status,)] = cluster.sql("SELECT status FROM reviews WHERE user_id = :u AND proposal_id = :p",
                              u=juror["user_id"], p=juror["draft_proposal_id"])
    assert status == "submitted"

    after = admin.get("B", ranking)
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]  # B serves the new ranking, not a stale copy


def test_a_mail_queued_on_host_a_is_delivered_by_the_worker(cluster):
    visitor = Browser(cluster)
    email = cluster.scenario["admin"]
    before = cluster.sql("SELECT coalesce(max(id), 0) FROM outbox_messages")[0][0]
    response = visitor.post("A", "/reset", {"email": email, "csrf_token": visitor.csrf("A", "/reset")})
    assert response.status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = cluster.sql("SELECT status FROM outbox_messages WHERE id > :id AND recipient = :r", id=before, r=email)
        if rows and rows[0][0] == "logged":
            break
        time.sleep(0.5)
    assert rows and rows[0][0] == "logged", f"the worker did not deliver: {rows}"


def _wait_for_mail(cluster: Cluster, email: str, after_id: int, seconds: float = 60) -> str | None:
    deadline = time.monotonic() + seconds
    status = None
    while time.monotonic() < deadline:
        for name in ("worker", "scheduler"):  # systemd's Restart=always, for those that Redis's absence ended
            cluster.processes[name].restart_if_dead()
        rows = cluster.sql("SELECT status FROM outbox_messages WHERE id > :id AND recipient = :r", id=after_id,
                           r=email)
        status = rows[0][0] if rows else None
        if status == "logged":
            break
        time.sleep(0.5)
    return status


def test_with_redis_stopped_pages_serve_and_mail_waits_until_it_is_back(cluster):
    scenario = cluster.scenario
    admin = _logged_in(cluster, "A", scenario["admin"])
    visitor = Browser(cluster)
    redis = cluster.processes["redis"]
    redis.stop()
    try:
        assert visitor.get("A", f"/calls/{scenario['competition_id']}").status_code == 200
        assert visitor.get("B", "/").status_code == 200
        ranking = admin.get("B", f"/admin/competitions/{scenario['competition_id']}/ranking?method=median")
        assert ranking.status_code == 200  # the figures are computed without the shared cache
        assert _logged_in(cluster, "B", scenario["jurors"][15]["email"])  # the login limit counts in memory meanwhile
        before = cluster.sql("SELECT coalesce(max(id), 0) FROM outbox_messages")[0][0]
        email = scenario["jurors"][16]["email"]
        response = visitor.post("A", "/reset", {"email": email, "csrf_token": visitor.csrf("A", "/reset")})
        assert response.status_code == 200
        time.sleep(1)
        [(status,)] = cluster.sql("SELECT status FROM outbox_messages WHERE id > :id AND recipient = :r",
                                  id=before, r=email)
        assert status == "queued"  # kept in the outbox, not lost
        assert requests.get(cluster.hosts["A"] + "/readyz", timeout=10).status_code == 503
    finally:
        cluster.processes["redis"] = _start_redis(cluster.redis_port, cluster.logs)
    assert _wait_for_mail(cluster, email, before) == "logged"


def test_a_worker_killed_during_a_job_retries_it_once_and_builds_the_document_once(cluster):
    scenario = cluster.scenario
    admin = _logged_in(cluster, "A", scenario["admin"])
    page = f"/admin/competitions/{scenario['competition_id']}/documents/audit-file"
    worker = cluster.processes["worker"]
    assert worker.alive()
    first = admin.get("A", page, headers={"Accept": "application/json"}).json()
    assert first["ready"] is False
    killed = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not killed:
        for horse in worker.children():  # the work horse exists only while the job runs
            os.kill(horse, signal.SIGKILL)
            killed = True
        time.sleep(0.01)
    assert killed, "the job finished before the work horse could be killed"
    deadline = time.monotonic() + 60
    answer = first
    while time.monotonic() < deadline and not answer["ready"]:
        time.sleep(0.5)
        answer = admin.get("B", page, headers={"Accept": "application/json"}).json()
        assert not answer["failed"]
    assert answer["ready"], "the retried job did not build the document"
    queue = Queue(cluster.queue_name, connection=Redis(port=cluster.redis_port))
    [job_id] = [job_id for job_id in queue.finished_job_registry.get_job_ids() if job_id.startswith("document-")]
    assert queue.fetch_job(job_id).retries_left == 0  # it was retried exactly once
    referenced = {key for (key,) in cluster.sql("SELECT storage_key FROM contract_files")}
    documents = [key for key in cluster.bucket.keys() if key not in referenced]
    assert documents == [job_id.removeprefix("document-")]  # one document, stored once
    download = admin.get("B", answer["download_url"])
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_host_a_stopped_in_the_middle_of_traffic_loses_no_accepted_write(cluster):
    scenario = cluster.scenario
    jurors = scenario["jurors"][1:11]
    rounds = 12
    last: dict[int, str] = {}
    lock = threading.Lock()
    a_down = threading.Event()

    def juror_run(juror):
        browser = _logged_in(cluster, "B", juror["email"])
        review = f"/jury/proposals/{juror['draft_proposal_id']}/review"
        form = browser.get("B", review).text
        token, version = CSRF_RE.search(form).group(1), _form_version(form)
        for k in range(rounds):
            value = str(k % 5)
            host = "B" if a_down.is_set() or k % 2 else "A"
            try:
                response = browser.post(host, f"{review}/autosave", _save_data(scenario, value, token, version))
            except requests.ConnectionError:  # A is gone: the proxy sends the request to B
                response = browser.post("B", f"{review}/autosave", _save_data(scenario, value, token, version))
            if response.status_code == 409:  # a write whose answer was lost: take the current version, again
                version = _form_version(browser.get("B", review).text)
                response = browser.post("B", f"{review}/autosave", _save_data(scenario, value, token, version))
            assert response.status_code == 200, response.text[:300]
            version = response.json()["version"]
            with lock:
                last[juror["user_id"]] = value

    with ThreadPoolExecutor(max_workers=len(jurors)) as pool:
        futures = [pool.submit(juror_run, juror) for juror in jurors]
        time.sleep(2)  # traffic is flowing to both hosts
        cluster.processes["A"].stop(signal.SIGTERM)  # graceful: A finishes what it accepted, then exits
        a_down.set()
        for future in futures:
            future.result()

    assert len(last) == len(jurors)
    for juror in jurors:
        values = cluster.sql("SELECT s.value FROM scores s JOIN reviews r ON r.id = s.review_id "
                             "WHERE r.user_id = :u AND r.proposal_id = :p", u=juror["user_id"],
                             p=juror["draft_proposal_id"])
        assert len(values) == len(scenario["criterion_ids"])
        assert {Decimal(v) for (v,) in values} == {Decimal(last[juror["user_id"]])}
