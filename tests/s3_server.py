"""A real S3 protocol server on loopback (moto's standalone server) and stores that use it."""

from __future__ import annotations

import secrets

import boto3
import pytest
from moto.server import ThreadedMotoServer

from app.storage.s3 import S3Storage

REGION = "eu-central-1"
KEY_ID = "testing"
SECRET = "testing"  # noqa: S105 - moto accepts any credentials


@pytest.fixture(scope="session")
def s3_endpoint():
    """The endpoint URL of an S3 server on a free loopback port, for the whole test session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_settings(endpoint: str, bucket: str, **extra) -> dict:
    """The S3_* settings of an app that stores its uploads in `bucket` on `endpoint`."""
    return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": endpoint, "S3_BUCKET": bucket, "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": KEY_ID, "S3_SECRET_ACCESS_KEY": SECRET, **extra}


def new_bucket(endpoint: str) -> str:
    """Create an empty bucket with a fresh name and return the name."""
    name = f"uploads-{secrets.token_hex(6)}"
    boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=KEY_ID,
                 aws_secret_access_key=SECRET).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def s3_storage(endpoint: str, bucket: str | None = None, **extra) -> S3Storage:
    """A store on a fresh (or the given) bucket of the server."""
    return S3Storage.from_config(s3_settings(endpoint, bucket or new_bucket(endpoint), **extra))
