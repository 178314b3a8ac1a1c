"""The Redis connection and RQ queue of the app (only when REDIS_URL is set)."""

from __future__ import annotations

import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.registry import FailedJobRegistry

log = logging.getLogger(__name__)

_EXTENSION_KEY = "job_redis"


def queue_enabled() -> bool:
    """Jobs go to the queue only when Redis is configured; otherwise they run in the request."""
    return bool(current_app.config.get("REDIS_URL"))


def redis_connection() -> Redis:
    """One Redis client per app (thread-safe pool); short timeouts so a dead Redis never hangs a request."""
    connection = current_app.extensions.get(_EXTENSION_KEY)
    if connection is None:
        connection = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
        current_app.extensions[_EXTENSION_KEY] = connection
    return connection


def job_queue() -> Queue:
    """The app's queue (JOB_QUEUE_NAME keeps installations sharing one Redis apart)."""
    return Queue(current_app.config["JOB_QUEUE_NAME"], connection=redis_connection())


def queue_figures() -> tuple[int, int] | None:
    """(jobs waiting, jobs failed) for the metrics; None without Redis or when it does not answer."""
    if not queue_enabled():
        return None
    try:
        queue = job_queue()
        return queue.count, FailedJobRegistry(queue=queue).count
    except RedisError as exc:
        log.warning("queue figures unavailable: %s", exc)
        return None
