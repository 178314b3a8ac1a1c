"""A Redis for the tests that need one: the machine's, else one started for the session, else a skip.

`make test` must pass on a machine without Redis (as without Chromium): the tests of the job
queue and the queue metrics then skip with the reason. `.ci/run` sets REQUIRE_REDIS=1, which
turns that skip into a failure, and installs redis-server, so they always run there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from redis import Redis
from redis.exceptions import RedisError

# A database number of its own on the machine's Redis; every test uses a queue name of its own.
DEFAULT_URL = "redis://127.0.0.1:6379/13"


def _reachable(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
    pytest.skip(f"{reason} (install redis-server to run these tests)")


@pytest.fixture(scope="session")
def redis_url():
    """The URL of a Redis database these tests may fill and empty."""
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_URL)
    if _reachable(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable(f"no Redis answers on {url} and redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while not _reachable(started):
            if time.monotonic() > deadline or process.poll() is not None:
                _unavailable("redis-server did not start")
            time.sleep(0.1)
        yield started
    finally:
        process.terminate()
        process.wait(timeout=10)
