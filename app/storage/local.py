"""The embedded default: files in a local folder, sharded by the first two characters of their key."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from flask import send_file

from app.storage.base import StorageUnavailable, check_key, is_key


class LocalFolderStorage:
    """Files under one folder (UPLOAD_FOLDER); serves a single host or a shared network mount."""

    name = "local"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        """The file's path; only valid keys are turned into paths."""
        check_key(key)
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        """Write the bytes under a new key; exclusive create, so no key is ever overwritten."""
        path = self.path_for(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        except FileExistsError:
            raise
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:  # a full disk: leave no partial file behind
            path.unlink(missing_ok=True)
            raise StorageUnavailable(str(exc)) from exc

    def get(self, key: str) -> bytes:
        """Read the stored bytes."""
        return self.path_for(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self.path_for(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self.path_for(key).is_file()

    def keys(self) -> Iterator[str]:
        """Every stored key, sorted (files whose names are not keys are ignored)."""
        if not self.root.exists():
            return iter(())
        names = sorted(p.name for p in self.root.glob("*/*") if p.is_file())
        return iter([name for name in names if is_key(name)])

    def modified_at(self, key: str) -> datetime:
        """The file's modification time."""
        return datetime.fromtimestamp(self.path_for(key).stat().st_mtime, UTC)

    def download(self, key: str, display_name: str, mime_type: str):
        """Stream the file as an attachment (never rendered inline by the browser)."""
        return send_file(self.path_for(key), mimetype=mime_type, as_attachment=True, download_name=display_name,
                         max_age=0)

    def ping(self) -> None:
        """The folder must exist (or be creatable) and be writable."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailable(str(exc)) from exc
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"upload folder {self.root} is not writable")
