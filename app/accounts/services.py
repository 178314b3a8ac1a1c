"""Account state changes: each flushes, audits and queues the mails it needs."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, url_for
from sqlalchemy import func, select

from app.accounts import tokens
from app.accounts.models import User, normalise_email
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.navigation import load_with_roles
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db

# Higher packages act on a new registration (the legal package records the consent with its notice version).
_registration_hooks: list[Callable[[User], None]] = []


def on_registration(hook: Callable[[User], None]) -> None:
    """Register a function called with every newly registered user, inside the registration's transaction."""
    if hook not in _registration_hooks:
        _registration_hooks.append(hook)


def find_user_by_email(email: str) -> User | None:
    """Look a user up by email, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def load_user(user_id) -> User | None:
    """Load a user by id, tolerating malformed ids."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def load_logged_in_user(session_id) -> User | None:
    """Flask-Login's loader: the user of a "<id>:<version>" session id, if that version is still current."""
    user_id, _, version = str(session_id).partition(":")
    try:
        user_id, version = int(user_id), int(version)
    except ValueError:
        return None  # also the plain ids of cookies signed before session versions existed
    user = load_with_roles(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


def check_password_strength(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse passwords that are too short or equal to the email or name."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise DomainError(_l("The password must have at least %(n)s characters.", n=minimum), "password")
    lowered = password.lower()
    if any(part and lowered == part.lower() for part in user_inputs):
        raise DomainError(_l("The password must not be your name or email address."), "password")
    if len(set(password)) < 4:
        raise DomainError(_l("The password is too easy to guess."), "password")


def _external_url(endpoint: str, **values) -> str:
    """Build an absolute link for a mail, honouring BASE_URL behind a proxy."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def send_confirmation(user: User) -> None:
    """Queue the email-confirmation link."""
    link = _external_url("accounts.confirm_email", token=tokens.make_token(tokens.PURPOSE_CONFIRM, user))
    queue_mail(user.email, "confirm_email", user.locale, user=user, user_obj=user, link=link)


def register_user(*, email: str, name: str, organisation: str, password: str, locale: str) -> User:
    """Create an applicant account (unconfirmed) and send the confirmation mail."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise DomainError(_l("An account with this email address already exists."), "email")
    check_password_strength(password, (email, name))
    user = User(email=email, name=name.strip(), organisation=organisation.strip(), locale=locale,
                privacy_consent_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_event("user.registered", user, after=user.audit_view(), actor=user)
    for hook in _registration_hooks:
        hook(user)
    send_confirmation(user)
    return user


def confirm_email(token: str) -> User:
    """Mark the email of the user a valid confirmation link names as confirmed."""
    user = tokens.read_token(tokens.PURPOSE_CONFIRM, token, load_user)
    if not user.is_confirmed:
        user.email_confirmed_at = utcnow()
        record_event("user.email_confirmed", user, actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user for valid credentials of an active account, else None."""
    user = find_user_by_email(email)
    if user is None:
        # Hash anyway so response time does not reveal whether the email exists.
        _dummy_check(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    record_event("user.logged_in", user, actor=user)
    return user


_DUMMY_HASH: str | None = None


def _dummy_check(password: str) -> None:
    """Spend the same time as a real password check."""
    global _DUMMY_HASH
    from werkzeug.security import check_password_hash, generate_password_hash

    if _DUMMY_HASH is None:
        _DUMMY_HASH = generate_password_hash("dummy-password-for-timing", method="scrypt")
    check_password_hash(_DUMMY_HASH, password)


def request_password_reset(email: str) -> None:
    """Send a reset link if an active account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = _external_url("accounts.reset_password", token=tokens.make_token(tokens.PURPOSE_RESET, user))
    queue_mail(user.email, "reset_password", user.locale, user=user, user_obj=user, link=link)
    record_event("user.password_reset_requested", user, actor=user)


def reset_password(token: str, password: str, purpose: str = tokens.PURPOSE_RESET) -> User:
    """Set a new password from a valid reset or invitation link; the link then expires."""
    user = tokens.read_token(purpose, token, load_user)
    if not user.active:
        raise tokens.TokenInvalid()
    check_password_strength(password, (user.email, user.name))
    user.set_password(password)
    user.end_sessions()  # whoever knew the old password may hold a session
    # Following a link sent to the address proves the address works.
    if not user.is_confirmed:
        user.email_confirmed_at = utcnow()
    action = "user.invitation_accepted" if purpose == tokens.PURPOSE_INVITE else "user.password_reset"
    record_event(action, user, actor=user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a password after checking the current one."""
    if not user.check_password(current_password):
        raise DomainError(_l("The current password is not correct."), "current_password")
    check_password_strength(new_password, (user.email, user.name))
    user.set_password(new_password)
    user.end_sessions()  # the view logs the current browser in again with the new version
    record_event("user.password_changed", user, actor=user)


def log_out(user: User, *, everywhere: bool) -> None:
    """End all sessions and remember cookies of the user (see docs/security.md: plain logout does too)."""
    user.end_sessions()
    record_event("user.logged_out_everywhere" if everywhere else "user.logged_out", user, actor=user)


def update_profile(user: User, *, name: str, organisation: str, locale: str) -> None:
    """Update name, organisation and language."""
    before = user.audit_view()
    user.name = name.strip()
    user.organisation = organisation.strip()
    user.locale = locale
    record_event("user.profile_updated", user, before=before, after=user.audit_view(), actor=user)


def invite_user(*, email: str, name: str, organisation: str, locale: str, inviter: User) -> User:
    """Create an account without password and mail a link to set one."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise DomainError(_l("An account with this email address already exists."), "email")
    user = User(email=email, name=name.strip(), organisation=organisation.strip(), locale=locale)
    db.session.add(user)
    db.session.flush()
    link = _external_url("accounts.accept_invitation", token=tokens.make_token(tokens.PURPOSE_INVITE, user))
    queue_mail(user.email, "invitation", user.locale, user=user, user_obj=user, link=link, inviter=inviter)
    record_event("user.invited", user, after=user.audit_view(), actor=inviter)
    return user


# What an account still needs before its owner can log in, and the link that gives it.
LINK_INVITATION = "invitation"
LINK_CONFIRMATION = "confirmation"
LINK_RESET = "reset"
_LINKS = {  # kind: (token purpose, endpoint, mail template)
    LINK_INVITATION: (tokens.PURPOSE_INVITE, "accounts.accept_invitation", "invitation"),
    LINK_CONFIRMATION: (tokens.PURPOSE_CONFIRM, "accounts.confirm_email", "confirm_email"),
    LINK_RESET: (tokens.PURPOSE_RESET, "accounts.reset_password", "reset_password"),
}


def account_link_kind(user: User) -> str:
    """The link the person needs now: set a first password, confirm the address, or else reset the password."""
    if user.password_hash is None:
        return LINK_INVITATION
    if not user.is_confirmed:
        return LINK_CONFIRMATION
    return LINK_RESET


def _account_link(user: User) -> tuple[str, str]:
    """(kind, absolute link) of a fresh signed link for the person; deactivated accounts get none."""
    if not user.active:
        raise DomainError(_l("The account is deactivated; reactivate it first."))
    kind = account_link_kind(user)
    purpose, endpoint, _template = _LINKS[kind]
    return kind, _external_url(endpoint, token=tokens.make_token(purpose, user))


def resend_account_link(user: User, actor: User) -> str:
    """Queue the invitation, confirmation or reset mail again (through the outbox); return the link's kind."""
    kind, link = _account_link(user)
    template = _LINKS[kind][2]
    queue_mail(user.email, template, user.locale, user=user, user_obj=user, link=link, inviter=actor)
    record_event("user.account_link_resent", user, after={"link": kind}, actor=actor)
    return kind


def issue_account_link(user: User, actor: User) -> tuple[str, str]:
    """A link the administrator passes on by hand (no mail server); audited without the link itself."""
    kind, link = _account_link(user)
    record_event("user.account_link_issued", user, after={"link": kind}, actor=actor)
    return kind, link


def confirm_by_admin(user: User, actor: User) -> None:
    """Mark the address as confirmed on the administrator's word (e.g. checked by phone): the person can log in."""
    if user.is_confirmed:
        raise DomainError(_l("This email address is already confirmed."))
    if user.password_hash is None:
        raise DomainError(_l("This person has not set a password yet: pass on the invitation link instead."))
    user.email_confirmed_at = utcnow()
    record_event("user.email_confirmed_by_admin", user, before={"email_confirmed": False},
                 after={"email_confirmed": True}, actor=actor)


def set_admin(user: User, is_admin: bool, actor: User) -> None:
    """Grant or revoke the administrator flag; an admin cannot demote themselves."""
    if user.id == actor.id and not is_admin:
        raise DomainError(_l("You cannot revoke your own administrator rights."))
    before = user.audit_view()
    user.is_admin = is_admin
    record_event("user.admin_granted" if is_admin else "user.admin_revoked", user,
                 before=before, after=user.audit_view(), actor=actor)


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate or reactivate an account; its records stay."""
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate your own account."))
    before = user.audit_view()
    user.active = active
    if not active:
        user.end_sessions()  # reactivation must not revive the sessions of before
    record_event("user.reactivated" if active else "user.deactivated", user,
                 before=before, after=user.audit_view(), actor=actor)


def create_admin(email: str, password: str, name: str = "Administrator") -> User:
    """Create a confirmed administrator, or promote an existing user (command line)."""
    check_password_strength(password, (normalise_email(email),))
    user = find_user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, organisation="", locale="de")
        db.session.add(user)
    user.set_password(password)
    user.is_admin = True
    user.active = True
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.flush()
    record_event("user.admin_created", user, after=user.audit_view())
    return user
