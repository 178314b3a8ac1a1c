"""Which release of the app is running: a digest of its files, for keys that must change with a deployment."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path


@cache
def release() -> str:
    """A digest of the app's files (name, size, time): computed once per process."""
    root = Path(__file__).resolve().parent.parent
    entries = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith((".pyc", ".po")):
                stat = (Path(folder) / name).stat()
                entries.append((os.path.relpath(Path(folder) / name, root), stat.st_size, stat.st_mtime_ns))
    return hashlib.blake2b(repr(sorted(entries)).encode(), digest_size=8).hexdigest()
