"""Login rate limits: one count per client address and one per account, so a shared office address is no lockout."""

from __future__ import annotations

import hashlib

from flask import current_app, request

from app.accounts.models import normalise_email
from app.core.i18n import lazy_gettext as _l

ACCOUNT_LIMIT_MESSAGE = _l("Too many failed attempts for this account in a short time. Please wait a while and "
                           "try again, or reset your password.")


def address_limit() -> str:
    """The limit per client address (generous: a jury room shares one address)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_limit() -> str:
    """The limit per account, however many addresses the attempts come from."""
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def account_key() -> str:
    """The posted email address, normalised and hashed (no addresses in the limiter's storage)."""
    email = normalise_email(request.form.get("email", "") or "")
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def login_failed(response) -> bool:
    """A login that did not redirect did not log anyone in: only those count against the account."""
    return response.status_code != 302
