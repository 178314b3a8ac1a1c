"""Who is asking: the API reads a bearer token only (never the session cookie) and acts as its owner."""

from __future__ import annotations

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.api import tokens
from app.api.problems import API_PREFIX, IS_API_REQUEST, READABLE_REFERENCE
from app.core.i18n import HEADER_LOCALE_ONLY
from app.core.i18n import lazy_gettext as _l
from app.extensions import login_manager

CURRENT_TOKEN = "api_token"  # noqa: S105 - the name of a g attribute, not a secret


def refuse(status: int, detail) -> None:
    """Abort with a problem whose detail says why."""
    try:
        abort(status)
    except Exception as exc:  # attach the reason to Werkzeug's exception; problems.py shows it
        exc.api_detail = detail  # type: ignore[attr-defined]
        raise


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not secret.strip():
        refuse(401, _l("Use the Authorization header as: Bearer <token>."))
    return secret.strip()


def identify_api_client() -> None:
    """Before every /api/ request: take the user from the token, or act as a visitor; audit every token use."""
    if not request.path.startswith(API_PREFIX) or request.endpoint == READABLE_REFERENCE:
        return  # the reference page is a page of the site, for the person logged in
    g.setdefault(IS_API_REQUEST, True)
    g.setdefault(HEADER_LOCALE_ONLY, True)
    # Set the request's user before anything reads the session: a browser's cookie never authorises the API.
    login_manager._update_request_context_with_user(None)
    secret = _bearer_secret()
    if secret is None:
        return
    token = tokens.find_token(secret)
    if token is None:
        refuse(401, _l("The token is unknown."))
    user = token.user
    if token.revoked_at is not None:
        outcome, reason = "revoked", _l("The token has been revoked.")
    elif not token.is_usable():
        outcome, reason = "expired", _l("The token has expired.")
    elif not user.active:
        outcome, reason = "inactive_owner", _l("The token's owner is deactivated.")
    else:
        outcome, reason = "accepted", None
    tokens.audit_token_use(token, method=request.method, path=request.full_path.rstrip("?"), outcome=outcome,
                           ip=request.remote_addr)
    if reason is not None:
        refuse(401, reason)
    g.setdefault(CURRENT_TOKEN, token)
    login_manager._update_request_context_with_user(user)


def current_token():
    """The token of this request, or None for a visitor."""
    return g.get(CURRENT_TOKEN)


def require_user():
    """The token's owner; 401 without a token."""
    if current_token() is None or not current_user.is_authenticated:
        refuse(401, _l("This resource needs an API token."))
    return current_user._get_current_object()


def require_admin():
    """The owner when they are an administrator; 403 otherwise (404 would hide nothing here)."""
    user = require_user()
    if not user.is_admin:
        refuse(403, _l("Only administrators may read this."))
    return user


def require_write():
    """The owner of a read-write token; 403 for read-only tokens."""
    user = require_user()
    if not current_token().can_write:
        refuse(403, _l("This token may only read."))
    return user


def rate_limit_key() -> str:
    """Limits count per token (by its digest: the limiter runs before the token is looked up); visitors per address."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return f"api-token:{tokens.token_digest(secret.strip())}"
    return f"api-ip:{get_remote_address()}"


def rate_limit() -> str:
    """The API's limit per token (or per visitor's address)."""
    return current_app.config.get("API_RATE_LIMIT", "300 per minute")
