"""Admin user management: access, invitations, admin flag, deactivation, search."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form

ADMIN_PAGES = ["/admin/users", "/admin/users/invite", "/admin/audit", "/admin/outbox"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_applicant_gets_403(client, path):
    login(client, UserFactory().email)
    response = client.get(path)
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_sees_page(client, path):
    login(client, AdminFactory().email)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("action", ["grant-admin", "revoke-admin", "deactivate", "reactivate"])
def test_applicant_cannot_post_admin_actions(client, db, action):
    victim = UserFactory()
    login(client, UserFactory().email)
    response = post_form(client, f"/admin/users/{victim.id}/{action}", token_from="/")
    assert response.status_code == 403


def test_admin_action_on_missing_user_is_404(client):
    login(client, AdminFactory().email)
    assert post_form(client, "/admin/users/99999/deactivate", token_from="/").status_code == 404


def test_invite_creates_user_and_mail_in_their_language_then_they_set_a_password(client, db):
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, "/admin/users/invite", {"name": "Jury Person", "organisation": "IHK",
                                                         "email": "Juror@IHK.example", "locale": "en"})
    assert response.status_code == 302
    invited = db.session.scalar(select(User).where(User.email == "juror@ihk.example"))
    assert invited.password_hash is None
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.locale == "en" and mail.subject == "Invitation to the ideas competition"
    link = re.search(r"http://localhost(/invitation/\S+)", mail.body).group(1)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.invited")).actor_id == admin.id

    other = client.application.test_client()
    response = post_form(other, link, {"password": "mein-jury-passwort", "password_confirm": "mein-jury-passwort"})
    assert response.status_code == 302, response.get_data(as_text=True)
    login(other, "juror@ihk.example", "mein-jury-passwort")


def test_invite_of_existing_email_is_refused(client, db):
    UserFactory(email="taken@firma.example")
    login(client, AdminFactory().email)
    response = post_form(client, "/admin/users/invite", {"name": "X", "email": "TAKEN@firma.example", "locale": "de"})
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in response.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == 0


def test_grant_and_revoke_admin_are_audited(client, db):
    admin = AdminFactory()
    user = UserFactory()
    login(client, admin.email)
    post_form(client, f"/admin/users/{user.id}/grant-admin", token_from="/admin/users")
    db.session.refresh(user)
    assert user.is_admin
    post_form(client, f"/admin/users/{user.id}/revoke-admin", token_from="/admin/users")
    db.session.refresh(user)
    assert not user.is_admin
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == user.id)
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["user.admin_granted", "user.admin_revoked"]
    assert events[0].before["is_admin"] is False and events[0].after["is_admin"] is True


def test_deactivate_keeps_records_and_blocks_login(client, db):
    admin = AdminFactory()
    user = UserFactory()
    login(client, admin.email)
    post_form(client, f"/admin/users/{user.id}/deactivate", token_from="/admin/users")
    db.session.refresh(user)
    assert user.active is False
    assert db.session.get(User, user.id) is not None
    other = client.application.test_client()
    response = post_form(other, "/login", {"email": user.email, "password": "correct horse battery"})
    assert "nicht korrekt" in response.get_data(as_text=True)


def test_admin_cannot_deactivate_or_demote_themselves(client, db):
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, f"/admin/users/{admin.id}/deactivate", token_from="/admin/users",
                         follow_redirects=True)
    assert "Sie können Ihr eigenes Konto nicht deaktivieren." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active and admin.is_admin


def test_user_search(client):
    login(client, AdminFactory().email)
    UserFactory(name="Anna Zulieferer", organisation="Achsen AG")
    UserFactory(name="Bernd Energie", organisation="Solar GmbH")
    body = client.get("/admin/users?q=achsen").get_data(as_text=True)
    assert "Anna Zulieferer" in body and "Bernd Energie" not in body
