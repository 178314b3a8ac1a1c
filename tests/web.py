"""Test-client helpers: read a page's CSRF token, post a form with it, log in through the login form."""

from __future__ import annotations

import re

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/") -> str:
    """Fetch a page and return the CSRF token it renders."""
    response = client.get(path)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def without_tokens(html: str) -> str:
    """A page without its CSRF tokens, which are signed with the time and so differ from second to second."""
    return CSRF_RE.sub("csrf_token", html)


def post_form(client, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs):
    """POST a form with a valid CSRF token taken from the page (or from token_from)."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, token_from or path)
    return client.post(path, data=payload, **kwargs)


def login(client, email: str, password: str = "correct horse battery"):
    """Log a user in through the login form."""
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
