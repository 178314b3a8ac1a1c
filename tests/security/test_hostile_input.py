"""A hostile-input corpus in every text field of every form each role can reach: no 500, output escaped."""

from __future__ import annotations

import pytest
from flask import url_for

from app.proposals.completeness import SECTIONS
from tests.security.form_discovery import Form, forms_of
from tests.security.policy_support import post_only, url_in_world
from tests.security.route_policy import POLICY
from tests.security.world import ROLES

SCRIPT = '<script>alert("xss-7")</script>'
ATTRIBUTE = '"><img src=x onerror=alert("xss-8")>'
CORPUS = {
    "script tag": f"Netzwerk {SCRIPT}",
    "attribute breaker": f"Wert{ATTRIBUTE}'",
    "sql meta": "x'; DROP TABLE users; -- \" OR '1'='1' /* % _ \\",
    "100,000 characters": "A" * 100_000,
    "right-to-left": "Rechnung\u202egnp.exe \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "zero-width": "Net\u200bz\u200cwerk\u200d\ufeff",
    "nul": "vor\x00nach",
    "emoji": "Netzwerk 🚀👩‍💻🇩🇪",
}
RAW_MARKERS = ('alert("xss-7")</script>', '<img src=x onerror=alert("xss-8")>')
# Forms that would end the session or change the world for the forms after them are posted last.
LAST_WORDS = ("withdraw", "delete", "remove", "reject", "reopen", "lift", "deactivate", "revoke", "conflicts")
SKIPPED_ACTIONS = ("/logout", "/language")


def _pages(app, world, role: str) -> list[str]:
    urls = [f"/proposals/{world.draft}/edit/{section}" for section in SECTIONS] if role == "owner" else []
    for endpoint in sorted(POLICY):
        if endpoint == "static" or post_only(app, endpoint):
            continue
        if POLICY[endpoint].split()[ROLES.index(role)] == "ok":
            urls.append(url_in_world(app, endpoint, world))
    return urls


def _reachable_forms(app, world, client, role: str) -> list[tuple[str, Form]]:
    """(page, form) for every form with a text field, one per action URL."""
    found: dict[tuple[str, str], tuple[str, Form]] = {}
    for page in _pages(app, world, role):
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for form in forms_of(page, response.get_data(as_text=True)):
            if form.text_fields and not form.action.startswith(SKIPPED_ACTIONS):
                found.setdefault((form.method, form.action), (page, form))
    return sorted(found.values(), key=lambda item: any(w in item[1].action for w in LAST_WORDS))


def _assert_escaped(body: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in body, f"unescaped hostile input in {where}"


@pytest.mark.parametrize("role", ROLES)
def test_hostile_input_in_every_form(app, world, clients, role):
    client = clients[role]
    forms = _reachable_forms(app, world, client, role)
    assert forms, f"no forms found for {role}"
    errors = []
    for _page, form in forms:
        # Every corpus item in all text fields at once, then the script tag in each field alone (the
        # other fields plausible), so that forms which validate also store and show the hostile value.
        attempts = [(label, form.payload(value)) for label, value in CORPUS.items()]
        attempts += [(f"script tag in {name}", form.payload_in(name, CORPUS["script tag"]))
                     for name in form.text_fields]
        for label, data in attempts:
            if form.method == "post":
                response = client.post(form.action, data=data,
                                       content_type="multipart/form-data" if form.multipart else None)
            else:
                response = client.get(form.action, query_string=data)
            if response.status_code >= 500:
                errors.append(f"{form.method.upper()} {form.action} ({label}): {response.status_code}")
                continue
            _assert_escaped(response.get_data(as_text=True), f"{form.action} ({label})")
            if response.status_code in (301, 302, 303) and response.location:
                followed = client.get(response.location)
                assert followed.status_code < 500, f"{response.location} after {form.action} ({label})"
                _assert_escaped(followed.get_data(as_text=True), f"{response.location} after {form.action}")
    assert errors == []


def test_stored_hostile_input_renders_escaped_everywhere(app, world, clients):
    """After the form sweep: every page of every role shows the stored values escaped."""
    shown_escaped = 0
    for role in ROLES:
        for page in _pages(app, world, role):
            response = clients[role].get(page)
            assert response.status_code < 500, f"{page} as {role}"
            if "text/html" not in response.content_type:
                continue
            body = response.get_data(as_text=True)
            _assert_escaped(body, f"{page} as {role}")
            shown_escaped += body.count("&lt;script&gt;alert(")
    assert shown_escaped > 0, "the hostile values were never stored and shown: the sweep tested nothing"


def test_form_discovery_sees_the_login_form(app):
    with app.test_request_context():
        login = url_for("accounts.login")
    body = app.test_client().get(login).get_data(as_text=True)
    (form,) = [f for f in forms_of(login, body) if f.action == login]
    assert form.method == "post" and "email" in form.text_fields and form.has_password


def test_nul_characters_never_reach_the_database(app, world, clients):
    """PostgreSQL refuses NUL in text: requests drop it from fields and queries, paths with it are 404."""
    anonymous = clients["anonymous"]
    assert anonymous.get("/networks", query_string={"q": "Netz\x00werk"}).status_code == 200
    assert anonymous.get(f"/networks/{world.network_slug}%00").status_code == 404
    owner = clients["owner"]
    page = f"/proposals/{world.draft}/edit/basics"
    form = next(f for f in forms_of(page, owner.get(page).get_data(as_text=True)) if f.action == page)
    response = owner.post(page, data=form.payload_in("network_name", "Netz\x00werk West"))
    assert response.status_code == 302
    assert "Netzwerk West" in owner.get(f"/proposals/{world.draft}").get_data(as_text=True)
