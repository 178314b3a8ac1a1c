"""The job queue: mails, reminders and heavy documents on RQ with Redis, inline without it."""

from __future__ import annotations

import io
import secrets
import zipfile

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.core.models import AuditEvent, OutboxMessage
from app.core.outbox import queue_mail
from app.extensions import db as _db
from app.jobs import tasks
from app.jobs.documents import document_kind
from tests.builders.decisions import decision_case
from tests.factories import UserFactory
from tests.web import login


@pytest.fixture
def redis_queue(app, redis_url):
    """REDIS_URL set for this test, with a fresh queue; yields the queue (its worker is run by the test)."""
    name = f"test-jobs-{secrets.token_hex(4)}"
    saved = {key: app.config.get(key) for key in ("REDIS_URL", "JOB_QUEUE_NAME")}
    app.config.update(REDIS_URL=redis_url, JOB_QUEUE_NAME=name)
    app.extensions.pop("job_redis", None)
    connection = Redis.from_url(redis_url)
    queue = Queue(name, connection=connection)
    yield queue
    queue.empty()
    app.config.update(saved)
    app.extensions.pop("job_redis", None)


@pytest.fixture
def redis_down(app):
    """REDIS_URL points at a port where nothing listens."""
    saved = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    app.extensions.pop("job_redis", None)
    yield
    app.config["REDIS_URL"] = saved
    app.extensions.pop("job_redis", None)


def run_worker(queue: Queue) -> None:
    """Run what the queue holds in this process, then return (the worker's burst mode)."""
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _mail_in_a_request(app, recipient: str) -> None:
    """Queue a mail inside a request that commits, as a view does."""
    with app.test_request_context():
        user = UserFactory(email=recipient)
        queue_mail(recipient, "confirm_email", "de", user=user, user_obj=user, link="http://x/confirm/abc")
        response = app.make_response("ok")
        app.process_response(response)


def _status(recipient: str) -> str:
    _db.session.expire_all()
    return _db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.recipient == recipient))


def test_without_redis_the_mail_is_delivered_in_the_request(app, db):
    _mail_in_a_request(app, "inline@example.org")
    assert _status("inline@example.org") == OutboxMessage.STATUS_LOGGED


def test_with_redis_the_worker_delivers_the_mail_queued_in_a_request(app, db, redis_queue):
    _mail_in_a_request(app, "worker@example.org")
    assert _status("worker@example.org") == OutboxMessage.STATUS_QUEUED  # the request did not send it
    assert redis_queue.count == 1
    run_worker(redis_queue)
    assert _status("worker@example.org") == OutboxMessage.STATUS_LOGGED


def test_the_job_carries_the_request_id_of_the_request_that_queued_it(app, db, redis_queue, monkeypatch):
    from app.core import outbox
    from app.operations.request_ids import current_request_id

    seen = []
    real = outbox.deliver_pending
    monkeypatch.setattr(outbox, "deliver_pending", lambda *args: seen.append(current_request_id()) or real(*args))
    with app.test_request_context(headers={"X-Request-ID": "req-4711"}):
        app.preprocess_request()
        user = UserFactory(email="traced@example.org")
        queue_mail(user.email, "confirm_email", "de", user=user, user_obj=user, link="http://x/confirm/abc")
        app.process_response(app.make_response("ok"))
    [job] = redis_queue.get_jobs()
    assert job.meta["request_id"] == "req-4711"
    run_worker(redis_queue)
    assert seen == ["req-4711"]  # the worker's log lines carry the request's id
    assert current_request_id() is None  # and it does not leak into what runs next


def test_with_redis_down_the_request_succeeds_and_the_mail_waits_in_the_outbox(app, db, redis_down):
    _mail_in_a_request(app, "later@example.org")
    assert _status("later@example.org") == OutboxMessage.STATUS_QUEUED
    tasks.deliver_outbox()  # the scheduler's run once Redis is back
    assert _status("later@example.org") == OutboxMessage.STATUS_LOGGED


