"""The storage interface every backend implements, and the checks they share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

_HEX = frozenset("0123456789abcdef")


class StorageUnavailable(Exception):
    """The store cannot be reached or refused the operation; nothing was written."""


def check_key(key: str) -> str:
    """Keys are generated hex tokens; anything else never reaches a store."""
    if not key or len(key) > 64 or not set(key) <= _HEX:
        raise ValueError("invalid storage key")
    return key


def is_key(name: str) -> bool:
    """Whether a name is a valid storage key (other files in a folder or bucket are not ours)."""
    try:
        check_key(name)
    except ValueError:
        return False
    return True


class Storage(Protocol):
    """Stores bytes under opaque keys; every backend behaves the same to its callers."""

    name: str

    def put(self, key: str, data: bytes) -> None:
        """Store bytes under a new key; raise StorageUnavailable if the store cannot take them."""

    def get(self, key: str) -> bytes:
        """Return the bytes stored under a key (FileNotFoundError if there are none)."""

    def delete(self, key: str) -> None:
        """Remove a key; a missing key is fine (the goal is that it is gone)."""

    def exists(self, key: str) -> bool:
        """Whether bytes are stored under the key."""

    def keys(self) -> Iterator[str]:
        """Every stored key, sorted."""

    def modified_at(self, key: str) -> datetime:
        """When the bytes under the key were written (UTC)."""

    def download(self, key: str, display_name: str, mime_type: str):
        """A response that delivers the file as an attachment (streamed or redirected to a signed URL)."""

    def ping(self) -> None:
        """Raise StorageUnavailable unless the store answers (readiness check)."""
