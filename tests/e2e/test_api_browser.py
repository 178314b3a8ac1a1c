"""In a real browser: create an API token on the profile page, copy it once, revoke it; the reference page and
the contract's entry in the list of operations, each checked with axe."""

from __future__ import annotations

import pytest

from tests.builders.contracts import worked_example_contract
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e


def test_admin_creates_uses_and_revokes_a_token(page, db, live_server, log_in, check_a11y):
    admin = AdminFactory()
    contract, _milestone = worked_example_contract(admin)
    log_in(page, admin.email)
    page.goto("/profile")
    page.get_by_label("Name des Tokens").fill("Monitoring")
    page.get_by_label("Gültig für (Tage)").fill("30")
    page.get_by_role("button", name="Token erstellen").click()
    secret = page.get_by_label("Token „Monitoring“").input_value()
    assert secret.startswith("iwb_")
    check_a11y(page, "token created")

    answer = page.request.get(f"{live_server}/api/v1/contracts", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["items"][0]["number"] == contract.number

    page.get_by_role("link", name="Zurück zum Profil").click()
    assert secret not in page.content()
    check_a11y(page, "profile with a token")
    page.get_by_role("button", name="Widerrufen Monitoring").click()
    assert page.get_by_text("Das Token „Monitoring“ wurde widerrufen.").is_visible()
    refused = page.request.get(f"{live_server}/api/v1/contracts", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401

    page.get_by_role("link", name="API-Referenz").click()
    assert page.get_by_role("heading", name="API-Referenz").is_visible()
    check_a11y(page, "API reference")
    page.goto(f"/admin/contracts/{contract.id}/publication")
    page.get_by_label("Postleitzahl des Standorts").fill("04229")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_text("Der Eintrag in der Vorhabenliste wurde gespeichert.").is_visible()
    check_a11y(page, "contract after saving its list-of-operations entry")
