"""In a real browser: register, confirm, log in, switch language, reset the password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.core.models import OutboxMessage
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e


def _latest_link(db, kind: str) -> str:
    db.session.expire_all()
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(rf"https?://[^/\s]+(/{kind}/\S+)", body).group(1)


def test_register_confirm_login_switch_language_and_reset(page, db, check_a11y, screenshot):
    page.goto("/")
    check_a11y(page, "home")
    page.get_by_role("link", name="Registrieren").first.click()
    check_a11y(page, "register")
    page.get_by_label("Name", exact=True).fill("Petra Netzwerk")
    page.get_by_label("Organisation").fill("Netzwerk Leipziger Westen e.V.")
    page.get_by_label("E-Mail-Adresse").fill("petra@netzwerk-west.example")
    page.get_by_label("Passwort (mindestens 10 Zeichen)").fill("kurz")
    page.get_by_label("Passwort wiederholen").fill("kurz")
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Registrieren").click()
    # Server-side refusal keeps what was typed and says why, in German.
    assert page.locator("#password-error").get_by_text("mindestens 10 Zeichen lang").is_visible()
    assert page.get_by_label("Name", exact=True).input_value() == "Petra Netzwerk"
    check_a11y(page, "register with errors")
    page.get_by_label("Passwort (mindestens 10 Zeichen)").fill("ein-sicheres-passwort")
    page.get_by_label("Passwort wiederholen").fill("ein-sicheres-passwort")
    page.get_by_role("button", name="Registrieren").click()
    assert page.get_by_text("Fast geschafft").is_visible()

    page.goto(_latest_link(db, "confirm"))
    assert page.get_by_text("Ihre E-Mail-Adresse ist bestätigt").is_visible()
    check_a11y(page, "login")
    page.get_by_label("E-Mail-Adresse").fill("petra@netzwerk-west.example")
    page.get_by_label("Passwort", exact=True).fill("ein-sicheres-passwort")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("link", name="Petra Netzwerk").is_visible()
    screenshot(page, "home-logged-in")

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out", exact=True).is_visible()
    check_a11y(page, "home in English")
    page.get_by_role("link", name="Petra Netzwerk").click()
    check_a11y(page, "profile")
    assert page.get_by_label("Language").input_value() == "en"
    page.get_by_role("button", name="Log out", exact=True).click()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_role("link", name="Forgot your password?").click()
    check_a11y(page, "request reset")
    page.get_by_label("Email address").fill("petra@netzwerk-west.example")
    page.get_by_role("button", name="Send link").click()
    assert page.get_by_text("If an account exists for this address").is_visible()
    page.goto(_latest_link(db, "reset"))
    check_a11y(page, "reset password")
    page.get_by_label("New password (at least 10 characters)").fill("noch-ein-neues-passwort")
    page.get_by_label("Repeat new password").fill("noch-ein-neues-passwort")
    page.get_by_role("button", name="Save password").click()
    assert page.get_by_text("Your password has been changed").is_visible()
    page.get_by_label("Email address").fill("petra@netzwerk-west.example")
    page.get_by_label("Password", exact=True).fill("noch-ein-neues-passwort")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("link", name="Petra Netzwerk").is_visible()


def test_admin_invites_juror_and_sees_audit_trail_and_outbox(page, db, check_a11y, screenshot):
    admin = AdminFactory(email="chefin@stadt.example", name="Katrin Vogel")
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(admin.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("button", name="Verwaltung").click()
    page.get_by_role("link", name="Benutzerkonten").click()
    check_a11y(page, "admin users")
    page.get_by_role("link", name="Person einladen").click()
    check_a11y(page, "invite")
    page.get_by_label("Name").fill("Prof. Jens Hartmann")
    page.get_by_label("Organisation").fill("Universität Leipzig")
    page.get_by_label("E-Mail-Adresse").fill("hartmann@uni.example")
    page.get_by_role("button", name="Einladung senden").click()
    assert page.get_by_text("Die Einladung an hartmann@uni.example wurde verschickt.").is_visible()
    screenshot(page, "admin-users")

    page.get_by_role("button", name="Verwaltung").click()
    page.get_by_role("link", name="Postausgang").click()
    check_a11y(page, "outbox")
    assert page.get_by_role("link", name="Einladung zum Ideenwettbewerb").is_visible()
    page.get_by_role("button", name="Verwaltung").click()
    page.get_by_role("link", name="Prüfpfad").click()
    check_a11y(page, "audit trail")
    assert page.locator("main table").get_by_text("Person eingeladen").first.is_visible()  # a label, not a code
    assert not page.get_by_text("user.invited").is_visible()
    screenshot(page, "audit-trail")


def test_admin_lets_an_invited_juror_in_without_a_mail_server(page, db, check_a11y, log_in, browser, live_server):
    """The invitation link is shown once, copied with the keyboard, and lets the juror set a password."""
    AdminFactory(email="vogel@stadt-leipzig.example")
    log_in(page, "vogel@stadt-leipzig.example")
    page.goto("/admin/users/invite")
    page.get_by_label("Name").fill("Jana Jurorin")
    page.get_by_label("E-Mail-Adresse").fill("jana@ihk.example")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url(re.compile(r"/admin/users/\d+$"))
    assert page.get_by_text("Es ist kein Mailserver eingerichtet").is_visible()
    check_a11y(page, "user page")
    page.get_by_role("button", name="Link zum Kopieren anzeigen").click()
    link_field = page.get_by_label("Einladungslink")
    link = link_field.input_value()
    assert "/invitation/" in link
    check_a11y(page, "user page with link")
    copy = page.get_by_role("button", name="Link kopieren")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#account-link-status")).to_have_text("Kopiert")  # announced to screen readers

    juror = browser.new_context(base_url=live_server, locale="de-DE").new_page()
    juror.goto(link)
    juror.get_by_label("Neues Passwort (mindestens 10 Zeichen)").fill("jana-jury-passwort")
    juror.get_by_label("Neues Passwort wiederholen").fill("jana-jury-passwort")
    juror.locator("main form [type=submit]").click()
    assert juror.get_by_text("Ihr Passwort ist gesetzt").is_visible()
    juror.context.close()
