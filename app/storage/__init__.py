"""Where uploaded files live: a storage interface with a local folder and an S3-compatible backend."""

from __future__ import annotations

from flask import Flask, current_app

from app.storage.base import Storage, StorageUnavailable, check_key, is_key

__all__ = ["Storage", "StorageUnavailable", "check_key", "is_key", "get_storage", "init_app", "storage_from_config"]

_EXTENSION_KEY = "file_storage"


def storage_from_config(config) -> Storage:
    """Build the backend named by STORAGE_BACKEND (local or s3) from the settings."""
    backend = (config.get("STORAGE_BACKEND") or "local").lower()
    if backend == "local":
        from app.storage.local import LocalFolderStorage

        return LocalFolderStorage(config["UPLOAD_FOLDER"])
    if backend == "s3":
        from app.storage.s3 import S3Storage

        return S3Storage.from_config(config)
    raise RuntimeError(f"Unknown STORAGE_BACKEND {backend!r}; use 'local' or 's3'")


def init_app(app: Flask) -> None:
    """Create the app's storage backend once (boto3 clients are thread-safe and reusable)."""
    app.extensions[_EXTENSION_KEY] = storage_from_config(app.config)


def get_storage() -> Storage:
    """The current app's storage backend."""
    return current_app.extensions[_EXTENSION_KEY]
