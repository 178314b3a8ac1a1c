"""Operations: liveness and readiness probes, request ids in logs, Prometheus metrics behind a token."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.core.models import OutboxMessage
from app.operations.logs import build_handler
from app.operations.readiness import MIGRATIONS


@pytest.fixture
def migrated(db):
    """The test database (made by create_all) stamped with today's migration head, as `flask db upgrade` leaves it."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
    db.session.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": head})
    db.session.commit()
    yield head
    db.session.execute(text("DROP TABLE alembic_version"))
    db.session.commit()


@pytest.fixture
def setting(app):
    """Change app settings for one test."""
    saved: dict = {}

    def _set(**values):
        for name, value in values.items():
            saved.setdefault(name, app.config.get(name))
            app.config[name] = value
        app.extensions.pop("job_redis", None)

    yield _set
    app.config.update(saved)
    app.extensions.pop("job_redis", None)


def test_healthz_answers_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_database_store_and_schema_are_in_order(client, migrated):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready",
                                   "checks": {"database": True, "storage": True, "migrations": True}}


def test_readyz_refuses_traffic_while_migrations_are_missing(client, db):
    # A database made without `flask db upgrade` (here: create_all) is not at the code's migration head.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] is False


def test_readyz_refuses_an_old_schema(client, db, migrated):
    db.session.execute(text("UPDATE alembic_version SET version_num = '0123456789ab'"))  # not the head
    db.session.commit()
    assert client.get("/readyz").status_code == 503


def test_readyz_reports_redis_down_without_details(client, migrated, setting, caplog):
    setting(REDIS_URL="redis://127.0.0.1:9/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["redis"] is False and body["checks"]["database"] is True
    assert "127.0.0.1" not in response.get_data(as_text=True)  # the reason goes to the log only
    assert "readiness check redis failed" in caplog.text


def test_request_id_is_taken_from_the_proxy_or_made_and_echoed(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    forged = client.get("/healthz", headers={"X-Request-ID": "x level=ERROR \"forged\""}).headers["X-Request-ID"]
    assert "forged" not in forged and len(forged) == 32
    assert client.get("/healthz").headers["X-Request-ID"] != client.get("/healthz").headers["X-Request-ID"]


def test_json_log_lines_carry_the_request_id(app):
    handler = build_handler("json")
    with app.test_request_context(headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        record = logging.LogRecord("app.test", logging.WARNING, __file__, 1, "mail %s failed", ("7",), None)
        handler.filter(record)
        line = json.loads(handler.format(record))
    assert line["request_id"] == "req-42"
    assert line["message"] == "mail 7 failed" and line["level"] == "WARNING" and line["logger"] == "app.test"


def test_metrics_are_hidden_without_a_token_and_refused_with_a_wrong_one(client, setting):
    setting(METRICS_TOKEN=None)
    assert client.get("/metrics").status_code == 404
    setting(METRICS_TOKEN="s3cret-token")
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_metrics_show_latency_by_endpoint_and_the_outbox_backlog(client, db, setting):
    setting(METRICS_TOKEN="s3cret-token")
    for number in range(3):
        db.session.add(OutboxMessage(recipient=f"a{number}@example.org", locale="de", template="t", subject="s",
                                     body="b"))
    db.session.commit()
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'ideenwettbewerb_request_seconds_count{endpoint="operations.healthz",method="GET"}' in body
    assert "ideenwettbewerb_outbox_backlog 3.0" in body


def test_metrics_show_the_queue_length_and_failed_jobs(client, setting, redis_url):
    from app.jobs.connection import job_queue
    from app.jobs.tasks import deliver_outbox

    setting(METRICS_TOKEN="s3cret-token", REDIS_URL=redis_url,
            JOB_QUEUE_NAME=f"test-metrics-{secrets.token_hex(4)}")
    queue = job_queue()
    try:
        queue.enqueue(deliver_outbox)
        queue.enqueue(deliver_outbox)
        body = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).get_data(as_text=True)
    finally:
        queue.empty()
    assert "ideenwettbewerb_queue_length 2.0" in body
    assert "ideenwettbewerb_job_failures 0.0" in body
