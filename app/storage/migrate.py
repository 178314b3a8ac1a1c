"""Copy every file of a local upload folder into the configured object store, checked by checksum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.storage.base import Storage


@dataclass
class MigrationResult:
    """What a copy run did: keys copied, already present with the same content, and mismatches."""

    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)


def copy_all(source: Storage, target: Storage) -> MigrationResult:
    """Copy each key missing in target, read it back and compare SHA-256; never overwrite a differing object."""
    result = MigrationResult()
    for key in source.keys():
        data = source.get(key)
        digest = hashlib.sha256(data).hexdigest()
        if target.exists(key):
            bucket = result.present if _sha256(target.get(key)) == digest else result.mismatched
            bucket.append(key)
            continue
        target.put(key, data)
        # Read back what the store holds: a checksum match is the proof the copy is whole.
        (result.copied if _sha256(target.get(key)) == digest else result.mismatched).append(key)
    return result


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
