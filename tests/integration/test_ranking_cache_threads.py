"""Threads of one worker that miss the same cached figure at once compute it once."""

from __future__ import annotations

import threading
import time

from app.ranking import cache


def test_simultaneous_misses_compute_once(app):
    calls = []
    results = []
    start = threading.Barrier(4)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # a slow computation, so that the other threads arrive while it runs
        return "ranking"

    def request():
        with app.app_context():
            start.wait()
            results.append(cache.get_or_compute(cache.make_key("ranking", 99, ("x",), ("stamp",)), compute))

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache.local_cache.clear()
    assert results == ["ranking"] * 4
    assert len(calls) == 1
