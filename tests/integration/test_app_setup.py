"""Configuration, security headers, error pages, health and CLI commands."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.config import ProductionConfig, TestConfig, normalise_database_url


def test_production_refuses_to_start_without_secret_and_database(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app(ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="DATABASE_URL") as info:
        create_app(ProductionConfig)
    assert "SECRET_KEY" not in str(info.value)


def test_development_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    from app.config import development_secret_key

    first = development_secret_key(str(tmp_path))
    assert len(first) == 64
    assert development_secret_key(str(tmp_path)) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("url,expected", [
    ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    ("postgres://u:p@db/x", "postgresql+psycopg://u:p@db/x"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_url_uses_psycopg3(url, expected):
    assert normalise_database_url(url) == expected


def test_security_headers_on_every_response(client):
    for path in ["/", "/login", "/does-not-exist"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts(client):
    body = client.get("/").get_data(as_text=True)
    assert "<script>" not in body
    assert body.count("<script src=") == 2


def test_404_page_in_site_layout(client):
    response = client.get("/nowhere")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in body
    assert 'id="main"' in body and "Zum Hauptinhalt springen" in body


def test_error_pages_500_and_413(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/e.sqlite",
                     MAX_CONTENT_LENGTH=10, PROPAGATE_EXCEPTIONS=False, TESTING=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.route("/upload", methods=["POST"])
    def upload():
        from flask import request

        return str(len(request.get_data()))

    from app.extensions import csrf

    csrf.exempt(upload)
    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Interner Fehler" in response.get_data(as_text=True)
    response = client.post("/upload", data="x" * 100)
    assert response.status_code == 413
    assert "Datei zu groß" in response.get_data(as_text=True)


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_create_admin_command(runner, db, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "admin-passwort-123")
    result = runner.invoke(args=["create-admin", "Chef@Stadt.example", "--name", "Chefin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@stadt.example"))
    assert user.is_admin and user.is_confirmed and user.check_password("admin-passwort-123")


def test_create_admin_command_refuses_weak_password(runner, db, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "kurz")
    result = runner.invoke(args=["create-admin", "chef@stadt.example"])
    assert result.exit_code != 0
    assert db.session.query(User).count() == 0


def test_demo_data_loads_once(runner, db):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "admin@stadt-leipzig.example" in result.output
    admins = db.session.scalars(select(User).where(User.is_admin)).all()
    assert len(admins) == 1
    assert db.session.query(User).count() >= 8
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert "not loaded" in result.output


def test_a_request_that_only_read_ends_with_commit_and_a_not_found_one_with_rollback(app, client, db):
    """Every successful request commits, also one that only read (psycopg keeps its prepared statements)."""
    from sqlalchemy import event

    ends = []
    listen = [(db.engine, "commit", lambda conn: ends.append("commit")),
              (db.engine, "rollback", lambda conn: ends.append("rollback"))]
    for target, name, fn in listen:
        event.listen(target, name, fn)
    try:
        assert client.get("/health").status_code == 200
        assert client.get("/calls/999999").status_code == 404
    finally:
        for target, name, fn in listen:
            event.remove(target, name, fn)
    assert ends == ["commit", "rollback"]
