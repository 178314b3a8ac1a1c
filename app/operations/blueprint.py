"""Operations routes: /healthz, /readyz and /metrics, and the request id, logging and timing hooks."""

from __future__ import annotations

from flask import Blueprint, Flask

from app.operations import metrics, request_ids, views


def init_app(app: Flask) -> None:
    """Register the probes and metrics (all without CSRF forms: they only read)."""
    request_ids.init_app(app)
    metrics.init_app(app)
    bp = Blueprint("operations", __name__)
    # load balancer, orchestrator, monitoring
    bp.add_url_rule("/healthz", view_func=views.healthz)
    bp.add_url_rule("/readyz", view_func=views.readyz)
    bp.add_url_rule("/metrics", endpoint="metrics", view_func=metrics.metrics_view)
    app.register_blueprint(bp)
