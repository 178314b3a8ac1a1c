"""Creating, revoking and recognising personal API tokens; every use is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import insert, select, update

from app.api.models import TOKEN_SCOPES, ApiToken
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db

TOKEN_PREFIX = "iwb_"  # noqa: S105 - marks our tokens in secret scanners; not a secret
MAX_VALID_DAYS = 365
MAX_TOKENS_PER_USER = 20


def token_digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token is stored (the secret itself never is)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user, *, name: str, scope: str, valid_days: int) -> tuple[ApiToken, str]:
    """Issue a token for the user; returns the row and the secret, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Please name the token."), "name")
    if scope not in TOKEN_SCOPES:
        raise DomainError(_l("Please choose a scope."), "scope")
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise DomainError(_l("A token is valid for 1 to %(max)s days.", max=MAX_VALID_DAYS), "valid_days")
    active = [t for t in tokens_of(user) if t.is_usable()]
    if len(active) >= MAX_TOKENS_PER_USER:
        raise DomainError(_l("You have too many active tokens. Please revoke one first."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name[:80], token_hash=token_digest(secret), prefix=secret[:12],
                     scope=scope, created_at=now, expires_at=now + timedelta(days=valid_days))
    db.session.add(token)
    record_event("api.token_created", token, after=token.audit_view(), actor=user)
    return token, secret


def revoke_token(token: ApiToken, actor) -> None:
    """Revoke a token at once; requests with it are refused from now on."""
    if token.revoked_at is not None:
        return
    before = token.audit_view()
    token.revoked_at = utcnow()
    record_event("api.token_revoked", token, before=before, after=token.audit_view(), actor=actor)


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def own_token(user, token_id: int) -> ApiToken | None:
    """One of the user's own tokens (None for another user's)."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller checks revocation and expiry)."""
    if not secret or len(secret) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))


def audit_token_use(token: ApiToken, *, method: str, path: str, outcome: str, ip: str | None) -> None:
    """Record a use of the token in its own transaction, so refused and failed requests stay audited too."""
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(insert(AuditEvent.__table__), {
            "created_at": now, "actor_id": token.user_id, "action": "api.token_used", "object_type": "api_tokens",
            "object_id": token.id, "before": None,
            "after": {"method": method, "path": path[:300], "outcome": outcome, "prefix": token.prefix},
            "ip": ip})
        if outcome == "accepted":
            connection.execute(update(ApiToken.__table__).where(ApiToken.__table__.c.id == token.id)
                               .values(last_used_at=now))
