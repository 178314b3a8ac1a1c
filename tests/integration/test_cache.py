"""The one cache of computed figures (app/core/cache.py): once per key, fresh after a stamp change, optional."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_caching.backends import RedisCache

from app.core import cache
from app.extensions import cache as cache_extension
from tests.builders.fake_redis import FakeRedis


@pytest.fixture(autouse=True)
def empty_cache(app):
    cache.clear()
    yield
    cache.clear()


def _competition(ranking="r1", progress="p1", competition_id=7):
    return SimpleNamespace(id=competition_id, ranking_stamp=ranking, progress_stamp=progress)


def _counting(value="figure"):
    calls = []

    def compute():
        calls.append(1)
        return value

    return calls, compute


def test_the_key_names_release_kind_competition_stamps_and_parts():
    key = cache.cache_key("ranking", _competition(), ("mean", (), True))
    assert key.startswith(f"{cache.KEY_SCHEMA}:{cache.release()}:ranking:7:r1:")
    assert key == cache.cache_key("ranking", _competition(), ("mean", (), True))
    assert key != cache.cache_key("ranking", _competition(), ("mean", ((1, "2"),), True))
    assert key != cache.cache_key("ranking", _competition(ranking="r2"), ("mean", (), True))
    assert key == cache.cache_key("ranking", _competition(progress="p2"), ("mean", (), True))
    both = cache.cache_key("progress-html", _competition(), (), (cache.PROGRESS_INPUTS, cache.RANKING_INPUTS))
    assert ":p1.r1:" in both


def test_a_new_release_never_reads_what_an_older_one_kept(app, monkeypatch):
    competition = _competition()
    assert cache.cached("ranking-page", competition, (), lambda: "old columns") == "old columns"
    monkeypatch.setattr(cache, "release", lambda: "the-next-release")  # a deployment changes the app's files
    assert cache.cached("ranking-page", competition, (), lambda: "new columns") == "new columns"


def test_a_figure_is_computed_once_per_key(app):
    calls, compute = _counting()
    competition = _competition()
    assert cache.cached("ranking", competition, ("mean",), compute) == "figure"
    assert cache.cached("ranking", competition, ("mean",), compute) == "figure"
    assert len(calls) == 1
    cache.cached("ranking", competition, ("median",), compute)  # other parts: another figure
    cache.cached("statistics", competition, ("mean",), compute)  # another kind
    cache.cached("ranking", _competition(competition_id=8), ("mean",), compute)  # another competition
    assert len(calls) == 4


def test_a_new_stamp_gives_a_fresh_value(app):
    competition = _competition()
    assert cache.cached("ranking", competition, (), lambda: "before") == "before"
    competition.ranking_stamp = "r2"  # what a flush writing a score does
    assert cache.cached("ranking", competition, (), lambda: "after") == "after"


def test_a_figure_keyed_by_the_progress_stamp_ignores_the_ranking_stamp(app):
    competition = _competition()
    inputs = (cache.PROGRESS_INPUTS,)
    assert cache.cached("progress-jurors", competition, (), lambda: "counts", inputs=inputs) == "counts"
    competition.ranking_stamp = "r2"
    assert cache.cached("progress-jurors", competition, (), lambda: "recounted", inputs=inputs) == "counts"
    competition.progress_stamp = "p2"
    assert cache.cached("progress-jurors", competition, (), lambda: "recounted", inputs=inputs) == "recounted"


def test_lookup_never_computes(app):
    competition = _competition()
    assert cache.lookup("ranking", competition, ("mean",)) is None
    cache.cached("ranking", competition, ("mean",), lambda: "figure")
    assert cache.lookup("ranking", competition, ("mean",)) == "figure"


def test_threads_missing_the_same_key_compute_once(app):
    calls, results = [], []
    start = threading.Barrier(4)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # a slow computation, so that the other threads arrive while it runs
        return "ranking"

    def request():
        with app.app_context():
            start.wait()
            results.append(cache.cached("ranking", _competition(), ("x",), compute))

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ranking"] * 4
    assert len(calls) == 1


def _use_redis(app, monkeypatch, client) -> None:
    backend = RedisCache(host=client, key_prefix=app.config["CACHE_KEY_PREFIX"], default_timeout=3600)
    monkeypatch.setitem(app.extensions["cache"], cache_extension, backend)


def test_redis_shares_figures_between_workers_under_the_prefix(app, monkeypatch):
    redis = FakeRedis()
    _use_redis(app, monkeypatch, redis)
    calls, compute = _counting(["a", "ranking"])
    first = cache.cached("ranking", _competition(), (), compute)
    assert [key.startswith("ideenwettbewerb:") for key in redis.data] == [True]
    # Another worker has nothing in memory, but finds the figure in Redis.
    _use_redis(app, monkeypatch, redis)
    assert cache.cached("ranking", _competition(), (), compute) == first
    assert len(calls) == 1


def test_a_redis_outage_falls_back_to_computing(app, monkeypatch, caplog):
    _use_redis(app, monkeypatch, FakeRedis(broken=True))
    calls, compute = _counting()
    assert cache.cached("ranking", _competition(), (), compute) == "figure"
    assert cache.cached("ranking", _competition(), (), compute) == "figure"
    assert len(calls) == 2  # nothing kept, nothing broken
    assert "cache: read failed" in caplog.text


@pytest.mark.parametrize("redis_url,backend", [(None, "SimpleCache"), ("redis://127.0.0.1:1/0", "RedisCache")])
def test_redis_is_used_only_when_redis_url_is_set(app, redis_url, backend):
    # A bare app: another full app would rebind the shared extensions (the rate limiter's storage).
    other = Flask(__name__)
    other.config.update({key: app.config[key] for key in ("CACHE_THRESHOLD", "CACHE_DEFAULT_TIMEOUT",
                                                           "CACHE_KEY_PREFIX")}, REDIS_URL=redis_url)
    cache.init_cache(other)  # Redis connects lazily: nothing listens on port 1, and nothing is asked here
    assert type(other.extensions["cache"][cache_extension]).__name__ == backend
    assert type(app.extensions["cache"][cache_extension]).__name__ == "SimpleCache"  # the tests' own
