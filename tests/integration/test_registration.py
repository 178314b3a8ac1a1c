"""Registration, email confirmation and the bad input around them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from tests.factories import UserFactory
from tests.web import post_form

GOOD = {
    "name": "Erika Mustermann",
    "organisation": "Muster GmbH",
    "email": "Erika@Muster.example",
    "password": "lange-sichere-phrase",
    "password_confirm": "lange-sichere-phrase",
    "privacy_consent": "y",
}


def register(client, **changes):
    data = {**GOOD, **changes}
    return post_form(client, "/register", data)


def confirmation_link(db, email: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, "no mail in the outbox"
    return re.search(r"http://localhost(/confirm/\S+)", message.body).group(1)


def test_register_stores_lowercase_email_sends_confirmation_and_audits(client, db):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "erika@muster.example"
    assert not user.is_confirmed
    assert user.privacy_consent_at is not None
    assert user.password_hash.startswith("scrypt:")
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "erika@muster.example"
    assert mail.status == OutboxMessage.STATUS_LOGGED  # no MAIL_SERVER in tests: logged, not lost
    assert "/confirm/" in mail.body
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "user.registered" in actions


def test_confirmation_link_confirms_once(client, db):
    register(client)
    link = confirmation_link(db, "erika@muster.example")
    response = client.get(link, follow_redirects=True)
    assert "bestätigt" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(User)).is_confirmed


def test_registration_mail_uses_browser_language(client, db):
    post_form(client, "/register", {**GOOD, "email": "en@firm.example"},
              headers={"Accept-Language": "en"})
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.locale == "en"
    assert mail.subject == "Please confirm your email address"


@pytest.mark.parametrize("email", ["erika@muster.example", "ERIKA@MUSTER.EXAMPLE", " Erika@muster.example "])
def test_duplicate_email_is_refused_case_insensitively(client, db, email):
    UserFactory(email="erika@muster.example")
    response = register(client, email=email)
    assert response.status_code == 200
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in response.get_data(as_text=True)
    assert db.session.query(User).count() == 1


def test_weak_password_is_refused_with_message(client, db):
    response = register(client, password="kurz", password_confirm="kurz")
    body = response.get_data(as_text=True)
    assert "mindestens 10 Zeichen" in body
    assert db.session.query(User).count() == 0


def test_password_equal_to_email_is_refused(client, db):
    response = register(client, email="abcdefghij@x.example", password="abcdefghij@x.example",
                        password_confirm="abcdefghij@x.example")
    assert "nicht Ihr Name oder Ihre E-Mail-Adresse" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_mismatched_passwords_and_missing_consent(client, db):
    response = register(client, password_confirm="etwas-anderes-123", privacy_consent="")
    body = response.get_data(as_text=True)
    assert "Die Passwörter stimmen nicht überein." in body
    assert "Bitte stimmen Sie der Datenschutzerklärung zu" in body
    assert db.session.query(User).count() == 0


def test_overlong_name_is_refused(client, db):
    response = register(client, name="x" * 121)
    assert response.status_code == 200
    assert "aria-invalid" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_form_keeps_entered_values_on_error(client, db):
    response = register(client, password_confirm="anders-als-oben")
    body = response.get_data(as_text=True)
    assert 'value="Erika Mustermann"' in body
    assert 'value="Muster GmbH"' in body


def test_tampered_confirmation_link_is_refused(client, db):
    register(client)
    link = confirmation_link(db, "erika@muster.example")
    response = client.get(link[:-3] + "abc", follow_redirects=True)
    assert "ungültig oder wurde bereits verwendet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.scalar(select(User)).is_confirmed


def test_expired_confirmation_link_is_refused(client, db):
    register(client)
    link = confirmation_link(db, "erika@muster.example")
    with time_machine.travel(utcnow() + timedelta(days=4)):
        response = client.get(link, follow_redirects=True)
    assert "abgelaufen" in response.get_data(as_text=True)


def test_missing_csrf_token_is_refused_and_nothing_saved(client, db):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_wrong_csrf_token_is_refused(client, db):
    client.get("/register")
    response = client.post("/register", data={**GOOD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert db.session.query(User).count() == 0
