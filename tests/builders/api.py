"""API tokens for tests and the headers that carry them."""

from __future__ import annotations

from app.api import tokens
from app.extensions import db
from tests.builders.contracts import in_request


def issue_token(user, *, scope: str = "read", valid_days: int = 30) -> str:
    """Create a token for the user (committed) and return its secret."""
    with in_request():
        _token, secret = tokens.create_token(user, name="Test", scope=scope, valid_days=valid_days)
        db.session.commit()
    return secret


def bearer(secret: str, language: str | None = None) -> dict[str, str]:
    """Request headers with the token (and a language, if given)."""
    headers = {"Authorization": f"Bearer {secret}"}
    if language:
        headers["Accept-Language"] = language
    return headers
