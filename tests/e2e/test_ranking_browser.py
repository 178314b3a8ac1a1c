"""In a real browser: an admin opens the ranking, switches the method, tries weights and saves them."""

from __future__ import annotations

import pytest

from tests.builders.ranking import hand_computed

pytestmark = pytest.mark.e2e


def _first_title(page, table: str) -> str:
    """The proposal named in the first data row of a table."""
    return page.locator(f"{table} tbody tr:not(.funding-line)").first.locator("td").nth(1).inner_text()


def test_admin_ranks_switches_method_tries_weights_and_confirms(page, db, check_a11y, screenshot):
    hc = hand_computed()
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(hc.admin.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"/admin/competitions/{hc.competition.id}/ranking")
    assert page.get_by_role("heading", name="Rangliste", exact=False).first.is_visible()
    assert _first_title(page, "#ranking-table") == "Autozulieferer West"
    assert page.locator("tr.funding-line").is_visible()
    assert page.get_by_text("Unter dem Schwellenwert: Wirkung").is_visible()
    check_a11y(page, "ranking")
    screenshot(page, "ranking")

    page.get_by_label("Aggregationsverfahren", exact=True).select_option("median")
    page.get_by_role("button", name="Rangliste anzeigen").click()
    assert "method=median" in page.url
    assert page.locator("p", has_text="Verfahren:").locator("strong").inner_text() == "Median"
    check_a11y(page, "ranking by median")

    page.get_by_role("link", name="Gesamtwert").click()  # sort by total, highest first
    assert page.locator("th[aria-sort='descending']").is_visible()
    page.get_by_role("link", name="Energie Lindenau").click()
    assert page.get_by_role("heading", name="Punkte nach jedem Verfahren").is_visible()
    check_a11y(page, "proposal detail")

    page.goto(f"/admin/competitions/{hc.competition.id}/statistics")
    assert page.get_by_role("heading", name="Übereinstimmung der Jurymitglieder (Krippendorffs Alpha)").is_visible()
    check_a11y(page, "statistics")

    page.goto(f"/admin/competitions/{hc.competition.id}/ranking")
    page.get_by_role("link", name="Gewichtung durchspielen").click()
    page.get_by_label("Qualität").fill("1")
    page.get_by_label("Wirkung").fill("3")
    page.get_by_role("button", name="Rangliste in der Vorschau zeigen").click()
    # With Impact weighted 3, Energie Lindenau (B = 5) overtakes Autozulieferer West.
    assert page.locator("#what-if-table tbody tr").first.locator("td").nth(1).inner_text().startswith(
        "Energie Lindenau")
    assert page.get_by_text("1 Platz höher").is_visible()
    check_a11y(page, "what-if weights")
    screenshot(page, "ranking-what-if")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Diese Gewichtungen speichern").click()
    assert page.get_by_text("Die neuen Gewichtungen wurden gespeichert").is_visible()
    assert _first_title(page, "#ranking-table") == "Energie Lindenau"
    check_a11y(page, "ranking after saving the weights")
