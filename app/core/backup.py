"""Backup and restore of the whole record: every table as JSON plus the uploaded files of the configured store.

The archive is database-neutral (SQLite and PostgreSQL alike), so a backup taken on one
restores on the other. On a large PostgreSQL installation `pg_dump` is the faster path
(docs/operations.md); this command is the one that is tested end to end.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, func, insert, select, text

from app.core.time import utcnow
from app.extensions import db
from app.storage import get_storage, is_key

FORMAT_VERSION = 1


class RestoreRefused(Exception):
    """The archive cannot be restored here (not empty, wrong schema, damaged)."""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(column, value: Any) -> Any:
    if value is None:
        return None
    column_type = column.type
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(impl, Date):
        return date.fromisoformat(value)
    if isinstance(impl, Numeric):
        return Decimal(value)
    return value


def _schema_revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # a database made by create_all (tests) has no alembic table
        db.session.rollback()
        return None


def create_backup(target: Path) -> Path:
    """Write a .tar.gz with every table's rows and every upload; return its path."""
    storage = get_storage()
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{key: _encode(value) for key, value in row.items()} for row in rows]
    keys = list(storage.keys())
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": utcnow().isoformat(),
        "schema_revision": _schema_revision(),
        "row_counts": {name: len(rows) for name, rows in tables.items()},
        "files": {},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        _add_bytes(archive, "data.json", json.dumps(tables).encode())
        for key in keys:  # one object in memory at a time (uploads are at most 10 MB)
            data = storage.get(key)
            manifest["files"][_archive_name(key)] = hashlib.sha256(data).hexdigest()
            _add_bytes(archive, f"uploads/{_archive_name(key)}", data)
        # The manifest goes last so it can hold the checksums of what was actually written.
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return target


def _archive_name(key: str) -> str:
    """Objects keep the folder layout of version 1 archives, so old and new archives restore alike."""
    return f"{key[:2]}/{key}"


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _database_is_empty() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(table)) == 0 for table in db.metadata.sorted_tables
    )


def restore_backup(source: Path) -> dict[str, int]:
    """Restore an archive into an empty, migrated database; return the row counts restored."""
    if not _database_is_empty():
        raise RestoreRefused("the database is not empty; restore needs a freshly migrated, empty database")
    storage = get_storage()
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreRefused(f"unknown backup format {manifest.get('format')!r}")
        revision = _schema_revision()
        if manifest.get("schema_revision") and revision and manifest["schema_revision"] != revision:
            raise RestoreRefused(f"backup schema {manifest['schema_revision']} differs from database {revision}; "
                                 "run `flask db upgrade`/`downgrade` to that revision first")
        tables = json.load(archive.extractfile("data.json"))
        for table in db.metadata.sorted_tables:
            rows = tables.get(table.name, [])
            if rows:
                columns = table.columns
                decoded = [{key: _decode(columns[key], value) for key, value in row.items() if key in columns}
                           for row in rows]
                db.session.execute(insert(table), decoded)
        _reset_sequences()
        for relative, digest in manifest["files"].items():
            member = archive.extractfile(f"uploads/{relative}")
            data = member.read()
            if hashlib.sha256(data).hexdigest() != digest:
                raise RestoreRefused(f"upload {relative} is damaged in the archive")
            # The name comes from our own manifest, but never trust it blindly: only keys reach the store.
            key = relative.rpartition("/")[2]
            if not is_key(key) or relative != _archive_name(key):
                raise RestoreRefused(f"upload path {relative} is not a storage key")
            if storage.exists(key):
                storage.delete(key)  # a restore repeated after a failure replaces its own earlier copy
            storage.put(key, data)
    return {name: len(rows) for name, rows in tables.items()}


def _reset_sequences() -> None:
    """PostgreSQL's id sequences must continue after the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].autoincrement:
            # Built with SQLAlchemy rather than an f-string, so no SQL is assembled from text.
            next_id = func.coalesce(select(func.max(table.c.id)).scalar_subquery(), 0) + 1
            db.session.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"), next_id, False)))
