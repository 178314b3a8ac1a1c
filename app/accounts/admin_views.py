"""The administrators' user pages: list, one user, invitation, account links, rights and deactivation."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts import queries, services
from app.accounts.forms import (
    ConfirmActionForm,
    InviteUserForm,
    UserSearchForm,
)
from app.accounts.models import User
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.extensions import db

USERS_PER_PAGE = 50


@admin_required
def admin_users():
    """List and search users."""
    form = UserSearchForm(request.args)
    query = queries.users_matching(form.q.data if form.validate() else None)
    page = db.paginate(query, per_page=USERS_PER_PAGE, error_out=False)
    return render_template("accounts/admin_users.html", form=form, page=page,
                           action_form=ConfirmActionForm())


@admin_required
def admin_invite():
    """Invite a person by email; they set their own password."""
    form = InviteUserForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = services.invite_user(email=form.email.data, name=form.name.data,
                                        organisation=form.organisation.data or "",
                                        locale=form.locale.data, inviter=current_user)
            flash(_("The invitation to %(email)s has been sent.", email=user.email), "success")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
    return render_template("accounts/admin_invite.html", form=form)


def _user_page(user: User, *, issued_link: str | None = None, link_kind: str | None = None):
    """The user's admin page, with a freshly issued link when there is one (shown once, never stored)."""
    return render_template("accounts/admin_user.html", user=user, action_form=ConfirmActionForm(),
                           link_kind=link_kind or services.account_link_kind(user), issued_link=issued_link,
                           mail_server=bool(current_app.config.get("MAIL_SERVER")))


@admin_required
def admin_user(user_id: int):
    """One user's account: state, and the links that let them in without a mail server."""
    return _user_page(db.session.get(User, user_id) or abort(404))


@admin_required
def admin_confirm(user_id: int):
    """Confirm the user's email address on the administrator's word."""
    return _admin_change(user_id, lambda u: services.confirm_by_admin(u, current_user), back="accounts.admin_user",
                         done=lambda u: _("The email address of %(name)s is confirmed; they can log in now.",
                                          name=u.name))


@admin_required
def admin_resend_link(user_id: int):
    """Send the invitation, confirmation or reset link again (through the outbox)."""
    return _admin_change(user_id, lambda u: services.resend_account_link(u, current_user),
                         back="accounts.admin_user",
                         done=lambda u: _("A new link for %(name)s is in the outbox.", name=u.name))


@admin_required
def admin_copy_link(user_id: int):
    """Show a fresh invitation, confirmation or reset link once, to pass on by hand."""
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        kind, link = services.issue_account_link(user, current_user)
        return _user_page(user, issued_link=link, link_kind=kind)
    return redirect(url_for("accounts.admin_user", user_id=user.id))


def _admin_change(user_id: int, change, back: str = "accounts.admin_users", done=None) -> object:
    """Run one POSTed change on a user; flash `done(user)` or the generic message, or the refusal."""
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        change(user)
        flash(done(user) if done else _("The change to %(name)s has been saved.", name=user.name), "success")
    return redirect(url_for(back, user_id=user.id) if back == "accounts.admin_user" else url_for(back))


@admin_required
def admin_grant(user_id: int):
    """Grant administrator rights."""
    return _admin_change(user_id, lambda u: services.set_admin(u, True, current_user))


@admin_required
def admin_revoke(user_id: int):
    """Revoke administrator rights."""
    return _admin_change(user_id, lambda u: services.set_admin(u, False, current_user))


@admin_required
def admin_deactivate(user_id: int):
    """Deactivate an account (records stay)."""
    return _admin_change(user_id, lambda u: services.set_active(u, False, current_user))


@admin_required
def admin_reactivate(user_id: int):
    """Reactivate an account."""
    return _admin_change(user_id, lambda u: services.set_active(u, True, current_user))
