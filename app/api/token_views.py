"""The person's own API tokens on the profile page: create (shown once) and revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.accounts.forms import ConfirmActionForm
from app.api import tokens
from app.api.forms import CreateTokenForm
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown


def token_panel() -> dict:
    """What the profile page's token section shows (a template helper; queried only when used)."""
    return {"tokens": tokens.tokens_of(current_user), "form": CreateTokenForm(prefix="token"),
            "revoke_form": ConfirmActionForm(prefix="revoke")}


@login_required
def create_token():
    """Create a token and show its secret once; afterwards only its first characters are shown."""
    form = CreateTokenForm(prefix="token")
    if form.validate_on_submit():
        with refusal_shown(form):
            token, secret = tokens.create_token(current_user, name=form.name.data, scope=form.scope.data,
                                                valid_days=form.valid_days.data)
            # Rendered, not flashed: the secret must not travel in the session cookie.
            response = render_template("api/token_created.html", token=token, secret=secret)
            return response, 200, {"Cache-Control": "no-store"}
    return render_template("api/token_form.html", form=form), 400 if form.errors else 200


@login_required
def revoke_token(token_id: int):
    """Revoke one of the own tokens at once."""
    form = ConfirmActionForm(prefix="revoke")
    if not form.validate_on_submit():
        abort(400)
    token = tokens.own_token(current_user, token_id)
    if token is None:
        abort(404)
    tokens.revoke_token(token, current_user)
    flash(_("The token “%(name)s” has been revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile") + "#h-api-tokens")
