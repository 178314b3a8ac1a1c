"""Helpers for the concurrency tests: many logged-in browsers hitting the real app at the same moment.

Every thread uses its own test client; each request runs in its own app context, so each thread
has its own database session and connection, as separate worker processes would in production.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.web import csrf_token, login

# Generous: on SQLite every write waits for the one before it.
JOIN_TIMEOUT = 120


@dataclass
class Outcome:
    """What one thread got back: its result, or the exception it raised."""

    index: int
    result: Any = None
    error: BaseException | None = None
    extra: dict = field(default_factory=dict)


def browser(app, user, number: int, *, token_from: str = "/"):
    """A logged-in test client of its own, with a CSRF token taken from the given page.

    Each browser comes from its own address, so that logging many users in does not trip the
    login rate limit (which counts per address).
    """
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.77.{number // 250}.{number % 250 + 1}"
    login(client, user.email)
    return client, csrf_token(client, token_from)


def run_together(actions: Sequence[Callable[[], Any]]) -> list[Outcome]:
    """Run every action in its own thread, released at the same moment by a barrier; wait for all."""
    barrier = threading.Barrier(len(actions))
    outcomes = [Outcome(index) for index in range(len(actions))]

    def worker(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index].result = action()
        except BaseException as exc:  # noqa: BLE001 - reported by the test, not swallowed
            outcomes[index].error = exc

    threads = [threading.Thread(target=worker, args=(i, a), daemon=True) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request hung (lock wait without end?)"
    errors = [o.error for o in outcomes if o.error is not None]
    if errors:
        raise AssertionError(f"{len(errors)} thread(s) failed; first: {errors[0]!r}") from errors[0]
    return outcomes
