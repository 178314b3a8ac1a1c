"""Account pages of the person themselves: register, confirm, log in and out, password reset, profile."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from app.accounts import rate_limits, services, tokens
from app.accounts.forms import (
    ChangePasswordForm,
    ConfirmActionForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    RequestResetForm,
    SetPasswordForm,
)
from app.core.i18n import LOCALE_SESSION_KEY
from app.core.i18n import gettext as _
from app.core.permissions import is_safe_next_url
from app.core.refusals import refusal_shown
from app.extensions import limiter


def _link_error(exc: tokens.TokenInvalid) -> str:
    if exc.expired:
        return _("This link has expired. Please request a new one.")
    return _("This link is invalid or has already been used.")


def register():
    """Register a new applicant account."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        locale = request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "de"
        locale = _session_locale() or locale
        with refusal_shown(form):
            services.register_user(email=form.email.data, name=form.name.data,
                                   organisation=form.organisation.data or "",
                                   password=form.password.data, locale=locale)
            flash(_("Almost done: we have sent you an email with a link to confirm your address."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


def _session_locale() -> str | None:
    return session.get(LOCALE_SESSION_KEY)


def confirm_email(token: str):
    """Confirm an email address from the link in the mail."""
    try:
        services.confirm_email(token)
    except tokens.TokenInvalid as exc:
        flash(_link_error(exc), "danger")
        return redirect(url_for("accounts.login"))
    flash(_("Thank you, your email address is confirmed. You can now log in."), "success")
    return redirect(url_for("accounts.login"))


@limiter.limit(rate_limits.address_limit, methods=["POST"])
@limiter.limit(rate_limits.account_limit, methods=["POST"], key_func=rate_limits.account_key,
               deduct_when=rate_limits.login_failed, error_message=rate_limits.ACCOUNT_LIMIT_MESSAGE)
def login():
    """Log in; the error never says whether the email exists."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            # Both fields are marked: the message must not tell which of the two was wrong.
            message = _("Email address or password is not correct, or the account is deactivated.")
            form.email.errors = [*form.email.errors, message]
            form.password.errors = [*form.password.errors, message]
        elif not user.is_confirmed:
            services.send_confirmation(user)
            flash(_("Please confirm your email address first. We have sent you a new link."), "warning")
        else:
            login_user(user, remember=form.remember.data)
            session.pop(LOCALE_SESSION_KEY, None)  # the profile language now applies
            target = form.next.data
            if is_safe_next_url(target):
                return redirect(target)
            # Administrators start at their cockpit (the competitions package serves it), others at home.
            return redirect(url_for("competitions.admin_home" if user.is_admin else "core.index"))
    return render_template("accounts/login.html", form=form)


@login_required
def logout():
    """Log out (POST, so a link elsewhere cannot log the user out); ends the user's sessions on the server."""
    services.log_out(current_user, everywhere=False)
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("core.index"))


@login_required
def logout_everywhere():
    """End every session and remember cookie of the user, on all devices."""
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    services.log_out(current_user, everywhere=True)
    logout_user()
    flash(_("You have been logged out on all devices."), "info")
    return redirect(url_for("accounts.login"))


@limiter.limit(rate_limits.address_limit, methods=["POST"])
@limiter.limit(rate_limits.account_limit, methods=["POST"], key_func=rate_limits.account_key,
               error_message=rate_limits.ACCOUNT_LIMIT_MESSAGE)  # no flood of reset mails to one person
def request_reset():
    """Ask for a password reset link."""
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for this address, we have sent a link to reset the password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/request_reset.html", form=form)


def _set_password_page(token: str, purpose: str, template: str, done_message: str):
    """Shared flow of the reset and invitation links: check the link, then set a password."""
    try:
        user = tokens.read_token(purpose, token, services.load_user)
    except tokens.TokenInvalid as exc:
        flash(_link_error(exc), "danger")
        return redirect(url_for("accounts.request_reset"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            with refusal_shown(form) as refusal:
                services.reset_password(token, form.password.data, purpose=purpose)
        except tokens.TokenInvalid as exc:
            flash(_link_error(exc), "danger")
            return redirect(url_for("accounts.request_reset"))
        if not refusal.refused:
            flash(done_message, "success")
            return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=user)


@limiter.limit(rate_limits.address_limit, methods=["POST"])  # like the login: slows down trying passwords or links
def reset_password(token: str):
    """Set a new password from a reset link."""
    return _set_password_page(token, tokens.PURPOSE_RESET, "accounts/reset_password.html",
                              _("Your password has been changed. You can now log in."))


@limiter.limit(rate_limits.address_limit, methods=["POST"])
def accept_invitation(token: str):
    """Set the first password from an invitation link."""
    return _set_password_page(token, tokens.PURPOSE_INVITE, "accounts/accept_invitation.html",
                              _("Welcome! Your password is set. You can now log in."))


@login_required
def profile():
    """Edit the own profile and change the password."""
    profile_form = ProfileForm(obj=current_user, prefix="profile")
    password_form = ChangePasswordForm(prefix="password")
    if profile_form.submit.data and profile_form.validate_on_submit():
        services.update_profile(current_user, name=profile_form.name.data,
                                organisation=profile_form.organisation.data or "",
                                locale=profile_form.locale.data)
        session.pop(LOCALE_SESSION_KEY, None)
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    if password_form.submit.data and password_form.validate_on_submit():
        with refusal_shown(password_form):
            services.change_password(current_user, password_form.current_password.data,
                                     password_form.password.data)
            # The change ended every session; this browser stays logged in with the new version.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", profile_form=profile_form, password_form=password_form,
                           logout_form=ConfirmActionForm())
