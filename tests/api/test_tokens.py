"""Personal API tokens: created on the profile page and shown once, stored hashed, revoked, expiring, audited."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from app.api.models import ApiToken
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db
from tests.builders.api import bearer, issue_token
from tests.builders.contracts import worked_example_contract
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form

SECRET_RE = re.compile(r'id="api-token-secret"[^>]*value="([^"]+)"')


def _uses(token_id: int) -> list[dict]:
    return [e.after for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api.token_used", AuditEvent.object_id == token_id)
        .order_by(AuditEvent.id))]


def test_profile_creates_a_token_shown_once_and_stores_only_its_digest(client):
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, "/profile/api-tokens",
                         {"token-name": "Monitoring", "token-scope": "read", "token-valid_days": "30"},
                         token_from="/profile")
    assert response.status_code == 200
    secret = SECRET_RE.search(response.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == admin.id))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.name, token.prefix, token.token_hash)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Monitoring" in profile and token.prefix in profile and secret not in profile
    assert client.get("/api/v1/competitions", headers=bearer(secret)).status_code == 200
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.token_created"))
    assert created.actor_id == admin.id and secret not in str(created.after)


def test_profile_refuses_a_lifetime_beyond_a_year_and_creates_nothing(client):
    user = UserFactory()
    login(client, user.email)
    response = post_form(client, "/profile/api-tokens",
                         {"token-name": "Zu lang", "token-scope": "read", "token-valid_days": "400"},
                         token_from="/profile")
    assert response.status_code == 400
    assert "365" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_is_refused_at_once_and_every_use_is_audited(client):
    admin = AdminFactory()
    secret = issue_token(admin)
    token = db.session.scalar(select(ApiToken))
    assert client.get("/api/v1/competitions", headers=bearer(secret)).status_code == 200
    login(client, admin.email)
    post_form(client, f"/profile/api-tokens/{token.id}/revoke", {}, token_from="/profile")
    response = client.get("/api/v1/competitions", headers=bearer(secret, "en"))
    assert response.status_code == 401
    assert response.json["detail"] == "The token has been revoked."
    assert [u["outcome"] for u in _uses(token.id)] == ["accepted", "revoked"]
    assert _uses(token.id)[0]["path"] == "/api/v1/competitions"


def test_expired_token_is_refused(client):
    admin = AdminFactory()
    secret = issue_token(admin)
    token = db.session.scalar(select(ApiToken))
    token.created_at = utcnow() - timedelta(days=40)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/competitions", headers=bearer(secret, "en"))
    assert response.status_code == 401
    assert response.json["detail"] == "The token has expired."
    assert [u["outcome"] for u in _uses(token.id)] == ["expired"]


def test_a_user_cannot_revoke_another_users_token(client):
    owner = AdminFactory()
    issue_token(owner)
    token = db.session.scalar(select(ApiToken))
    other = UserFactory()
    login(client, other.email)
    response = post_form(client, f"/profile/api-tokens/{token.id}/revoke", {}, token_from="/profile")
    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_the_browser_session_never_authorises_the_api(client):
    admin = AdminFactory()
    login(client, admin.email)
    assert client.get("/api/v1/competitions").status_code == 401


def test_read_only_token_cannot_write(client):
    admin = AdminFactory()
    operator = UserFactory()
    contract, milestone = worked_example_contract(admin, applicant=operator)
    secret = issue_token(operator, scope="read")
    response = client.post(f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}/reports",
                           json={"achieved": "12", "evidence_text": "Liste"}, headers=bearer(secret, "en"))
    assert response.status_code == 403
    assert response.json["detail"] == "This token may only read."
    assert milestone.reports == []
