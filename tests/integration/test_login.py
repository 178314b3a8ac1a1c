"""Login, logout, rate limiting, safe redirects and deactivated accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.config import TestConfig
from app.core.models import OutboxMessage
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web import csrf_token, login, post_form

GENERIC_ERROR = "E-Mail-Adresse oder Passwort ist nicht korrekt"


def test_login_and_logout(client):
    user = UserFactory()
    login(client, user.email)
    assert user.name in client.get("/").get_data(as_text=True)
    response = post_form(client, "/logout", token_from="/")
    assert response.status_code == 302
    assert user.name not in client.get("/").get_data(as_text=True)


def test_login_is_case_insensitive_on_email(client):
    user = UserFactory(email="case@firma.example")
    login(client, "CASE@Firma.Example")
    assert user.name in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email,password", [
    ("nobody@firma.example", DEFAULT_PASSWORD),   # unknown email
    ("known@firma.example", "wrong password!"),   # wrong password
])
def test_failed_login_gives_the_same_generic_error(client, email, password):
    UserFactory(email="known@firma.example")
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 200
    assert GENERIC_ERROR in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client):
    UserFactory(email="gone@firma.example", active=False)
    response = post_form(client, "/login", {"email": "gone@firma.example", "password": DEFAULT_PASSWORD})
    assert GENERIC_ERROR in response.get_data(as_text=True)
    assert "Abmelden" not in response.get_data(as_text=True)


def test_deactivated_user_loses_running_session(client, db):
    user = UserFactory()
    login(client, user.email)
    user.active = False
    db.session.commit()
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unconfirmed_user_gets_a_new_link_instead_of_a_session(client, db):
    UserFactory(email="new@firma.example", email_confirmed_at=None)
    response = post_form(client, "/login", {"email": "new@firma.example", "password": DEFAULT_PASSWORD})
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.template)) == "confirm_email"
    assert client.get("/profile").status_code == 302


def test_login_is_rate_limited_per_address(app, client):
    """Many different accounts tried from one address still hit the (generous) address limit."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        token = csrf_token(client, "/login")
        statuses = [
            client.post("/login", data={"email": f"spray{i}@firma.example", "password": "guess",
                                        "csrf_token": token}).status_code
            for i in range(4)
        ]
        refused = client.post("/login", data={"email": "x@y.example", "password": "z", "csrf_token": token})
    finally:
        app.config["LOGIN_RATE_LIMIT"] = TestConfig.LOGIN_RATE_LIMIT
    assert statuses == [200, 200, 200, 429]
    assert "Zu viele Versuche in kurzer Zeit" in refused.get_data(as_text=True)


@pytest.mark.parametrize("next_url,expected", [
    ("/profile", "/profile"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
    ("/\\evil.example", "/"),
])
def test_next_redirect_stays_on_site(client, next_url, expected):
    user = UserFactory()
    response = post_form(client, "/login", {"email": user.email, "password": DEFAULT_PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_by_get_is_not_possible(client):
    user = UserFactory()
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    assert user.name in client.get("/").get_data(as_text=True)


def test_session_cookie_flags(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
