"""gunicorn settings for production and the benchmark (`gunicorn wsgi:app` reads this file).

Threaded workers: a request spends part of its time waiting for PostgreSQL (a commit waits
for the disk), and while one thread waits another can work, so each worker process serves
several requests at once without the memory of another process. The app keeps no
per-thread state outside Flask's request and application contexts, and its one cache
(app/core/cache.py) is thread-safe. Override with the environment: WEB_CONCURRENCY (processes),
GUNICORN_THREADS, GUNICORN_BIND.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
timeout = 120
# SIGTERM (systemctl stop, a deploy): stop accepting, let running requests finish for up to 30 s.
graceful_timeout = 30
# Restart a worker now and then so that memory fragmentation never accumulates for weeks.
max_requests = 20000
max_requests_jitter = 2000


# mallopt's parameter for the most malloc arenas glibc creates (by default 8 per core, one per busy thread).
_M_ARENA_MAX = -8


def post_fork(server, worker):
    """In each new worker, before its threads start: two malloc arenas, so memory freed is memory reused.

    Why: a threaded worker otherwise keeps one heap per thread, each fragmenting on its own; at size L
    that took a worker from about 230 to 280 MB in `make bench`. glibc only (elsewhere nothing happens).
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        return
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 2)


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR, drop a finished worker's live gauges from the shared metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
