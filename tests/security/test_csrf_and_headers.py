"""CSRF on every POST, security headers on every response, rate limits on the guessable forms."""

from __future__ import annotations

import pytest

from app.extensions import limiter
from tests.security.policy_support import fingerprint, outcome, post_only, url_in_world
from tests.security.route_policy import NOT_READY, POLICY
from tests.security.world import ROLES
from tests.web import csrf_token


def _post_endpoints(app) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


def _allowed_role(endpoint: str) -> str:
    """The first role the policy allows, so that only the missing token can refuse the request."""
    cells = POLICY[endpoint].split()
    return next((role for role, cell in zip(ROLES, cells, strict=True) if cell == "ok"), "admin")


def test_csrf_protection_is_on(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


def test_every_post_without_token_is_refused_and_changes_nothing(app, world, clients):
    endpoints = _post_endpoints(app)
    assert len(endpoints) > 60
    wrong = {}
    for endpoint in endpoints:
        role = _allowed_role(endpoint)
        url = url_in_world(app, endpoint, world)
        before = fingerprint()
        response = clients[role].post(url, data={"confirm": "y", "reason": "Test"})
        # The API has no CSRF token to check: it reads only a bearer token, which another site's form
        # cannot send, and ignores the session cookie, so the post is refused as unauthenticated.
        refused = 401 if url.startswith("/api/") else 400
        if response.status_code != refused or fingerprint() != before:
            wrong[endpoint] = (role, response.status_code)
    assert wrong == {}
    # The refused logout did not log anyone out.
    assert outcome(clients["admin"].get("/admin/users")) == "ok"


def test_a_token_of_another_session_is_refused(app, world, clients):
    foreign_token = csrf_token(clients["applicant"])
    before = fingerprint()
    response = clients["owner"].post(f"/proposals/{world.draft}/submit", data={"csrf_token": foreign_token})
    assert response.status_code == 400
    assert fingerprint() == before


def _check_headers(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "script-src" in directives or "default-src" in directives, where
    scripts = directives.get("script-src", directives.get("default-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("object-src") == ["'none'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where


@pytest.mark.parametrize("role", ["anonymous", "owner", "juror", "admin"])
def test_security_headers_on_every_get_response(app, world, clients, role):
    """Pages, downloads, redirects, 403, 404 and 405 answers all carry the headers."""
    for endpoint in sorted(POLICY):
        url = url_in_world(app, endpoint, world)
        response = clients[role].get(url)
        _check_headers(response, f"GET {url} as {role} ({response.status_code})")
        assert response.status_code < 500 or POLICY[endpoint] == NOT_READY, url
    _check_headers(clients[role].get("/no-such-page"), "404 page")


def _post_repeatedly(client, url: str, data: dict, times: int, token_from: str) -> list[int]:
    token = csrf_token(client, token_from)
    return [client.post(url, data={**data, "csrf_token": token}).status_code for _ in range(times)]


def _post_for_many_accounts(client, url: str, data: dict, times: int) -> list[int]:
    """POST with a different email each time, so only the per-address limit can answer 429."""
    token = csrf_token(client, url)
    return [client.post(url, data={**data, "email": f"niemand{n}@example.org", "csrf_token": token}).status_code
            for n in range(times)]


def _login_limit(app) -> int:
    return int(app.config["LOGIN_RATE_LIMIT"].split()[0])


def test_login_is_rate_limited(app, world):
    limiter.reset()
    client = app.test_client()
    limit = _login_limit(app)
    codes = _post_for_many_accounts(client, "/login", {"password": "falsch-falsch"}, limit + 1)
    assert 429 not in codes[:limit] and codes[-1] == 429
    assert client.get("/login").status_code == 200  # the limit counts POSTs only: the page still opens


def test_password_reset_request_is_rate_limited(app, world):
    limiter.reset()
    client = app.test_client()
    limit = _login_limit(app)
    codes = _post_for_many_accounts(client, "/reset", {}, limit + 1)
    assert 429 not in codes[:limit] and codes[-1] == 429


def test_login_and_reset_are_rate_limited_per_account(app, world):
    limiter.reset()
    client = app.test_client()
    limit = int(app.config["LOGIN_ACCOUNT_RATE_LIMIT"].split()[0])
    for url in ("/login", "/reset"):
        codes = _post_repeatedly(client, url, {"email": "niemand@example.org", "password": "falsch-falsch"},
                                 limit + 1, url)
        assert 429 not in codes[:limit] and codes[-1] == 429, url


@pytest.mark.parametrize("path", ["/reset/not-a-valid-token", "/invitation/not-a-valid-token"])
def test_password_setting_links_are_rate_limited(app, world, path):
    limiter.reset()
    client = app.test_client()
    limit = _login_limit(app)
    codes = _post_repeatedly(client, path, {"password": "x" * 12, "confirm": "x" * 12}, limit + 1, "/reset")
    assert 429 not in codes[:limit] and codes[-1] == 429


def test_directory_contact_form_is_rate_limited(app, world):
    limiter.reset()
    client = app.test_client()
    page = f"/networks/{world.network_slug}"
    limit = int(app.config.get("DIRECTORY_CONTACT_RATE_LIMIT", "5 per hour").split()[0])
    message = {"name": "Erika Muster", "email": "erika@example.org", "message": "Wir möchten Kontakt aufnehmen.",
               "consent": "y"}
    codes = _post_repeatedly(client, f"{page}/contact", message, limit + 1, page)
    assert 429 not in codes[:limit] and codes[-1] == 429
    assert all(code in (302, 400) for code in codes[:limit])


def test_post_only_routes_are_listed(app):
    """Sanity check of the helper used above."""
    assert post_only(app, "accounts.logout") and not post_only(app, "accounts.login")
