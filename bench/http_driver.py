"""Drives a running server over HTTP from this (separate) process and measures each page.

Only loopback addresses are ever contacted; request loops are bounded in count and time.
"""

from __future__ import annotations

import http.client
import re
import statistics
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_SECONDS_PER_PAGE = 120


@dataclass
class PageResult:
    """Latency and SQL figures of one page."""

    name: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    throughput_rps: float
    sql_statements: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for JSON."""
        return {
            "name": self.name, "requests": self.requests, "errors": self.errors,
            "p50_ms": round(self.p50_ms, 2), "p95_ms": round(self.p95_ms, 2),
            "throughput_rps": round(self.throughput_rps, 1),
            "sql_statements": max(self.sql_statements) if self.sql_statements else None,
        }


class Session:
    """A cookie-keeping HTTP client bound to one base URL on loopback.

    Each request opens its own connection, as before, so the kernel spreads them over the
    gunicorn workers. It is built on http.client with a plain cookie dict rather than urllib's
    opener and cookie jar: this client shares the machine's two cores with the server it
    measures, and urllib spent about as much CPU per request as a simple page does.
    """

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("the benchmark only talks to loopback addresses")
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> tuple[int, bytes, dict]:
        """GET a path; return status, body and headers (redirects followed)."""
        return self._send("GET", path)

    def post(self, path: str, data: dict) -> tuple[int, bytes, dict]:
        """POST a form (urlencoded); a redirect is followed with a GET, as a browser does."""
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf(self, path: str = "/") -> str:
        """A CSRF token of this session, read from a page."""
        _, body, _ = self.get(path)
        match = CSRF_RE.search(body.decode("utf-8", "replace"))
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def login(self, email: str, password: str) -> None:
        """Log in through the form."""
        token = self.csrf("/login")
        status, _, _ = self.post("/login", {"email": email, "password": password, "csrf_token": token})
        if status != 200:
            raise RuntimeError(f"login of {email} failed with {status}")

    def _send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
              redirects: int = 5) -> tuple[int, bytes, dict]:
        headers = {**(headers or {}), "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value, lowered = rest.split(";", 1)[0], cookie.lower()
            if "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        if response.status in (301, 302, 303, 307, 308) and redirects:
            target = urllib.parse.urlsplit(response.headers["Location"])
            path = target.path + (f"?{target.query}" if target.query else "")
            return self._send("GET", path, redirects=redirects - 1)
        return response.status, data, dict(response.headers)


def measure(name: str, sessions: list[Session], path_for, total: int, concurrency: int = 8,
            method: str = "GET", data_for=None) -> PageResult:
    """Send `total` requests with `concurrency` parallel sessions; path_for(i) gives each path."""
    latencies: list[float] = []
    sql_counts: list[int] = []
    errors = 0
    deadline = time.monotonic() + MAX_SECONDS_PER_PAGE

    def one(i: int):
        if time.monotonic() > deadline:
            return None
        session = sessions[i % len(sessions)]
        started = time.perf_counter()
        if method == "GET":
            status, _, headers = session.get(path_for(i))
        else:
            status, _, headers = session.post(path_for(i), data_for(i, session))
        elapsed = (time.perf_counter() - started) * 1000
        return status, elapsed, headers.get("X-SQL-Statements")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for outcome in pool.map(one, range(total)):
            if outcome is None:
                continue
            status, elapsed, sql = outcome
            latencies.append(elapsed)
            if status >= 400:
                errors += 1
            if sql is not None:
                sql_counts.append(int(sql))
    wall = time.perf_counter() - started
    latencies.sort()
    p95_index = max(0, int(round(0.95 * len(latencies))) - 1)
    return PageResult(
        name=name, requests=len(latencies), errors=errors,
        p50_ms=statistics.median(latencies) if latencies else float("nan"),
        p95_ms=latencies[p95_index] if latencies else float("nan"),
        throughput_rps=len(latencies) / wall if wall else 0.0,
        sql_statements=sql_counts,
    )
