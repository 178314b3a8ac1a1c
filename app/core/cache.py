"""The one cache of computed figures: keyed by the competition's stamps, so nothing is invalidated by hand.

Why this never serves stale figures
-----------------------------------
Every key holds the competition's stamps that the figure was computed from (see
app/competitions/stamps.py: a stamp is replaced in the same transaction as any write of one
of its inputs). Reading the key costs nothing, the competition row is loaded anyway; a change
of an input gives another key, the next request computes anew, and the old entry is never
asked for again (it ages out). Several workers and hosts agree without any message between
them, because each reads the stamps from the database. The key also names the release
(app/core/release.py), so a deployment never serves page parts rendered by the old templates.

Flask-Caching keeps the values: Redis when REDIS_URL is set (shared by every worker, so a
ranking is computed once per data version), otherwise a small in-process SimpleCache.
A Redis failure is logged and the figure computed: the cache is never a source of truth.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask

from app.core.release import release
from app.extensions import cache as _cache

log = logging.getLogger(__name__)

# Bump when a cached class changes shape, so values pickled by an older release are never read.
KEY_SCHEMA = "v1"

# Names of the competition's stamp columns: what a cached figure was computed from.
RANKING_INPUTS = "ranking_stamp"  # scores, consensus, conflicts, draws, criteria, settings, the pool
PROGRESS_INPUTS = "progress_stamp"  # the ranking's inputs plus assignments, seats, drafts, jurors' names
CONTRACTS_INPUTS = "contracts_stamp"  # contracts and their rows, awards, the competition, proposals, names

T = TypeVar("T")

_MISSING = object()


def init_cache(app: Flask) -> None:
    """Redis (under a key prefix) when REDIS_URL is set, else an in-process SimpleCache."""
    url = app.config.get("REDIS_URL")
    if url:
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url,
                  # A slow or absent Redis must cost a page one second at most, not a hang.
                  "CACHE_OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1}}
    else:
        config = {"CACHE_TYPE": "SimpleCache"}
    _cache.init_app(app, config={key: app.config[key] for key in
                                 ("CACHE_THRESHOLD", "CACHE_DEFAULT_TIMEOUT", "CACHE_KEY_PREFIX")} | config)


def cache_key(kind: str, competition: Any, parts: tuple, inputs: Sequence[str] = (RANKING_INPUTS,)) -> str:
    """What was asked for (kind, parts) of which competition, computed from which version of its inputs."""
    stamps = ".".join(str(getattr(competition, name)) for name in inputs)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    # The release: rendered page parts of an older deployment are never served by a newer one.
    return f"{KEY_SCHEMA}:{release()}:{kind}:{competition.id}:{stamps}:{digest}"


def _get(key: str) -> Any:
    try:
        value = _cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("cache: read failed", exc_info=True)
        return _MISSING
    return _MISSING if value is None else value


def _set(key: str, value: Any) -> None:
    try:
        _cache.set(key, value)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("cache: write failed", exc_info=True)


def lookup(kind: str, competition: Any, parts: tuple, inputs: Sequence[str] = (RANKING_INPUTS,)) -> Any | None:
    """The cached value if there is one (None on a miss); never computes."""
    value = _get(cache_key(kind, competition, parts, inputs))
    return None if value is _MISSING else value


_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def cached(kind: str, competition: Any, parts: tuple, compute: Callable[[], T],
           inputs: Sequence[str] = (RANKING_INPUTS,)) -> T:
    """The value of compute() for this kind, competition, parts and version of the inputs; computed once per key.

    Threads of one worker that miss the same key at once wait for the first one's result
    instead of computing it again (a ranking at scale takes a second and ~100 MB).
    """
    key = cache_key(kind, competition, parts, inputs)
    value = _get(key)
    if value is not _MISSING:
        return value
    with _computing_guard:
        lock = _computing.setdefault(key, threading.Lock())
    try:
        with lock:
            value = _get(key)  # computed by another thread while this one waited
            if value is _MISSING:
                value = compute()
                _set(key, value)
    finally:
        with _computing_guard:
            _computing.pop(key, None)
    return value


def clear() -> None:
    """Forget every cached value (tests, restore of a backup)."""
    try:
        _cache.clear()
    except Exception:  # noqa: BLE001 - a cache outage must not break the caller
        log.warning("cache: clear failed", exc_info=True)
