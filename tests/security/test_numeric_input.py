"""A numeric-extremes corpus in every numeric field of every form each role can reach: no 5xx, a German
message, nothing stored."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.security.form_discovery import Form, forms_of
from tests.security.policy_support import post_only, url_in_world
from tests.security.route_policy import POLICY
from tests.security.world import ROLES
from tests.web import csrf_token

REFUSED = {
    "1e308": "1e308", "-1e308": "-1e308", "1e25": "1e25", "1E-400": "1E-400", "NaN": "NaN", "sNaN": "sNaN",
    "Infinity": "Infinity", "-Infinity": "-Infinity", "20 digits": "99999999999999999999",
    "20 digits negative": "-99999999999999999999", "thousands of digits": "9" * 4000,
    "thousands of decimals": "0," + "0" * 3000 + "1", "exponent with comma": "1,5e10",
}
TOLERATED = {"negative zero": "-0"}  # a valid number (zero): only never a 5xx
ENGLISH = ("Please enter", "Not a valid", "Number must be", "The value must")
SKIPPED_ACTIONS = ("/logout", "/language", "/profile/logout-everywhere")


def _pages(app, world, role: str) -> list[str]:
    urls = []
    for endpoint in sorted(POLICY):
        if endpoint == "static" or post_only(app, endpoint):
            continue
        if POLICY[endpoint].split()[ROLES.index(role)] == "ok":
            urls.append(url_in_world(app, endpoint, world))
    if role == "owner":
        urls += [f"/proposals/{world.draft}/edit/{section}" for section in ("finances", "kpis")]
    if role == "admin":
        urls.append(f"/admin/contracts/{world.contract}/shares")
    return urls


def _report_form(world, client) -> Form:
    """The operator's report form, which the page hides while the milestone takes no report."""
    return Form(method="post", action=f"/my/contracts/{world.contract}/milestones/{world.milestone}/report",
                multipart=True, text_fields=["evidence_text"], defaults={"evidence_text": "Teilnehmerlisten"},
                fixed={"csrf_token": [csrf_token(client)]}, numeric_fields=["achieved"])


def _numeric_forms(app, world, client, role: str) -> list[Form]:
    """Every form with a numeric field, one per action URL."""
    found: dict[tuple[str, str], Form] = {}
    for page in _pages(app, world, role):
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for form in forms_of(page, response.get_data(as_text=True)):
            if form.numeric_fields and not form.action.startswith(SKIPPED_ACTIONS):
                found.setdefault((form.method, form.action), form)
    if role == "owner":
        report = _report_form(world, client)
        found.setdefault((report.method, report.action), report)
    return list(found.values())


def database_digest() -> str:
    """A digest of every row of every table (to show that a refused post stored nothing)."""
    digest = hashlib.sha256()
    db.session.rollback()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    db.session.rollback()
    return digest.hexdigest()


def _send(client, form: Form, data):
    if form.method == "post":
        return client.post(form.action, data=data, content_type="multipart/form-data" if form.multipart else None)
    return client.get(form.action, query_string=data)


@pytest.mark.parametrize("role", ROLES)
def test_numeric_extremes_in_every_numeric_field(app, world, clients, role):
    client = clients[role]
    forms = _numeric_forms(app, world, client, role)
    if role in ("owner", "admin"):  # proposal finances and KPIs, report; competition, criteria, contracts
        assert len(forms) >= {"owner": 3, "admin": 9}[role], f"numeric forms missing for {role}"
    errors = []
    for form in forms:
        for name in form.numeric_fields:
            for label, value in REFUSED.items():
                before = database_digest()
                response = _send(client, form, form.payload_number(name, value))
                where = f"{form.method.upper()} {form.action} {name}={label}"
                if response.status_code >= 500:
                    errors.append(f"{where}: {response.status_code}")
                    continue
                if form.method == "post" and database_digest() != before:
                    errors.append(f"{where}: stored")
                body = response.get_data(as_text=True)
                if response.status_code in (301, 302, 303) and response.location:
                    body = client.get(response.location).get_data(as_text=True)
                if "text/html" in response.content_type and any(text in body for text in ENGLISH):
                    errors.append(f"{where}: message not in German")
            for label, value in TOLERATED.items():
                response = _send(client, form, form.payload_number(name, value))
                if response.status_code >= 500:
                    errors.append(f"{form.action} {name}={label}: {response.status_code}")
    assert errors == []
