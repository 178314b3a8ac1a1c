"""Login rate limits count per client address and per account separately (issue 14, point 11)."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web import csrf_token

OFFICE = {"REMOTE_ADDR": "192.0.2.10"}  # one NAT address for the whole jury room


def _client(app, headers: dict | None = None):
    client = app.test_client()
    client.environ_base.update(OFFICE)
    if headers:
        client.environ_base.update(headers)
    return client


def _post_login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def test_twelve_jurors_behind_one_address_all_log_in(app):
    jurors = [UserFactory() for _ in range(12)]
    statuses = [_post_login(_client(app), juror.email, DEFAULT_PASSWORD).status_code for juror in jurors]
    assert statuses == [302] * 12


def test_guessing_one_accounts_password_is_limited_while_another_account_logs_in(app):
    UserFactory(email="target@firma.example")
    colleague = UserFactory()
    attacker = _client(app)
    statuses = [_post_login(attacker, "target@firma.example", f"guess-{i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = _post_login(attacker, " TARGET@firma.example", DEFAULT_PASSWORD)  # other spelling, same account
    assert refused.status_code == 429
    assert "Zu viele fehlgeschlagene Versuche für dieses Konto" in refused.get_data(as_text=True)
    assert _post_login(_client(app), colleague.email, DEFAULT_PASSWORD).status_code == 302


def test_account_limit_holds_across_addresses(app):
    UserFactory(email="target@firma.example")
    for number in range(5):
        client = _client(app, {"REMOTE_ADDR": f"198.51.100.{number + 1}"})
        assert _post_login(client, "target@firma.example", "wrong guess!").status_code == 200
    other_address = _client(app, {"REMOTE_ADDR": "203.0.113.99"})
    assert _post_login(other_address, "target@firma.example", "wrong guess!").status_code == 429


def test_account_limit_message_in_english(app):
    UserFactory(email="target@firma.example")
    client = _client(app, {"HTTP_ACCEPT_LANGUAGE": "en"})
    for i in range(5):
        _post_login(client, "target@firma.example", f"guess-{i}")
    response = _post_login(client, "target@firma.example", "guess-5")
    assert response.status_code == 429
    assert "Too many failed attempts for this account" in response.get_data(as_text=True)