def test_a_delivery_job_that_crashes_is_retried_and_the_mail_goes_out_once(app, db, redis_queue, monkeypatch):
    from app.core import outbox

    _mail_in_a_request(app, "crash@example.org")
    calls = {"n": 0}
    real_utcnow = outbox.utcnow

    def crash_first(*args):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("worker crashed mid-delivery")
        return real_utcnow()

    monkeypatch.setattr(outbox, "utcnow", crash_first)
    run_worker(redis_queue)  # the first run fails, its retry runs in the same burst
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "crash@example.org"))
    _db.session.refresh(message)
    assert message.status == OutboxMessage.STATUS_LOGGED
    assert calls["n"] == 2  # the crash, then the retry
    assert message.attempts == 1  # the crashed run's changes were rolled back: delivered once


@pytest.fixture
def admin_client(client, db, in_request):
    case = decision_case()
    _db.session.commit()
    login(client, case.admin.email)
    return client, case


@pytest.fixture
def build_counter():
    """Count how often the audit file is really built."""
    kind = document_kind("audit-file")
    counts = {"builds": 0}
    real_build = kind.build

    def counting(competition):
        counts["builds"] += 1
        return real_build(competition)

    object.__setattr__(kind, "build", counting)  # the kind is a frozen dataclass
    yield counts
    object.__setattr__(kind, "build", real_build)


def test_without_redis_the_document_is_built_in_the_request_once_per_data(admin_client, build_counter):
    client, case = admin_client
    page = client.get(f"/admin/competitions/{case.competition.id}/documents/audit-file")
    assert page.status_code == 200
    assert "Die Unterlage ist fertig" in page.get_data(as_text=True)
    client.get(f"/admin/competitions/{case.competition.id}/documents/audit-file")
    assert build_counter["builds"] == 1  # the same data: the stored document is offered again


def test_the_built_audit_file_downloads_and_its_download_is_audited(admin_client, build_counter):
    client, case = admin_client
    answer = client.get(f"/admin/competitions/{case.competition.id}/documents/audit-file",
                        headers={"Accept": "application/json"}).get_json()
    assert answer["ready"] is True
    download = client.get(answer["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert "audit_trail.csv" in zipfile.ZipFile(io.BytesIO(download.get_data())).namelist()
    actions = _db.session.scalars(select(AuditEvent.action)).all()
    assert "competition.audit_file_exported" in actions


def test_with_redis_the_page_shows_progress_queues_once_and_offers_the_download(admin_client, redis_queue,
                                                                                  build_counter):
    client, case = admin_client
    url = f"/admin/competitions/{case.competition.id}/documents/audit-file"
    first = client.get(url).get_data(as_text=True)
    assert "wird erstellt" in first and 'role="status"' in first
    client.get(url)
    assert redis_queue.count == 1  # asked twice, queued once
    assert client.get(url, headers={"Accept": "application/json"}).get_json()["ready"] is False
    run_worker(redis_queue)
    answer = client.get(url, headers={"Accept": "application/json"}).get_json()
    assert answer["ready"] is True
    assert client.get(answer["download_url"]).mimetype == "application/zip"
    assert build_counter["builds"] == 1


def test_with_redis_down_the_document_page_still_serves(admin_client, redis_down, build_counter):
    client, case = admin_client
    page = client.get(f"/admin/competitions/{case.competition.id}/documents/audit-file")
    assert page.status_code == 200 and "Die Unterlage ist fertig" in page.get_data(as_text=True)
    assert build_counter["builds"] == 1


def test_a_changed_state_builds_a_new_document(admin_client, build_counter):
    client, case = admin_client
    url = f"/admin/competitions/{case.competition.id}/documents/audit-file"
    old = client.get(url, headers={"Accept": "application/json"}).get_json()["download_url"]
    client.get(old)  # the download itself is recorded in the audit trail: the data changed
    client.get(url)
    assert build_counter["builds"] == 2
    assert client.get(old).status_code == 302  # an outdated link leads back to the page


def test_unknown_document_kinds_are_not_found(admin_client):
    client, case = admin_client
    assert client.get(f"/admin/competitions/{case.competition.id}/documents/passwords").status_code == 404
