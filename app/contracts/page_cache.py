"""The contract page's body (facts, milestones, payments, charts), rendered once per data version.

Why this never shows stale figures
----------------------------------
There is no invalidation rule to forget. The key is a digest of every column value the page
has just loaded: the contract, its competition and all of its children (operators, shares,
steps, team, milestones, reports, files, payments, parts, amendments). The data is read from
the database on every request as before, so any change, by whoever and through whichever
code path, gives another digest and the body is rendered anew. What else the body depends
on is part of the key as well: the language, the funder's today (overdue marks, the today
line of the timeline), whether the admin or the operator looks, and whether the operator may
report. Only the rendering (a third of the page's time) is saved, never a database read.

Per worker only (a restart or a new release renders anew); bodies of an older data version are
dropped as soon as a newer one of the same contract is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache

from markupsafe import Markup
from sqlalchemy import inspect

from app.contracts.models import Contract
from app.core.lru_cache import LruCache

body_cache = LruCache(64)


@cache
def _column_keys(model: type) -> tuple[str, ...]:
    """The attribute names of a model's columns."""
    return tuple(attribute.key for attribute in inspect(model).column_attrs)


def _loaded_objects(contract: Contract) -> Iterable[object]:
    """The contract, its competition and every child the contract page loaded with it."""
    yield contract
    yield contract.competition
    for collection in (contract.operators, contract.funding_shares, contract.approval_steps, contract.team_members,
                       contract.documents, contract.amendments):
        yield from collection
    for payment in contract.payments:
        yield payment
        yield from payment.parts
    for milestone in contract.milestones:
        yield milestone
        for report in milestone.reports:
            yield report
            yield from report.files


def data_digest(contract: Contract) -> str:
    """A digest of all column values of the loaded contract and its children (equal only for equal data)."""
    # repr() of nested tuples is unambiguous (strings come quoted and escaped), so equal text means equal values.
    values = repr([(type(obj).__name__, tuple(obj.__dict__.get(key) for key in _column_keys(type(obj))))
                   for obj in _loaded_objects(contract)])
    return hashlib.blake2b(values.encode(), digest_size=16).hexdigest()


def body_key(contract: Contract, *, language: str, today: date, admin_view: bool, may_report: bool) -> str:
    """The cache key: the contract (subject), its data digest (version) and how it is shown (variant)."""
    variant = f"{language}|{today.isoformat()}|{int(admin_view)}|{int(may_report)}"
    return f"contract-body:{contract.id}:{data_digest(contract)}:{variant}"


def body_or_render(key: str, render: Callable[[], str]) -> Markup:
    """The body for key from this worker's cache, rendering and keeping it on a miss."""
    body = body_cache.get(key)
    if body is None:
        # render() is an autoescaping template's output, so it is safe HTML already.
        body = Markup(render())  # noqa: S704  # nosec B704
        body_cache.put(key, body)
    return body
