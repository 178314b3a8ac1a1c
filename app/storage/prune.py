"""Remove stored objects that no row refers to: built documents of outdated data, files of failed requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, union

from app.extensions import db
from app.storage.base import Storage

# A file is stored before its row is committed; anything younger may still be waiting for its row.
MINIMUM_AGE = timedelta(days=1)


def referenced_keys() -> set[str]:
    """Every key held by a `storage_key` column of any table (packages that store files need not register)."""
    columns = [table.c.storage_key for table in db.metadata.sorted_tables if "storage_key" in table.c]
    if not columns:
        return set()
    return set(db.session.scalars(union(*(select(column) for column in columns))))


def unreferenced_keys(storage: Storage, older_than: timedelta, now: datetime) -> list[str]:
    """Keys that no row refers to and that were written before now - older_than (at least MINIMUM_AGE)."""
    cutoff = now - max(older_than, MINIMUM_AGE)
    referenced = referenced_keys()
    return [key for key in storage.keys() if key not in referenced and storage.modified_at(key) < cutoff]


def prune(storage: Storage, older_than: timedelta, now: datetime, dry_run: bool = False) -> list[str]:
    """Delete the unreferenced keys (or only list them); return them."""
    keys = unreferenced_keys(storage, older_than, now)
    if not dry_run:
        for key in keys:
            storage.delete(key)
    return keys
