"""A stand-in for a Redis server: just enough of redis.Redis for cachelib's RedisCache."""

from __future__ import annotations


class FakeRedis:
    """Just enough of redis.Redis for cachelib's RedisCache: get and set with a time to live."""

    def __init__(self, broken: bool = False):
        self.data: dict[str, bytes] = {}
        self.broken = broken

    def get(self, name):
        if self.broken:
            raise ConnectionError("down")
        return self.data.get(name)

    def set(self, name, value, ex=None):
        if self.broken:
            raise ConnectionError("down")
        self.data[name] = value
        return True
