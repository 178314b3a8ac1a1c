"""Cache-Control: no-store on every response to a logged-in user, unless the view decided itself.

Why: pages and downloads of a logged-in user hold personal or evaluation data; a shared or
later user of the same browser or proxy must not get them from a cache. Views that manage
caching themselves (the ranking, statistics and progress pages answer `private, no-cache`
with an ETag) mark that with `private` or `no-store`, and are left alone. Flask's send_file
sets `no-cache` on every download by itself; that is no decision of the view, so it is
replaced.
"""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

PUBLIC_ENDPOINTS = frozenset({"static", "core.favicon"})


def no_store_for_users(response):
    """After-request hook: add no-store for logged-in users (see the module docstring)."""
    # is_anonymous reads no column: after a refused flush (e.g. the autosave's 409) the session cannot
    # load anything until the request's transaction rolls back, which happens after this hook.
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_anonymous:
        return response
    decided = response.cache_control
    if decided.private or decided.no_store:
        return response
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the hook."""
    app.after_request(no_store_for_users)
