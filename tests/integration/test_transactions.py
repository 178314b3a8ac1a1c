"""One transaction per request: success commits, refusals, errors and 4xx answers leave nothing behind."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import func, select

from app.accounts import services
from app.accounts.models import User
from app.core import outbox
from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db as _db
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form

PROFILE = {"profile-name": "Neuer Name", "profile-organisation": "Neue Org", "profile-locale": "de",
           "profile-submit": "1"}
# The real services, called by the failing stand-ins below.
CHANGE_PASSWORD, SET_ADMIN, REGISTER_USER = services.change_password, services.set_admin, services.register_user
REGISTRATION = {"email": "neu@firma.example", "name": "Nora Neu", "organisation": "Firma",
                "password": "ein-langes-passwort", "password_confirm": "ein-langes-passwort", "privacy_consent": "y"}


@pytest.fixture
def production_errors(app, monkeypatch):
    """Unhandled errors answer with the 500 page, as in production (tests otherwise re-raise them)."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.fixture
def sent_mails(app, monkeypatch):
    """Recipients of the mails handed to the (fake) SMTP server."""
    sent: list[str] = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.invalid")
    monkeypatch.setattr(outbox, "_send_smtp", lambda message: sent.append(message.recipient))
    return sent


def _name_of(db, user_id: int) -> str:
    db.session.expire_all()
    return db.session.get(User, user_id).name


def _count(db, column, *where) -> int:
    return db.session.scalar(select(func.count(column)).where(*where))


def _write_then(original, failure):
    """A service that does its work and flushes, then fails."""

    def service(*args, **kwargs):
        result = original(*args, **kwargs)
        _db.session.flush()
        failure()
        return result

    return service


def _raise(exc):
    def fail():
        raise exc

    return fail


def test_a_successful_post_commits_without_the_view_committing(client, db):
    user = UserFactory()
    login(client, user.email)
    response = post_form(client, "/profile", PROFILE, token_from="/profile")
    assert response.status_code == 302
    assert _name_of(db, user.id) == "Neuer Name"
    assert _count(db, AuditEvent.id, AuditEvent.action == "user.profile_updated") == 1


def test_an_exception_after_a_flush_leaves_nothing_and_shows_the_error_page(client, db, monkeypatch,
                                                                          production_errors):
    user = UserFactory(name="Alter Name")
    login(client, user.email)
    monkeypatch.setattr(services, "update_profile",
                        _write_then(services.update_profile, _raise(RuntimeError("after the flush"))))
    response = post_form(client, "/profile", PROFILE, token_from="/profile")
    assert response.status_code == 500
    assert "Bei uns ist ein Fehler aufgetreten" in response.get_data(as_text=True)
    assert _name_of(db, user.id) == "Alter Name"
    assert _count(db, AuditEvent.id, AuditEvent.action == "user.profile_updated") == 0


def test_a_failing_commit_gives_the_error_page_not_the_success_page(client, db, monkeypatch, production_errors):
    user = UserFactory(name="Alter Name")
    login(client, user.email)
    token_page = client.get("/profile")
    assert token_page.status_code == 200

    def failing_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = post_form(client, "/profile", PROFILE, token_from="/profile")
    monkeypatch.undo()
    assert response.status_code == 500
    assert "Bei uns ist ein Fehler aufgetreten" in response.get_data(as_text=True)
    assert "Ihr Profil wurde gespeichert" not in client.get("/profile").get_data(as_text=True)
    assert _name_of(db, user.id) == "Alter Name"


def test_a_refusal_on_a_field_leaves_nothing_and_says_why_in_german(client, db, monkeypatch):
    user = UserFactory(name="Alter Name")
    login(client, user.email)

    def rename_then_check(account, current_password, new_password):
        account.name = "Halb geändert"  # a change made before the service refuses
        _db.session.flush()
        CHANGE_PASSWORD(account, current_password, new_password)

    monkeypatch.setattr(services, "change_password", rename_then_check)
    response = post_form(client, "/profile", {"password-current_password": "falsch-falsch",
                                              "password-password": "ein-neues-passwort",
                                              "password-password_confirm": "ein-neues-passwort",
                                              "password-submit": "1"}, token_from="/profile")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Das aktuelle Passwort ist nicht korrekt." in body
    assert 'id="password-current_password"' in body and "is-invalid" in body
    assert _name_of(db, user.id) == "Alter Name"


def test_a_refusal_without_a_field_is_flashed_in_german_and_leaves_nothing(client, db, monkeypatch):
    admin = AdminFactory(name="Alte Admin")
    login(client, admin.email)

    def rename_then_revoke(user, is_admin, actor):
        actor.name = "Halb geändert"
        _db.session.flush()
        SET_ADMIN(user, is_admin, actor)

    monkeypatch.setattr(services, "set_admin", rename_then_revoke)
    response = post_form(client, f"/admin/users/{admin.id}/revoke-admin", token_from="/admin/users",
                         follow_redirects=True)
    assert "Sie können sich Ihre eigenen Administrationsrechte nicht entziehen." in response.get_data(as_text=True)
    assert _name_of(db, admin.id) == "Alte Admin"
    assert db.session.get(User, admin.id).is_admin


def test_a_client_error_after_a_write_leaves_nothing(client, db, monkeypatch):
    user = UserFactory(name="Alter Name")
    login(client, user.email)
    monkeypatch.setattr(services, "update_profile", _write_then(services.update_profile, lambda: abort(409)))
    response = post_form(client, "/profile", PROFILE, token_from="/profile")
    assert response.status_code == 409
    assert _name_of(db, user.id) == "Alter Name"
    assert _count(db, AuditEvent.id, AuditEvent.action == "user.profile_updated") == 0


def test_mail_of_a_committed_request_is_delivered(client, db, sent_mails):
    UserFactory(email="reset@firma.example")
    response = post_form(client, "/reset", {"email": "reset@firma.example"})
    assert response.status_code == 302
    assert sent_mails == ["reset@firma.example"]
    assert db.session.scalar(select(OutboxMessage.status)) == OutboxMessage.STATUS_SENT


def test_mail_queued_in_a_failed_request_is_never_delivered(client, db, monkeypatch, sent_mails, production_errors):
    UserFactory(email="reset@firma.example")
    monkeypatch.setattr(services, "request_password_reset",
                        _write_then(services.request_password_reset, _raise(RuntimeError("after queueing"))))
    response = post_form(client, "/reset", {"email": "reset@firma.example"})
    assert response.status_code == 500
    assert sent_mails == []
    assert _count(db, OutboxMessage.id) == 0


def test_mail_queued_in_a_refused_request_is_never_delivered(client, db, monkeypatch, sent_mails):
    def register_then_refuse(**details):
        REGISTER_USER(**details)  # queues the confirmation mail
        raise DomainError("Diese Adresse ist gesperrt.", "email")

    monkeypatch.setattr(services, "register_user", register_then_refuse)
    response = post_form(client, "/register", REGISTRATION)
    assert response.status_code == 200
    assert "Diese Adresse ist gesperrt." in response.get_data(as_text=True)
    assert sent_mails == []
    assert _count(db, OutboxMessage.id) == 0
    assert _count(db, User.id, User.email == "neu@firma.example") == 0
