"""Rendered page parts kept per worker under a digest of exactly the data they show.

Why this never shows stale data
-------------------------------
There is no invalidation rule to forget. A page still reads its data from the database on
every request; only the rendering is reused. The key holds a digest of every loaded column
value the part shows (and of any further figures it shows), so any change, by whoever and
through whichever code path, gives another key and the part is rendered anew. What else the
part depends on (language, today, the viewer's rights, the query string) goes into the key
as well; each caller names it.

Keys read "<subject>:<data digest>:<variant>": storing a part of a newer digest drops the
older ones of the same subject at once (app/core/lru_cache.py), so memory holds current
parts only. Per worker: a restart or a new release renders anew. The ranking and progress
pages keep their rendered rows here too, under keys holding the competition's stamps
(app/ranking/cache.make_key) instead of a digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from markupsafe import Markup
from sqlalchemy import inspect

from app.core.lru_cache import LruCache

rendered_parts = LruCache(96)

T = TypeVar("T")


@cache
def _column_keys(model: type) -> tuple[str, ...]:
    """The attribute names of a model's columns."""
    return tuple(attribute.key for attribute in inspect(model).column_attrs)


def digest_of(objects: Iterable[object], *figures) -> str:
    """A digest of the loaded column values of ORM objects and of further plain figures (equal only for equal data).

    A column not loaded (load_only) counts as None: such a column is not shown either.
    """
    # repr() of nested tuples is unambiguous (strings come quoted and escaped), so equal text means equal values.
    values = repr(([(type(obj).__name__, tuple(obj.__dict__.get(key) for key in _column_keys(type(obj))))
                    for obj in objects], figures))
    return hashlib.blake2b(values.encode(), digest_size=16).hexdigest()


def part_key(subject: str, digest: str, *variant) -> str:
    """The key of a rendered part: what it shows (subject), of which data (digest), and how (variant)."""
    return f"{subject}:{digest}:{'|'.join(str(v) for v in variant)}"


def kept(key: str, render: Callable[[], T]) -> T:
    """The rendered part(s) for key from this worker's cache, rendering and keeping them on a miss."""
    part = rendered_parts.get(key)
    if part is None:
        part = render()
        rendered_parts.put(key, part)
    return part


def rendered(key: str, render: Callable[[], str]) -> Markup:
    """The part for key from this worker's cache, rendering and keeping it on a miss."""
    # render() is an autoescaping template's output, so it is safe HTML already.
    return kept(key, lambda: Markup(render()))  # noqa: S704  # nosec B704
