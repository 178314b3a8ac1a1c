"""The audit trail and mail outbox pages and delivery."""

from __future__ import annotations

import smtplib

from sqlalchemy import select

from app.core.audit import record_event
from app.core.models import OutboxMessage
from app.core.outbox import deliver_pending, queue_mail
from tests.factories import AdminFactory, UserFactory
from tests.web import login


def test_audit_page_lists_and_filters_events(client, db):
    admin = AdminFactory()
    user = UserFactory()
    record_event("user.reactivated", user, before={"active": False}, after={"active": True}, actor=admin)
    record_event("competition.phase_changed", object_type="competitions", object_id=7, actor=admin)
    db.session.commit()
    login(client, admin.email)
    # the events follow the filter form, whose list offers every action by its label
    body = client.get("/admin/audit?action=user.").get_data(as_text=True).split("</datalist>")[1]
    assert "Konto reaktiviert" in body and "Phase gewechselt" not in body
    body = client.get("/admin/audit?object_type=competitions").get_data(as_text=True).split("</datalist>")[1]
    assert "Phase gewechselt" in body and "Konto reaktiviert" not in body


def test_audit_values_are_escaped(client, db):
    admin = AdminFactory()
    record_event("user.profile_updated", admin, after={"name": "<script>alert(1)</script>"}, actor=admin)
    db.session.commit()
    login(client, admin.email)
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body


def test_outbox_without_mail_server_logs_messages(app, db):
    user = UserFactory(locale="en")
    with app.test_request_context():
        queue_mail(user.email, "confirm_email", "en", user=user, user_obj=user, link="http://x/confirm/abc")
        db.session.commit()
        assert deliver_pending() == 1
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxMessage.STATUS_LOGGED
    assert message.sent_at is not None


def test_failed_smtp_delivery_is_kept_for_retry(app, db, monkeypatch):
    user = UserFactory()

    class BrokenSMTP:
        def __init__(self, *args, **kwargs):
            raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(smtplib, "SMTP", BrokenSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.invalid")
    with app.test_request_context():
        queue_mail(user.email, "confirm_email", "de", user=user, user_obj=user, link="http://x/confirm/abc")
        db.session.commit()
        deliver_pending()
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == OutboxMessage.STATUS_FAILED
    assert message.attempts == 1
    assert "down" in message.error


def test_successful_smtp_delivery(app, db, monkeypatch):
    user = UserFactory()
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def login(self, *args):
            pass

        def send_message(self, email):
            sent.append(email)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example")
    with app.test_request_context():
        queue_mail(user.email, "reset_password", "de", user=user, user_obj=user, link="http://x/reset/abc")
        db.session.commit()
        deliver_pending()
    assert sent[0]["To"] == user.email
    assert sent[0]["Subject"] == "Passwort zurücksetzen"
    assert db.session.scalar(select(OutboxMessage.status)) == OutboxMessage.STATUS_SENT


def test_outbox_message_page_hides_account_link_secrets(client, db, app):
    admin = AdminFactory()
    with app.test_request_context():
        queue_mail(admin.email, "reset_password", "de", user=admin, user_obj=admin,
                   link="http://localhost/reset/SECRET-TOKEN-123")
    db.session.commit()
    login(client, admin.email)
    message_id = db.session.scalar(select(OutboxMessage.id))
    body = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "SECRET-TOKEN-123" not in body
    assert "/reset/…" in body
