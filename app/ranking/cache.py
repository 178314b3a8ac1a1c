"""Cache of computed rankings and statistics, keyed by what they were computed from.

Why this never serves a stale ranking
-------------------------------------
Nothing is ever invalidated by hand. Instead every cache key contains the competition's
*ranking stamp* (`Competition.ranking_stamp`), a random token that stamp.py replaces in the
same transaction as any write of a ranking input: a submitted review or its scores, a
consensus report, a conflict of interest, a recorded draw, a proposal in the jury pool, a
criterion or the competition's settings. Reading the key costs nothing (the competition row
is loaded anyway), so a cached ranking is served without touching the score tables.

A score, consensus or weight change therefore yields a new key: the next request misses
the cache and recomputes, and the old entry is simply never asked for again (it ages out
of the in-process LRU and expires in Redis). Several gunicorn workers stay consistent
without any message between them, because each one reads the stamp from the database.
The method, the what-if weights and the options are part of the key too.

Two layers: a small in-process LRU (fast, per worker) and, when `REDIS_URL` is set, Redis
(shared by all workers and hosts, so a ranking is computed once per data version). Redis
failures are logged and ignored: the cache is an optimisation, never a source of truth.
"""

from __future__ import annotations

import hashlib
import logging
import pickle  # noqa: S403 - only our own objects, written by this module to our own Redis
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

from app.competitions.models import Competition
from app.core.lru_cache import LruCache
from app.core.memory import cyclic_gc_paused, release_free_memory

log = logging.getLogger(__name__)

LOCAL_MAX_ENTRIES = 16
REDIS_TTL_SECONDS = 24 * 3600
# Bump when the cached classes change shape, so old pickles in Redis are never read.
KEY_SCHEMA = "ranking-cache-v2"

T = TypeVar("T")


local_cache = LruCache(LOCAL_MAX_ENTRIES)


def data_version(competition: Competition) -> tuple:
    """What the competition's cached figures were computed from: its ranking stamp (see stamp.py)."""
    return (competition.ranking_stamp,)


def make_key(kind: str, competition_id: int, options: tuple, version: tuple) -> str:
    """A short stable key from what was asked for and the data version it was computed on.

    The version has a part of its own (before the digest) so that storing a newer version can
    drop the older ones of the same kind and competition (see app.core.lru_cache).
    """
    version_part = hashlib.sha256(repr(version).encode()).hexdigest()[:16]
    digest = hashlib.sha256(repr((KEY_SCHEMA, kind, competition_id, options, version)).encode()).hexdigest()
    return f"{KEY_SCHEMA}:{kind}:{competition_id}:{version_part}:{digest}"


def _redis():
    """The Redis client when REDIS_URL is configured (created once per app), else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("ranking_cache_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["ranking_cache_redis"] = client
    return client


def get(key: str) -> Any | None:
    """A cached value from the local LRU, then from Redis; None on a miss."""
    value = local_cache.get(key)
    if value is not None:
        return value
    client = _redis()
    if client is None:
        return None
    try:
        raw = client.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("ranking cache: Redis read failed", exc_info=True)
        return None
    if raw is None:
        return None
    # Safe (bandit B301): the bytes are written by put() below under our namespaced key on our own Redis.
    value = pickle.loads(raw)  # noqa: S301  # nosec B301
    local_cache.put(key, value)
    return value


def put(key: str, value: Any) -> None:
    """Store a value in the local LRU and, when configured, in Redis with a time to live."""
    local_cache.put(key, value)
    client = _redis()
    if client is None:
        return
    try:
        client.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=REDIS_TTL_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("ranking cache: Redis write failed", exc_info=True)


_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def get_or_compute(key: str, compute: Callable[[], T]) -> T:
    """The cached value for key, computing and storing it on a miss.

    Threads of one worker that miss the same key at once wait for the first one's result
    instead of computing it again (a ranking at scale takes a second and ~100 MB).
    """
    value = get(key)
    if value is not None:
        return value
    with _computing_guard:
        lock = _computing.setdefault(key, threading.Lock())
    with lock:
        value = get(key)  # computed by another thread while this one waited
        if value is None:
            with cyclic_gc_paused():
                value = compute()
            put(key, value)
            release_free_memory()  # the computation's temporaries would otherwise stay resident
    with _computing_guard:
        _computing.pop(key, None)
    return value

