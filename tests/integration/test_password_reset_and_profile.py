"""Password reset by signed link, profile and password change."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.core.time import utcnow
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web import login, post_form

NEUTRAL = "Falls ein Konto mit dieser Adresse existiert"


def reset_link(db) -> str:
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/reset/\S+)", body).group(1)


def test_reset_request_says_the_same_for_unknown_email_and_sends_nothing(client, db):
    response = post_form(client, "/reset", {"email": "nobody@firma.example"}, follow_redirects=True)
    assert NEUTRAL in response.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == 0


def test_reset_link_sets_new_password_and_works_only_once(client, db):
    user = UserFactory(email="reset@firma.example", locale="en")
    response = post_form(client, "/reset", {"email": "reset@firma.example"}, follow_redirects=True)
    assert NEUTRAL in response.get_data(as_text=True)
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.locale == "en" and mail.subject == "Reset your password"
    link = reset_link(db)
    response = post_form(client, link, {"password": "ein-ganz-neues-pw", "password_confirm": "ein-ganz-neues-pw"})
    assert response.status_code == 302
    login(client, user.email, "ein-ganz-neues-pw")
    second = client.application.test_client()
    response = second.get(link, follow_redirects=True)
    assert "ungültig oder wurde bereits verwendet" in response.get_data(as_text=True)


def test_expired_reset_link_is_refused(client, db):
    UserFactory(email="late@firma.example")
    post_form(client, "/reset", {"email": "late@firma.example"})
    link = reset_link(db)
    with time_machine.travel(utcnow() + timedelta(hours=3)):
        response = client.get(link, follow_redirects=True)
    assert "abgelaufen" in response.get_data(as_text=True)


def test_reset_with_weak_password_keeps_the_old_one(client, db):
    user = UserFactory(email="weak@firma.example")
    post_form(client, "/reset", {"email": "weak@firma.example"})
    link = reset_link(db)
    response = post_form(client, link, {"password": "kurz", "password_confirm": "kurz"})
    assert "mindestens 10 Zeichen" in response.get_data(as_text=True)
    login(client, user.email, DEFAULT_PASSWORD)


def test_profile_update_changes_name_and_language(client, db):
    user = UserFactory()
    login(client, user.email)
    response = post_form(client, "/profile", {"profile-name": "Neuer Name", "profile-organisation": "Neue Org",
                                              "profile-locale": "en", "profile-submit": "1"},
                         follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Your profile has been saved." in body
    assert '<html lang="en">' in body
    db.session.refresh(user)
    assert (user.name, user.organisation, user.locale) == ("Neuer Name", "Neue Org", "en")


def test_password_change_requires_current_password(client, db):
    user = UserFactory()
    login(client, user.email)
    response = post_form(client, "/profile", {"password-current_password": "falsch-falsch",
                                              "password-password": "neues-passwort-1",
                                              "password-password_confirm": "neues-passwort-1",
                                              "password-submit": "1"})
    assert "Das aktuelle Passwort ist nicht korrekt." in response.get_data(as_text=True)
    response = post_form(client, "/profile", {"password-current_password": DEFAULT_PASSWORD,
                                              "password-password": "neues-passwort-1",
                                              "password-password_confirm": "neues-passwort-1",
                                              "password-submit": "1"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("neues-passwort-1")


def test_profile_requires_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
