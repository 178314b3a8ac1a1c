"""Accounts without a mail server: the administrator confirms, re-sends or copies a link (issue 14, point 10)."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from tests.factories import AdminFactory, UserFactory
from tests.web import csrf_token, login, post_form

LINK_FIELD = re.compile(r'id="account-link"[^>]*value="([^"]+)"')


def _register(client, email: str = "neu@zulieferer.example", password: str = "mein-sicheres-passwort"):
    response = post_form(client, "/register", {"name": "Nina Neu", "organisation": "Zulieferer GmbH", "email": email,
                                               "password": password, "password_confirm": password,
                                               "privacy_consent": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return password


def _user(db, email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _copied_link(client, user_id: int) -> str:
    page = post_form(client, f"/admin/users/{user_id}/copy-link", token_from=f"/admin/users/{user_id}")
    assert page.status_code == 200
    return html.unescape(LINK_FIELD.search(page.get_data(as_text=True)).group(1))


def test_admin_confirms_a_registered_applicant_who_then_logs_in(app, client, db):
    applicant = app.test_client()
    password = _register(applicant)
    user = _user(db, "neu@zulieferer.example")
    assert not user.is_confirmed
    admin = AdminFactory()
    login(client, admin.email)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Es ist kein Mailserver eingerichtet" in page
    response = post_form(client, f"/admin/users/{user.id}/confirm", token_from=f"/admin/users/{user.id}",
                         follow_redirects=True)
    assert "ist bestätigt; die Person kann sich jetzt anmelden" in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.email_confirmed_by_admin"))
    assert event.actor_id == admin.id and event.after == {"email_confirmed": True}
    login(applicant, "neu@zulieferer.example", password)


def test_copied_confirmation_link_confirms_the_applicant(app, client, db):
    applicant = app.test_client()
    password = _register(applicant)
    user = _user(db, "neu@zulieferer.example")
    login(client, AdminFactory().email)
    link = _copied_link(client, user.id)
    assert "/confirm/" in link
    applicant.get(link.replace("http://localhost", ""))
    login(applicant, "neu@zulieferer.example", password)


def test_invited_juror_sets_a_password_through_the_copied_link(app, client, db):
    admin = AdminFactory()
    login(client, admin.email)
    response = post_form(client, "/admin/users/invite", {"name": "Jana Jurorin", "organisation": "IHK",
                                                         "email": "jana@ihk.example", "locale": "de"})
    juror = _user(db, "jana@ihk.example")
    assert response.headers["Location"] == f"/admin/users/{juror.id}"  # straight to where the link can be copied
    link = _copied_link(client, juror.id)
    assert "/invitation/" in link
    issued = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.account_link_issued"))
    assert issued.actor_id == admin.id and issued.after == {"link": "invitation"}
    assert link.rsplit("/", 1)[1] not in str(issued.after)  # the secret is not kept in the audit trail

    juror_browser = app.test_client()
    path = link.replace("http://localhost", "")
    response = post_form(juror_browser, path,
                         {"password": "jana-jury-passwort", "password_confirm": "jana-jury-passwort"})
    assert response.status_code == 302, response.get_data(as_text=True)
    login(juror_browser, "jana@ihk.example", "jana-jury-passwort")


def test_resend_queues_the_right_mail_in_the_outbox_and_is_audited(client, db):
    admin = AdminFactory()
    invited = UserFactory(password_hash=None, email_confirmed_at=None, locale="en")
    unconfirmed = UserFactory(email_confirmed_at=None)
    login(client, admin.email)
    for user in (invited, unconfirmed):
        response = post_form(client, f"/admin/users/{user.id}/resend-link", token_from=f"/admin/users/{user.id}",
                             follow_redirects=True)
        assert "liegt im Postausgang" in response.get_data(as_text=True)
    templates = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.template)
                                   .order_by(OutboxMessage.id)).all()
    assert templates == [(invited.email, "invitation"), (unconfirmed.email, "confirm_email")]
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "user.account_link_resent")) == 2


def test_deactivated_account_gets_no_link_and_nothing_changes(client, db):
    user = UserFactory(active=False, email_confirmed_at=None)
    login(client, AdminFactory().email)
    response = post_form(client, f"/admin/users/{user.id}/copy-link", token_from=f"/admin/users/{user.id}",
                         follow_redirects=True)
    assert "Das Konto ist deaktiviert" in response.get_data(as_text=True)
    assert 'id="account-link"' not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "user.account_link_issued")) == 0


def test_applicant_cannot_use_the_admin_account_actions(client, db):
    other = UserFactory(email_confirmed_at=None)
    login(client, UserFactory().email)
    token = csrf_token(client, "/profile")
    for action in ("confirm", "resend-link", "copy-link"):
        assert client.post(f"/admin/users/{other.id}/{action}", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/admin/users/{other.id}").status_code == 403
    assert not _user(db, other.email).is_confirmed


def test_account_actions_need_the_csrf_token(client, db):
    other = UserFactory(email_confirmed_at=None)
    login(client, AdminFactory().email)
    assert client.post(f"/admin/users/{other.id}/confirm").status_code == 400
    assert not _user(db, other.email).is_confirmed


def test_admin_page_in_english(client, db):
    user = UserFactory(password_hash=None, email_confirmed_at=None)
    login(client, AdminFactory().email)
    post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "No mail server is configured" in page and "Show a link to copy" in page
