"""`next=` only ever leads to a path of this site: no scheme, no host, however it is spelled."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web import post_form

pytestmark = pytest.mark.usefixtures("fresh")

OFF_SITE = [
    "http:evil.example", "https:evil.example", "http:/evil.example", "https:/x", "http://evil.example",
    "//x", "///x", "/\\x", "\\\\x", "\\/x", "/\t/x", "/\n/x", " //x", "javascript:alert(1)",
    "HTTP:evil.example", "%2F%2Fx", "/%2F/x", "/%5Cx", "%68ttp:evil.example", "x", "evil.example/",
    "data:text/html,hi", "/\x00/x", "\u3002/x", "／／x",
]
ON_SITE = ["/profile", "/my/proposals?tab=open#top", "/competitions/1"]


def _login_redirect(client, next_url: str) -> str:
    user = UserFactory()
    response = post_form(client, "/login", {"email": user.email, "password": DEFAULT_PASSWORD, "next": next_url})
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_login_refuses_off_site_next(client, next_url):
    assert _login_redirect(client, next_url) == "/"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_language_switch_refuses_off_site_next(client, next_url):
    response = post_form(client, "/language", {"locale": "en", "next": next_url}, token_from="/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("next_url", ON_SITE)
def test_paths_of_this_site_are_kept(client, next_url):
    assert _login_redirect(client, next_url) == next_url
