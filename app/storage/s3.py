"""S3-compatible object storage through boto3 (MinIO, Ceph RGW, a cloud S3), shared by every app host."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from flask import redirect, send_file

from app.storage.base import StorageUnavailable, check_key, is_key

_MISSING = {"404", "NoSuchKey", "NotFound"}
_ERRORS = (BotoCoreError, ClientError)


class S3Storage:
    """Objects in one bucket, under an optional key prefix; downloads streamed or redirected to a signed URL."""

    name = "s3"

    def __init__(self, client, bucket: str, *, prefix: str = "", server_side_encryption: str | None = None,
                 signed_downloads: bool = False, signed_url_seconds: int = 60) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.server_side_encryption = server_side_encryption or None
        self.signed_downloads = signed_downloads
        self.signed_url_seconds = signed_url_seconds

    @classmethod
    def from_config(cls, config) -> S3Storage:
        """Build the client from the S3_* settings (short timeouts: a dead store must not hang requests)."""
        if not config.get("S3_BUCKET"):
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=BotoConfig(connect_timeout=3, read_timeout=20, retries={"max_attempts": 2, "mode": "standard"},
                              s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "path"}),
        )
        return cls(client, config["S3_BUCKET"], prefix=config.get("S3_PREFIX") or "",
                   server_side_encryption=config.get("S3_SERVER_SIDE_ENCRYPTION"),
                   signed_downloads=bool(config.get("S3_SIGNED_DOWNLOADS")),
                   signed_url_seconds=int(config.get("S3_SIGNED_URL_SECONDS") or 60))

    def _object_key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes) -> None:
        """Upload the object in one request (atomic: it exists whole or not at all); never overwrite a key."""
        extra = {"ServerSideEncryption": self.server_side_encryption} if self.server_side_encryption else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._object_key(key), Body=data, IfNoneMatch="*",
                                   **extra)
        except ClientError as exc:
            if _code(exc) in {"PreconditionFailed", "412"}:
                raise FileExistsError(key) from exc
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc

    def get(self, key: str) -> bytes:
        """Read the whole object."""
        return self._get_object(key)["Body"].read()

    def _get_object(self, key: str) -> dict:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._object_key(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(key) from exc
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc

    def delete(self, key: str) -> None:
        """Delete the object (S3 answers success for a missing key too)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._object_key(key))
        except _ERRORS as exc:
            raise StorageUnavailable(str(exc)) from exc

    def exists(self, key: str) -> bool:
        """Whether the object is there."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object_key(key))
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return False
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc
        return True

    def modified_at(self, key: str) -> datetime:
        """The object's Last-Modified time."""
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._object_key(key))["LastModified"]
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(key) from exc
            raise StorageUnavailable(str(exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(str(exc)) from exc

    def keys(self) -> Iterator[str]:
        """Every key under the prefix, sorted (S3 lists in key order)."""
        names: list[str] = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
                names.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", []))
        except _ERRORS as exc:
            raise StorageUnavailable(str(exc)) from exc
        return iter(sorted(name for name in names if is_key(name)))

    def download(self, key: str, display_name: str, mime_type: str):
        """Redirect to a short-lived signed URL (S3_SIGNED_DOWNLOADS) or stream the object through the app."""
        if self.signed_downloads:
            disposition = "attachment; filename*=UTF-8''" + quote(display_name, safe="")
            url = self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": self._object_key(key),
                        "ResponseContentDisposition": disposition, "ResponseContentType": mime_type},
                ExpiresIn=self.signed_url_seconds,
            )
            return redirect(url, code=302)
        obj = self._get_object(key)
        response = send_file(obj["Body"], mimetype=mime_type, as_attachment=True, download_name=display_name,
                             max_age=0, etag=False)
        if obj.get("ContentLength") is not None:
            response.content_length = obj["ContentLength"]
        return response

    def ping(self) -> None:
        """The bucket must answer."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except _ERRORS as exc:
            raise StorageUnavailable(str(exc)) from exc


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
