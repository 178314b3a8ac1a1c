"""Prometheus metrics: request latency by endpoint, queue length, outbox backlog, failed jobs.

Latency is measured in each web process; with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR
(docs/operations.md) so one scrape sums them all. Queue, backlog and failures are read at scrape time
from Redis and the database, so every host reports the same shared figures.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_LATENCY = Histogram("ideenwettbewerb_request_seconds", "Time to answer a request, by endpoint",
                            ["endpoint", "method"])


class SharedFiguresCollector:
    """Reads the figures all hosts share (job queue, outbox) when Prometheus scrapes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        """Yield queue length, failed jobs and outbox backlog."""
        from app.core.queries import outbox_backlog
        from app.jobs.connection import queue_figures

        with self.app.app_context():
            backlog = GaugeMetricFamily("ideenwettbewerb_outbox_backlog", "Mails queued or failed, not yet sent")
            backlog.add_metric([], outbox_backlog())
            yield backlog
            figures = queue_figures()
        if figures is not None:
            yield GaugeMetricFamily("ideenwettbewerb_queue_length", "Jobs waiting in the queue", value=figures[0])
            yield GaugeMetricFamily("ideenwettbewerb_job_failures", "Jobs in the failed job registry",
                                    value=figures[1])


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        REQUEST_LATENCY.labels(endpoint, request.method).observe(time.perf_counter() - started)
    return response


def metrics_view():
    """The metrics, for a scraper that sends `Authorization: Bearer <METRICS_TOKEN>` (404 without a token set)."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        abort(403)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(SharedFiguresCollector(current_app._get_current_object()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time every request."""
    app.before_request(_start_timer)
    app.after_request(_observe)
