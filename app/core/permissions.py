"""Small permission helpers shared by all blueprints."""

from __future__ import annotations

from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort
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
    """True only for a path of this site: one leading "/", no scheme, no host, however encoded."""
    if not target or not target.isascii() or not target.isprintable():
        return False  # browsers drop tabs and newlines and map full-width slashes: "/\t/x" is "//x"
    decoded = unquote(target)
    if not target.startswith("/") or decoded.startswith("//") or "\\" in decoded or " " in target:
        return False
    parts = urlsplit(decoded)
    return not parts.scheme and not parts.netloc
