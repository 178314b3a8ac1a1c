"""Application factory."""

from __future__ import annotations

import logging

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, config_from_environment
from app.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman

# Only our own origin: Bootstrap and scripts are served by the app, no inline code.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    """Build the Flask app: settings, extensions, blueprints, errors, CLI, i18n."""
    app = Flask(__name__, instance_relative_config=True)
    config_class = config_class or config_from_environment()
    app.config.from_object(config_class)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(overrides)
    config_class().finalise(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"

    _configure_logging(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_cli(app)

    if app.config.get("BENCHMARK_MODE"):
        from app.core.benchmark import register_benchmark_mode

        register_benchmark_mode(app)
    if app.config.get("ENV_NAME") == "production":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # behind one proxy
    return app


def _configure_logging(app: Flask) -> None:
    from app.operations.logs import configure_logging

    level = getattr(logging, str(app.config.get("LOG_LEVEL", "INFO")).upper(), logging.INFO)
    app.logger.setLevel(level)
    if not app.debug and not app.testing:
        configure_logging(level, app.config["LOG_FORMAT"])  # JSON lines in production, with request ids


def _init_extensions(app: Flask) -> None:
    from app import storage as file_storage
    from app.accounts.services import load_logged_in_user
    from app.core import cache_headers, clean_input, transactions
    from app.core.cache import init_cache
    from app.core.formatting import register_filters
    from app.core.i18n import select_locale, select_timezone
    from app.core.navigation import register_navigation

    clean_input.init_app(app)  # no NUL characters from requests into the database
    db.init_app(app)
    transactions.init_app(app)  # one transaction per request; first, so it ends after the other steps
    migrate.init_app(app, db, render_as_batch=True)  # batch mode lets SQLite alter tables
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    init_cache(app)
    file_storage.init_app(app)  # uploads: local folder by default, S3-compatible store when configured
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        strict_transport_security=app.config["FORCE_HTTPS"],
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from app.core.i18n import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.user_loader(load_logged_in_user)
    register_filters(app)
    register_navigation(app)
    cache_headers.init_app(app)  # no-store for logged-in users' pages and downloads

    import app.accounts.models  # noqa: F401 - register models with the metadata
    import app.api.models  # noqa: F401
    import app.competitions.models  # noqa: F401
    import app.contracts.models  # noqa: F401
    import app.core.models  # noqa: F401
    import app.decisions.models  # noqa: F401
    import app.directory.models  # noqa: F401
    import app.jury.models  # noqa: F401
    import app.legal.models  # noqa: F401
    import app.privacy.models  # noqa: F401
    import app.proposals.models  # noqa: F401
    import app.ranking.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    """Each domain package registers its routes and its contributions to shared rules (its blueprint.py)."""
    from app.accounts import blueprint as accounts
    from app.api import blueprint as api
    from app.competitions import blueprint as competitions
    from app.contracts import blueprint as contracts
    from app.core import blueprint as core
    from app.decisions import blueprint as decisions
    from app.directory import blueprint as directory
    from app.jobs import blueprint as jobs
    from app.jury import blueprint as jury
    from app.legal import blueprint as legal
    from app.operations import blueprint as operations
    from app.privacy import blueprint as privacy
    from app.proposals import blueprint as proposals
    from app.ranking import blueprint as ranking

    for package in (operations, core, accounts, competitions, proposals, jury, ranking, decisions, contracts,
                    directory, legal, privacy, api, jobs):
        package.init_app(app)


def _register_errors(app: Flask) -> None:
    from flask import render_template

    from app.core.errors import register_error_handlers
    from app.core.i18n import gettext as _

    register_error_handlers(app)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(exc):
        return render_template(
            "errors/error.html",
            code=400,
            title=_("Form expired"),
            text=_("The form has expired or was sent from another site. Nothing was saved. "
                   "Please go back, reload the page and submit it again."),
        ), 400


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import register_cli as register_accounts_cli
    from app.contracts.cli import register_cli as register_contracts_cli
    from app.core.cli import register_cli as register_core_cli
    from app.demo import register_cli as register_demo_cli
    from app.jobs.cli import register_cli as register_jobs_cli
    from app.jury.cli import register_cli as register_jury_cli
    from app.privacy.cli import register_cli as register_privacy_cli

    register_core_cli(app)
    register_accounts_cli(app)
    register_demo_cli(app)
    register_contracts_cli(app)
    register_jury_cli(app)
    register_jobs_cli(app)
    register_privacy_cli(app)
