"""A small thread-safe LRU map for per-worker caches of computed figures and rendered page parts.

Keys of the form "<subject>:<data version>:<variant>" (several colons may sit in the subject)
let a newer data version of a subject push out the older ones at once; see LruCache.put.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class LruCache:
    """A small thread-safe least-recently-used map (gunicorn threads share one per worker)."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        """The value for key (and mark it as recently used), or None."""
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: str, value: Any) -> None:
        """Store a value, dropping entries it supersedes and the least recently used one when full.

        Why drop superseded entries: a ranking (or a rendered page part) is made anew after every
        change of its data and the old one is never asked for again; left to age out, a few dozen
        of them (megabytes each for rankings) would fill a worker's memory first.
        """
        with self._lock:
            for stale in [k for k in self._data if _superseded(key, k)]:
                del self._data[stale]
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def _superseded(key: str, stored: str) -> bool:
    """True when `stored` is the same subject as `key` but of another data version."""
    new, old = key.rsplit(":", 2), stored.rsplit(":", 2)
    if len(new) != 3 or len(old) != 3:  # not a "<subject>:<version>:<variant>" key
        return False
    return old[0] == new[0] and old[1] != new[1]
