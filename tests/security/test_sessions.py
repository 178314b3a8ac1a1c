"""Sessions end for real: a copied session cookie or remember token is refused once the session ended."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEvent, OutboxMessage
from tests.factories import DEFAULT_PASSWORD, AdminFactory, UserFactory
from tests.web import post_form

pytestmark = pytest.mark.usefixtures("fresh")

PRIVATE = "/my/proposals"
NEW_PASSWORD = "ein-ganz-neues-pw"


def _log_in(client, email: str, remember: bool = False) -> None:
    data = {"email": email, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert post_form(client, "/login", data).status_code == 302


def _copy(app, client, name: str):
    """A second browser holding only a copy of the named cookie of the first."""
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    thief = app.test_client()
    thief.set_cookie(name, cookie.value)
    return thief


def _opens_private_page(client) -> bool:
    return client.get(PRIVATE).status_code == 200


def _logout(app, client, user):
    post_form(client, "/logout", token_from="/")


def _logout_everywhere(app, client, user):
    response = post_form(client, "/profile/logout-everywhere", token_from="/profile")
    assert response.status_code == 302


def _change_password(app, client, user):
    post_form(client, "/profile", {"password-current_password": DEFAULT_PASSWORD,
                                   "password-password": NEW_PASSWORD, "password-password_confirm": NEW_PASSWORD,
                                   "password-submit": "y"})


def _reset_password(app, client, user):
    other = app.test_client()
    post_form(other, "/reset", {"email": user.email})
    from app.extensions import db
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"http://localhost(/reset/\S+)", body).group(1)
    assert post_form(other, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302


def _deactivate_and_reactivate(app, client, user):
    admin = AdminFactory()
    office = app.test_client()
    _log_in(office, admin.email)
    for action in ("deactivate", "reactivate"):
        response = post_form(office, f"/admin/users/{user.id}/{action}", token_from="/admin/users")
        assert response.status_code == 302


ENDINGS = {
    "logout": _logout,
    "logout everywhere": _logout_everywhere,
    "password change": _change_password,
    "password reset": _reset_password,
    "deactivation (even after reactivation)": _deactivate_and_reactivate,
}


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_copied_cookie_is_refused_once_the_session_ended(app, cookie, ending):
    user = UserFactory()
    client = app.test_client()
    _log_in(client, user.email, remember=True)
    copy = _copy(app, client, cookie)
    assert _opens_private_page(copy)  # the copy works while the session lives
    ENDINGS[ending](app, client, user)
    assert not _opens_private_page(copy)
    assert not _opens_private_page(client) or ending == "password change"


def test_password_change_keeps_the_own_session_but_ends_the_others(app):
    user = UserFactory()
    client = app.test_client()
    _log_in(client, user.email)
    other_device = app.test_client()
    _log_in(other_device, user.email)
    _change_password(app, client, user)
    assert _opens_private_page(client)
    assert not _opens_private_page(other_device)


def test_logout_everywhere_is_on_the_profile_audited_and_needs_a_token(app, db):
    user = UserFactory()
    client = app.test_client()
    _log_in(client, user.email)
    page = client.get("/profile").get_data(as_text=True)
    assert 'action="/profile/logout-everywhere"' in page
    assert client.post("/profile/logout-everywhere").status_code == 400  # no CSRF token
    assert _opens_private_page(client)
    _logout_everywhere(app, client, user)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == user.id)
                             .order_by(AuditEvent.id.desc())) == "user.logged_out_everywhere"


def test_a_session_of_the_old_cookie_format_is_refused(app):
    user = UserFactory()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # a cookie signed before session versions existed
        session["_fresh"] = True
    assert not _opens_private_page(client)


def test_a_new_login_after_logout_works(app, db):
    user = UserFactory()
    client = app.test_client()
    _log_in(client, user.email)
    before = db.session.get(User, user.id).session_version
    _logout(app, client, user)
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == before + 1  # the logout ended the old session
    _log_in(client, user.email)
    assert _opens_private_page(client)
