"""Probes for the load balancer and the orchestrator; they need no login and reveal no details."""

from __future__ import annotations

from app.operations.readiness import readiness


def healthz():
    """Liveness: the process answers (restart it if not); touches nothing else."""
    return {"status": "ok"}


def readyz():
    """Readiness: send traffic only if database, Redis, file store and schema are in order."""
    checks = readiness()
    ready = all(checks.values())
    return {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
