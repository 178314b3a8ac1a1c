"""The administrators' page for a heavy document: its progress while it is built, then its download."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.permissions import admin_required
from app.extensions import db
from app.jobs.connection import queue_enabled
from app.jobs.documents import DocumentKind, build_and_store, document_key, document_kind
from app.jobs.runner import QueueUnavailable, job_status, run_job
from app.jobs.tasks import build_document
from app.storage import get_storage

# Seconds between the progress script's questions while the worker builds.
REFRESH_SECONDS = 3


def _document(competition_id: int, kind_name: str) -> tuple[Competition, DocumentKind, str, str]:
    kind = document_kind(kind_name)
    if kind is None:
        abort(404)
    competition = db.get_or_404(Competition, competition_id)
    locale = str(get_locale() or "de")
    return competition, kind, locale, document_key(kind, competition, locale)


@admin_required
def document_page(competition_id: int, kind_name: str):
    """Start building the document for today's data (once), show its progress, offer it when ready."""
    competition, kind, locale, key = _document(competition_id, kind_name)
    status = "finished"
    if not get_storage().exists(key):
        if queue_enabled():
            try:
                job = run_job(build_document, kind.name, competition.id, key, locale, job_id=f"document-{key}")
                status = job_status(job.id) or "queued"
            except QueueUnavailable:  # Redis is down: build here, slower, but the page still serves
                build_and_store(kind.name, competition.id, key, locale)
        else:
            build_and_store(kind.name, competition.id, key, locale)
    ready = status == "finished" or get_storage().exists(key)
    if request.accept_mimetypes.best == "application/json":  # the page's progress script asks
        download = url_for("jobs.document_download", competition_id=competition.id, kind_name=kind.name, key=key)
        return {"ready": ready, "failed": status == "failed", "download_url": download if ready else None}
    return render_template("jobs/document.html", competition=competition, kind=kind, ready=ready,
                           failed=status == "failed", refresh_seconds=REFRESH_SECONDS, key=key)


@admin_required
def document_download(competition_id: int, kind_name: str, key: str):
    """The built document; if the data changed since, back to the page, which builds the new version."""
    competition, kind, _locale, current_key = _document(competition_id, kind_name)
    if key != current_key or not get_storage().exists(key):
        return redirect(url_for("jobs.document_page", competition_id=competition.id, kind_name=kind.name))
    if kind.audit_action:
        record_event(kind.audit_action, competition, actor=current_user, after={"document": kind.name})
    return get_storage().download(key, kind.filename(competition), kind.mime_type)
