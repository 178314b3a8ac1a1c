"""Conditional GETs of pages that a few version stamps determine: an ETag, and 304 when the browser's copy is current.

Why: the ranking, statistics and progress pages are read again and again while nothing
changes. Their content follows from the competition's stamps (app/competitions/stamps.py)
and from who asks, in which language, with which query; a browser that sends back the ETag
of its copy gets 304 without anything being computed or rendered.

What goes into the ETag: the versions the view names, the release (files of the app), the
language, the viewer (id, name, admin flag, navigation roles), path and query string, the
session's CSRF secret and the current CSRF lifetime window (the page carries forms). A page
showing a flashed message gets no ETag: that message belongs to this one response.
"""

from __future__ import annotations

import hashlib
import time

from flask import Response, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core.navigation import nav_roles
from app.core.release import release

# Revalidated copies are at most this much of the CSRF token's lifetime old, so their forms still post.
_CSRF_WINDOWS_PER_LIFETIME = 4


def _csrf_window() -> int:
    lifetime = current_app.config.get("WTF_CSRF_TIME_LIMIT") or 3600
    return int(time.time() // max(lifetime // _CSRF_WINDOWS_PER_LIFETIME, 1))


def page_etag(*versions) -> str | None:
    """This page's ETag for this viewer from the versions its content follows from; None when it must not be reused."""
    if session.get("_flashes"):
        return None
    generate_csrf()  # the session's CSRF secret exists before the first page, so that page's ETag holds it
    viewer = ((current_user.id, current_user.name, current_user.is_admin, nav_roles())
              if current_user.is_authenticated else None)
    parts = (versions, release(), str(get_locale()), viewer, request.path, request.query_string,
             session.get("csrf_token"), _csrf_window())
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _mark(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # The browser keeps its copy but asks every time; set here, so the default no-store does not replace it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def not_modified(etag: str | None) -> Response | None:
    """A 304 response when the request's If-None-Match names this ETag, else None."""
    if etag is None or not request.if_none_match.contains(etag):
        return None
    return _mark(Response(status=304), etag)


def conditional(body, etag: str | None) -> Response:
    """The rendered page as a response carrying its ETag (when it has one)."""
    response = make_response(body)
    return _mark(response, etag) if etag is not None else response
