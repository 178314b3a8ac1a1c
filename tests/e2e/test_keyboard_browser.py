"""Keyboard only (issue 15): every step is done with Tab, Enter, Space and arrows; no clicks.

Each test asserts where the focus lands after the step and that the message is shown.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders.decisions import decision_case
from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.ranking import hand_computed
from tests.builders.scoring import review_competition
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, UserFactory

SCROLL_LEFT = "document.querySelector('.table-responsive').scrollLeft"

pytestmark = pytest.mark.e2e


def tab_to(page, selector: str, limit: int = 200) -> int:
    """Press Tab until the focused element matches the selector; return how many stops it took."""
    for stops in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} not reached in {limit} Tab stops")


def log_in_by_keyboard(page, email: str, password: str = "correct horse battery") -> None:
    """Log in with the keyboard alone: Tab to the fields, type, Enter."""
    page.goto("/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_a_wrong_password_marks_both_fields_and_focuses_the_error_summary(page, db):
    user = UserFactory(email="petra@netzwerk-west.example")

    log_in_by_keyboard(page, user.email, "ganz falsch")

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("E-Mail-Adresse oder Passwort ist nicht korrekt")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-error")).to_be_visible()
    # The summary's links lead into the fields.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_be_focused()


def test_the_admin_menu_opens_with_space(page, db):
    admin = AdminFactory()
    log_in_by_keyboard(page, admin.email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

    tab_to(page, ".navbar .dropdown-toggle")
    page.keyboard.press("Space")

    menu = page.locator(".navbar .dropdown-menu")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="Cockpit")).to_be_focused()  # the menu's first entry


def test_a_decision_without_selection_and_without_rationale_is_shown_at_its_fields(page, db):
    case = decision_case()
    log_in_by_keyboard(page, case.admin.email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.goto(f"/admin/competitions/{case.competition.id}/decisions")

    # A skip link passes the table: outcome and save button are a few stops away.
    tab_to(page, "#skip-to-outcome")
    page.keyboard.press("Enter")
    expect(page.locator("#outcome")).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Please choose" -> the first outcome
    assert tab_to(page, "fieldset button[type=submit]") <= 5
    page.keyboard.press("Enter")

    # No row ticked: the message is in the focused summary and above the table, linked to the first box.
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte wählen Sie mindestens einen Antrag aus.")
    expect(page.locator("#rows-error")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first_box = page.locator("#rows-0-selected")
    expect(first_box).to_be_focused()
    expect(first_box).to_have_attribute("aria-invalid", "true")

    # Ticked, but without a rationale: the rationale is marked and named in the summary.
    page.keyboard.press("Space")
    expect(first_box).to_be_checked()
    tab_to(page, "fieldset button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Begründung für")
    expect(summary).to_contain_text("Bitte begründen Sie die Entscheidung.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    rationale = page.locator("#rows-0-rationale")
    expect(rationale).to_be_focused()
    expect(rationale).to_have_attribute("aria-invalid", "true")


def test_an_applicant_saves_a_section_with_an_error_then_without(page, db):
    competition = CompetitionFactory(title="Ideenwettbewerb Leipziger Westen")
    CriterionFactory(competition=competition)
    user = UserFactory(email="petra@netzwerk-west.example", organisation="West GmbH")
    log_in_by_keyboard(page, user.email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.goto("/my/proposals")
    tab_to(page, "main button[type=submit]")  # "Start a proposal"
    page.keyboard.press("Enter")

    # The section list is shown first and comes first in Tab order; the sector is a real drop-down.
    expect(page.get_by_role("heading", name="Netzwerk", exact=True)).to_be_visible()
    assert tab_to(page, ".section-nav a") < tab_to(page, "main form input:not([type=hidden])")
    expect(page.locator("#sector")).to_have_class("form-select")

    proposal_id = page.url.split("/proposals/")[1].split("/")[0]
    page.goto(f"/proposals/{proposal_id}/edit/finances")
    tab_to(page, "#requested_funding")
    page.keyboard.type("240.000,0x")
    page.keyboard.press("Enter")

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte geben Sie einen Betrag in Euro ein")
    expect(page.locator("#requested_funding")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#requested_funding")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("240.000,00")
    page.keyboard.press("Enter")

    # Saved: the message is focused, so a screen reader reads it after the reload.
    message = page.locator("#flash-messages")
    expect(message).to_be_focused()
    expect(message).to_contain_text("gespeichert")


def test_a_juror_gets_unsaved_text_back_scores_and_submits_by_keyboard(page, db):
    competition = review_competition(other_reviews_visibility="after_own")
    proposal = pool_proposal(competition, network_name="Netzwerk Automobilzulieferer Leipziger Westen")
    juror = assigned_juror(proposal, email="juror@uni-leipzig.example", name="Prof. Jens Hartmann")
    log_in_by_keyboard(page, juror.email)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.goto("/jury")
    tab_to(page, "main a.btn-primary")  # "Start review"
    page.keyboard.press("Enter")
    expect(page.locator("#review-form")).to_be_visible()

    # The connection drops while the juror types: the text stays in the browser only.
    page.route("**/review/autosave", lambda route: route.abort())
    names = page.evaluate("[...new Set([...document.querySelectorAll('#review-form input[type=radio]')]"
                          ".map(r => r.name))]")
    for name in names:
        tab_to(page, f"#review-form input[name='{name}']")
        page.keyboard.press("Space")
        tab_to(page, f"#justification_{name.removeprefix('score_')}")
        page.keyboard.type("Belegt mit Zahlen aus dem Programmgebiet.")
    expect(page.locator("#autosave-status")).to_contain_text("Nicht gespeichert", timeout=15_000)
    page.unroute("**/review/autosave")
    page.reload()

    # The offer to restore is announced and focused; its button is the next stop.
    banner = page.locator("#autosave-restore")
    expect(banner).to_be_focused()
    expect(banner).to_have_attribute("role", "alert")
    page.keyboard.press("Tab")
    expect(page.locator("#autosave-restore-yes")).to_be_focused()
    page.keyboard.press("Enter")
    expect(banner).to_be_hidden()

    tab_to(page, "#review-form button[name=submit_review], #review-form input[name=submit_review]")
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Bewertung jetzt einreichen")
    expect(confirm).to_be_visible()
    page.wait_for_load_state("load")
    tab_to(page, "main form [type=submit]")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    message = page.locator("#flash-messages")
    expect(message).to_be_focused()
    expect(message).to_contain_text("Ihre Bewertung wurde eingereicht")


def test_sorting_the_ranking_keeps_the_focus_and_the_leading_columns_in_view(browser, live_server, db):
    hc = hand_computed()
    context = browser.new_context(base_url=live_server, locale="de-DE", viewport={"width": 800, "height": 900})
    page = context.new_page()
    log_in_by_keyboard(page, hc.admin.email)
    expect(page.locator("form[action$='/logout']")).to_be_attached()  # in the closed menu at this width
    page.goto(f"/admin/competitions/{hc.competition.id}/ranking")

    tab_to(page, "#ranking-table a[data-focus-key='sort-total']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=total"))
    expect(page.locator("#ranking-table a[data-focus-key='sort-total']")).to_be_focused()

    # The criteria scroll inside the table's box; rank, proposal and total stay where they were.
    total = page.locator("#ranking-table thead th.sticky-3")
    before = total.bounding_box()["x"]
    page.evaluate("document.querySelector('#ranking-table').parentElement.scrollLeft = 10000")
    assert page.evaluate("document.querySelector('#ranking-table').parentElement.scrollLeft") > 0
    assert total.bounding_box()["x"] == pytest.approx(before, abs=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    context.close()


def test_the_criteria_table_of_a_call_scrolls_with_the_arrow_keys_on_a_phone(browser, live_server, db):
    competition = CompetitionFactory(title="Ideenwettbewerb Leipziger Westen")
    for _ in range(3):
        CriterionFactory(competition=competition)
    context = browser.new_context(base_url=live_server, locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"/calls/{competition.id}")

    # The table's box is a Tab stop of its own (named after the table), so the arrows scroll it.
    tab_to(page, ".table-responsive")
    box = page.locator(".table-responsive")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("aria-label", "Bewertungskriterien")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.evaluate(SCROLL_LEFT) > 0
    context.close()
