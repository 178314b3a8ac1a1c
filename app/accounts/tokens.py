"""Signed, time-limited links for email confirmation, password reset and invitations."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PURPOSE_CONFIRM = "confirm-email"
PURPOSE_RESET = "reset-password"
PURPOSE_INVITE = "invite"

_MAX_AGE_SETTING = {
    PURPOSE_CONFIRM: "CONFIRM_TOKEN_MAX_AGE",
    PURPOSE_RESET: "RESET_TOKEN_MAX_AGE",
    PURPOSE_INVITE: "INVITE_TOKEN_MAX_AGE",
}


class TokenInvalid(Exception):
    """The link was tampered with, expired or already used."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _password_fingerprint(password_hash: str | None) -> str:
    """A short digest of the current hash: changing the password voids older links."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def make_token(purpose: str, user) -> str:
    """Sign a token for one purpose that stays valid until the password changes."""
    payload = {"uid": user.id, "email": user.email, "pw": _password_fingerprint(user.password_hash)}
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, load_user) -> object:
    """Return the user a valid token names; raise TokenInvalid otherwise."""
    max_age = current_app.config[_MAX_AGE_SETTING[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid(expired=True) from exc
    except BadSignature as exc:
        raise TokenInvalid() from exc
    user = load_user(payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise TokenInvalid()
    if payload.get("pw") != _password_fingerprint(user.password_hash):
        raise TokenInvalid()  # already used: the password changed since
    return user
