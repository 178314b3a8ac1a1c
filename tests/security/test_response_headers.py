"""Small findings: no-store for logged-in users, one charset on CSV, a focusable audit table, a favicon."""

from __future__ import annotations

import pytest

from tests.security.policy_support import post_only, url_in_world
from tests.security.route_policy import POLICY
from tests.security.world import ROLES

LOGGED_IN_ROLES = [role for role in ROLES if role != "anonymous"]
SKIPPED = {"static", "core.favicon"}
# The public API reads no session: its answers are the same open data for everyone (and cacheable).
PUBLIC_API = {"api-docs.openapi_json", "api_public.list_calls", "api_public.get_call", "api_public.list_networks",
              "api_public.list_results", "api_public.list_operations"}


def _reachable(app, world, role: str) -> list[str]:
    return [url_in_world(app, endpoint, world) for endpoint in sorted(POLICY)
            if endpoint not in SKIPPED | PUBLIC_API and not post_only(app, endpoint)
            and POLICY[endpoint].split()[ROLES.index(role)] == "ok"]


@pytest.mark.parametrize("role", LOGGED_IN_ROLES)
def test_every_page_and_download_of_a_logged_in_user_is_not_stored(app, world, clients, role):
    missing = []
    for url in _reachable(app, world, role):
        response = clients[role].get(url)
        directives = response.cache_control
        if not (directives.no_store or directives.private):
            missing.append(f"{url}: {response.headers.get('Cache-Control')}")
    assert missing == []


def test_public_assets_stay_cacheable(app, clients):
    response = clients["admin"].get("/static/css/app.css")
    assert not response.cache_control.no_store


def test_csv_downloads_name_their_charset_once(app, world, clients):
    csv_urls = [(role, url) for role in ROLES for url in _reachable(app, world, role) if ".csv" in url]
    assert len({url for _role, url in csv_urls}) >= 4  # ranking, proposals, contracts, open data
    for role, url in csv_urls:
        response = clients[role].get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url


def test_the_audit_trail_scrolls_in_a_focusable_named_region(clients):
    body = clients["admin"].get("/admin/audit").get_data(as_text=True)
    assert '<div class="table-responsive" tabindex="0" role="region" aria-label="Prüfpfad"' in body


def test_favicon_is_served(clients):
    response = clients["anonymous"].get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header
