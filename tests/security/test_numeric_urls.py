"""Numbers in paths and query strings that no INTEGER column holds: a 404 or the default, never a 5xx."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from tests.builders.directory import external_network
from tests.security.policy_support import post_only
from tests.security.route_args import url_args
from tests.security.route_policy import NOT_READY, POLICY
from tests.web import without_tokens

HUGE = ("99999999999999999999", "2147483648", "9" * 4000)
QUERIES = ("page", "competition", "position", "sort", "method")


def _int_endpoints(app) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if rule.endpoint in POLICY and not post_only(app, rule.endpoint)
                   and any(type(c).__name__.endswith("IntegerConverter") for c in rule._converters.values())})


@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_id_in_the_path_is_not_found(app, world, clients, huge):
    endpoints = _int_endpoints(app)
    assert len(endpoints) > 20
    errors = []
    for endpoint in endpoints:
        with app.test_request_context():
            args = url_args(endpoint, world)
            url = url_for(endpoint, **args)
            first_int = next(str(v) for v in args.values() if isinstance(v, int))
        url = url.replace(f"/{first_int}", f"/{huge}", 1)
        status = clients["admin"].get(url).status_code
        if status != 404:
            errors.append(f"{url[:120]}: {status}")
    assert errors == []


def test_huge_numbers_in_query_strings_fall_back_to_the_default(app, world, clients):
    errors = []
    for role in ("anonymous", "owner", "admin"):
        for endpoint in sorted(POLICY):
            if endpoint == "static" or post_only(app, endpoint) or POLICY[endpoint] == NOT_READY:
                continue
            with app.test_request_context():
                url = url_for(endpoint, **url_args(endpoint, world))
            for name in QUERIES:
                for huge in HUGE[:1]:
                    status = clients[role].get(url, query_string={name: huge}).status_code
                    if status >= 500:
                        errors.append(f"{role} {url}?{name}=…: {status}")
    assert errors == []


def _main(response) -> str:
    """The page's main region (the header's language switch repeats the URL asked for)."""
    return re.search(r"<main.*</main>", without_tokens(response.get_data(as_text=True)), re.S).group(0)


def test_a_page_number_beyond_integer_shows_the_first_page(client, db):
    external_network(name="Biotech-Netzwerk Leipzig")
    huge = client.get("/networks?page=2147483648")
    assert huge.status_code == 200
    assert "Biotech-Netzwerk Leipzig" in _main(huge)
    assert _main(huge) == _main(client.get("/networks?page=1"))
