"""The administrators' user pages: list, invitation, rights and deactivation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
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
            return redirect(url_for("accounts.admin_users"))
    return render_template("accounts/admin_invite.html", form=form)


def _admin_change(user_id: int, change) -> object:
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        change(user)
        flash(_("The change to %(name)s has been saved.", name=user.name), "success")
    return redirect(url_for("accounts.admin_users"))


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
