"""Translated labels of the directory's states, for templates, filters and exports."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.core.i18n import lazy_gettext as _l

STATUS_LABELS = {
    "preliminary_planning": _l("in preliminary planning"),
    "planning": _l("in planning"),
    "implementation": _l("in implementation"),
    "completed": _l("completed"),
    "active": _l("active"),
    "inactive": _l("inactive"),
}

KIND_LABELS = {"funded": _l("funded network"), "external": _l("external network")}

POST_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Awaiting approval"),
    "approved": _l("Published"),
    "rejected": _l("Returned"),
}

JOIN_STATUS_LABELS = {"pending": _l("Open"), "accepted": _l("Accepted"), "declined": _l("Declined")}

# Bootstrap badge classes with AA contrast (text-bg-* sets a readable text colour).
STATUS_BADGES = {
    "preliminary_planning": "text-bg-light border", "planning": "text-bg-info", "implementation": "text-bg-primary",
    "completed": "text-bg-success", "active": "text-bg-success", "inactive": "text-bg-secondary",
    "draft": "text-bg-light border", "submitted": "text-bg-warning", "approved": "text-bg-success",
    "rejected": "text-bg-danger", "pending": "text-bg-warning", "accepted": "text-bg-success",
    "declined": "text-bg-secondary",
}


def status_label(status: str) -> str:
    """The translated label of a network status."""
    return str(STATUS_LABELS.get(status, status))


def kind_label(kind: str) -> str:
    """The translated label of a network kind (funded or external)."""
    return str(KIND_LABELS.get(kind, kind))


def safe_website(url: str | None) -> str | None:
    """The URL when it is an http(s) link, else None (never render javascript: or data: links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def website_host(url: str | None) -> str:
    """What a link shows: the host name without www."""
    safe = safe_website(url)
    if safe is None:
        return ""
    host = urlsplit(safe).netloc
    return host[4:] if host.startswith("www.") else host
