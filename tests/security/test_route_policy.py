"""Every endpoint × every role: the outcome the route policy table states (route_policy.py)."""

from __future__ import annotations

import pytest

from tests.security.policy_support import fingerprint, outcome, post_only, url_in_world
from tests.security.route_policy import POLICY, expected
from tests.security.world import ROLES
from tests.web import csrf_token


def _cells() -> list[tuple[str, str]]:
    """The cells to check: meaningful roles only, and no allowed state change (the areas test those)."""
    from app import create_app
    from app.config import TestConfig

    probe = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    cells = []
    for endpoint in sorted(POLICY):
        for index, role in enumerate(ROLES):
            want = expected(endpoint, index)
            if want == "n/a" or (want == "ok" and post_only(probe, endpoint)):
                continue
            cells.append((endpoint, role))
    return cells


CELLS = _cells()


@pytest.fixture(scope="module")
def tokens(clients):
    """One CSRF token per role's session (valid for all its forms)."""
    return {role: csrf_token(client) for role, client in clients.items()}


def test_every_endpoint_has_a_policy_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(POLICY)) == [], "add these endpoints to tests/security/route_policy.py"
    assert sorted(set(POLICY) - endpoints) == [], "these policy entries name endpoints that no longer exist"


def test_every_entry_names_six_known_classes():
    for endpoint, cells in POLICY.items():
        classes = cells.split()
        assert len(classes) == len(ROLES), endpoint
        assert set(classes) <= {"ok", "login", "401", "403", "404", "405", "503", "refused", "n/a"}, endpoint


@pytest.mark.parametrize(("endpoint", "role"), CELLS, ids=[f"{e}-{r}" for e, r in CELLS])
def test_route_policy_cell(app, world, clients, tokens, endpoint, role):
    want = expected(endpoint, ROLES.index(role))
    url = url_in_world(app, endpoint, world)
    client = clients[role]
    if not post_only(app, endpoint):
        response = client.get(url)
        assert outcome(response) == want, f"GET {url} as {role}: {response.status_code} {response.location or ''}"
        return
    before = fingerprint()
    response = client.post(url, data={"csrf_token": tokens[role]})
    got = outcome(response)
    assert got == ("ok" if want == "refused" else want), f"POST {url} as {role}: {got} {response.location or ''}"
    assert fingerprint() == before, f"POST {url} as {role} changed the database"


def test_post_only_endpoints_refuse_get(app, world, clients):
    answers = {endpoint: clients["anonymous"].get(url_in_world(app, endpoint, world)).status_code
               for endpoint in sorted(POLICY) if post_only(app, endpoint)}
    assert len(answers) > 40
    assert {endpoint: code for endpoint, code in answers.items() if code != 405} == {}
