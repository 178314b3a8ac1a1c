"""The legal pages: footer links, versioned texts edited by admins, consents with their version, the feedback form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent, OutboxMessage
from app.legal.models import Consent, LegalText
from app.legal.services import publish_text
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form

REGISTRATION = {"name": "Erika Mustermann", "organisation": "Muster GmbH", "email": "erika@muster.example",
                "password": "lange-sichere-phrase", "password_confirm": "lange-sichere-phrase",
                "privacy_consent": "y"}


def publish(kind="privacy", body="# Datenschutz\n\nText", material=False, author=None, **extra):
    text = publish_text(kind, body_de=body, body_en=extra.pop("body_en", "# Privacy\n\nText"), material=material,
                        change_note=extra.pop("change_note", ""), author=author, **extra)
    from app.extensions import db
    db.session.commit()
    return text


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/legal-notice", "/privacy", "/accessibility"])
def test_every_page_links_the_three_legal_pages_in_the_footer(client, path):
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index("<footer"):]
    assert 'href="/legal-notice"' in footer and "Impressum" in footer
    assert 'href="/privacy"' in footer and "Datenschutzerklärung" in footer
    assert 'href="/accessibility"' in footer and "Erklärung zur Barrierefreiheit" in footer


def test_footer_links_are_english_for_english_readers(app):
    client = app.test_client()
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Legal notice" in html and "Privacy notice" in html and "Accessibility statement" in html


def test_legal_page_shows_the_current_version_sanitised_in_the_reader_language(client, app):
    publish("imprint", body="## Angaben\n\nStadt Leipzig <script>alert(1)</script>", body_en="## Details\n\nCity")
    publish("imprint", body="## Angaben\n\nStadt Leipzig, Version zwei", body_en="")
    html = client.get("/legal-notice").get_data(as_text=True)
    assert "Version zwei" in html and "Version 2" in html and "<script>alert" not in html
    english = app.test_client().get("/legal-notice", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Version zwei" in english  # no English text in version 2: the German one is shown


def test_unpublished_page_says_so(client):
    assert "noch nicht veröffentlicht" in client.get("/privacy").get_data(as_text=True)


def test_admin_publishes_a_new_version_and_earlier_ones_stay(client, db):
    admin = AdminFactory()
    publish("privacy", body="Erste Fassung", author=admin)
    login(client, admin.email)
    form = client.get("/admin/legal/privacy/edit").get_data(as_text=True)
    assert "Erste Fassung" in form
    response = post_form(client, "/admin/legal/privacy/edit", {
        "body_de": "Zweite Fassung", "body_en": "Second version", "change_note": "Neuer Empfänger",
        "material": "y"})
    assert response.status_code == 302
    versions = db.session.scalars(select(LegalText).order_by(LegalText.version)).all()
    assert [(t.version, t.body_de, t.material) for t in versions] == [(1, "Erste Fassung", True),
                                                                     (2, "Zweite Fassung", True)]
    assert versions[1].created_by_id == admin.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "legal_text.published",
                                                      AuditEvent.object_id == versions[1].id)) is not None
    assert "Erste Fassung" in client.get("/admin/legal/privacy/1").get_data(as_text=True)
    listing = client.get("/admin/legal").get_data(as_text=True)
    assert "Neuer Empfänger" in listing


def test_admin_edit_refuses_an_empty_german_text_and_changes_nothing(client, db):
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, "/admin/legal/imprint/edit", {"body_de": "  ", "body_en": "x"})
    assert response.status_code == 200
    assert "Bitte korrigieren" in response.get_data(as_text=True)
    assert db.session.scalar(select(LegalText)) is None


@pytest.mark.parametrize("path", ["/admin/legal", "/admin/legal/privacy/edit"])
def test_legal_admin_pages_are_for_admins_only(client, path):
    assert client.get(path).status_code == 302  # anonymous: to the login
    login(client, UserFactory().email)
    assert client.get(path).status_code == 403


def test_registration_records_consent_with_the_notice_version(client, db):
    publish("privacy", body="Fassung eins")
    publish("privacy", body="Fassung zwei")
    assert post_form(client, "/register", REGISTRATION).status_code == 302
    consent = db.session.scalars(select(Consent)).one()
    assert (consent.version, consent.occasion) == (2, "registration")


def _login_with_target(client, email, target):
    response = post_form(client, "/login", {"email": email, "password": "correct horse battery", "next": target})
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def test_material_change_asks_for_confirmation_at_next_login(client, db):
    user = UserFactory()
    publish("privacy", body="Fassung eins")
    db.session.add(Consent(user_id=user.id, version=1))
    db.session.commit()
    publish("privacy", body="Fassung zwei mit neuem Empfänger", material=True, change_note="Neuer Empfänger")
    response = _login_with_target(client, user.email, "/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/privacy/confirm?next=/profile")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Fassung zwei mit neuem Empfänger" in page and "Neuer Empfänger" in page
    assert client.get("/privacy").status_code == 200  # the legal pages stay reachable
    refused = post_form(client, "/privacy/confirm", {"next": "/profile"})
    assert refused.status_code == 200 and "Bitte stimmen Sie" in refused.get_data(as_text=True)
    assert client.get("/profile").status_code == 302
    confirmed = post_form(client, "/privacy/confirm", {"agree": "y", "next": "/profile"})
    assert confirmed.headers["Location"] == "/profile"
    assert client.get("/profile").status_code == 200
    versions = db.session.scalars(select(Consent.version).where(Consent.user_id == user.id)
                                  .order_by(Consent.id)).all()
    assert versions == [1, 2]


def test_a_login_from_the_remember_cookie_also_asks_for_confirmation(client, db):
    user = UserFactory()
    publish("privacy", body="Fassung eins")
    db.session.add(Consent(user_id=user.id, version=1))
    db.session.commit()
    post_form(client, "/login", {"email": user.email, "password": "correct horse battery", "remember": "y"})
    assert client.get("/profile").status_code == 200
    publish("privacy", body="Fassung zwei", material=True)
    client.delete_cookie("session")  # the browser was closed; the remember cookie logs the user in again
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/privacy/confirm")


def test_minor_change_does_not_interrupt_the_login(client, db):
    user = UserFactory()
    publish("privacy", body="Fassung eins")
    db.session.add(Consent(user_id=user.id, version=1))
    db.session.commit()
    publish("privacy", body="Fassung eins, Tippfehler behoben", material=False)
    response = _login_with_target(client, user.email, "/profile")
    assert response.status_code == 200


def test_accessibility_feedback_goes_to_the_office_through_the_outbox(client, db):
    admin = AdminFactory(locale="en")
    response = post_form(client, "/accessibility/feedback", {
        "message": "Das Formular lässt sich nicht mit der Tastatur bedienen.", "page": "/register",
        "email": "leser@example.org"}, token_from="/accessibility")
    assert response.status_code == 302
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == admin.email and mail.locale == "en"
    assert "nicht mit der Tastatur" in mail.body and "leser@example.org" in mail.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accessibility.feedback_sent"))
    assert "Tastatur" not in str(event.after)


def test_accessibility_feedback_without_message_is_refused(client, db):
    AdminFactory()
    response = post_form(client, "/accessibility/feedback", {"message": " ", "email": "kaputt"},
                         token_from="/accessibility")
    assert response.status_code == 400
    assert db.session.scalar(select(OutboxMessage)) is None


def test_accessibility_feedback_is_rate_limited(client, db):
    AdminFactory()
    statuses = [post_form(client, "/accessibility/feedback", {"message": f"Barriere {n}"},
                          token_from="/accessibility").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]


def test_accessibility_statement_names_the_enforcement_body(client):
    publish("accessibility", body="Erklärung", enforcement_contact="Durchsetzungsstelle Sachsen, Dresden")
    html = client.get("/accessibility").get_data(as_text=True)
    assert "Durchsetzungsstelle Sachsen, Dresden" in html and 'action="/accessibility/feedback"' in html


def test_the_site_sets_only_the_session_and_remember_cookies(client, db):
    """The privacy notice names exactly these cookies; a new one must be added there first."""
    publish("privacy", body="Wir setzen `session` und `remember_token`.")
    user = UserFactory()
    db.session.add(Consent(user_id=user.id, version=1))
    db.session.commit()
    names = set()

    def collect(response):
        names.update(header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie"))
        return response

    for path in ("/", "/privacy", "/register", "/login"):
        collect(client.get(path))
    collect(post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/"))
    collect(post_form(client, "/login", {"email": user.email, "password": "correct horse battery",
                                         "remember": "y"}))
    for path in ("/", "/profile", "/proposals"):
        collect(client.get(path))
    collect(post_form(client, "/logout", {}, token_from="/profile"))
    assert names == {"session", "remember_token"}
    notice = client.get("/privacy").get_data(as_text=True)
    assert all(f"<code>{name}</code>" in notice for name in names)


def test_demo_publishes_example_texts_that_say_so_and_records_every_person_consent(client, db):
    from app.demo.legal import create_demo_legal_texts

    admin, applicant = AdminFactory(), UserFactory()
    create_demo_legal_texts()
    db.session.commit()
    texts = db.session.scalars(select(LegalText).order_by(LegalText.kind)).all()
    assert [t.kind for t in texts] == ["accessibility", "imprint", "privacy"]
    assert all("Beispieltext" in t.body_de and "Example text" in t.body_en for t in texts)
    assert {t.created_by_id for t in texts} == {admin.id}
    consents = db.session.scalars(select(Consent.user_id).where(Consent.version == 1)).all()
    assert sorted(consents) == sorted([admin.id, applicant.id])
    response = _login_with_target(client, applicant.email, "/profile")
    assert response.status_code == 200  # the demo people are not stopped for a confirmation
