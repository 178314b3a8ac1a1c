"""Small permission helpers shared by all blueprints."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urljoin, urlsplit

from flask import abort, request
from flask_login import current_user, login_required


def admin_required(view):
    """Allow only logged-in administrators; others get 403 (anonymous: login redirect)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def is_safe_next_url(target: str | None) -> bool:
    """True when a `next` URL stays on this site (no open redirect)."""
    if not target:
        return False
    if target.startswith("//") or "\\" in target:
        return False
    host_url = urlsplit(request.host_url)
    redirect_url = urlsplit(urljoin(request.host_url, target))
    return redirect_url.scheme in {"http", "https"} and redirect_url.netloc == host_url.netloc
