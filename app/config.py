"""Configuration classes; every setting comes from the environment or instance/config.py."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def development_secret_key(instance_path: str) -> str:
    """Return the development secret key, creating it once with private permissions."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Create with 0600 from the start so the key is never world-readable.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def normalise_database_url(url: str | None) -> str | None:
    """Use the psycopg 3 driver for plain postgresql:// URLs (as hosting platforms give them)."""
    if not url:
        return url
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL: str | None = os.environ.get("REDIS_URL")
    # Computed figures (app/core/cache.py): entries kept in-process without Redis, and their lifetime.
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "32"))
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_DEFAULT_TIMEOUT", str(24 * 3600)))
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "ideenwettbewerb:")

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    MAIL_SERVER: str | None = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME: str | None = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD: str | None = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Ideenwettbewerb <noreply@example.org>")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    FORCE_HTTPS = _env_bool("FORCE_HTTPS", False)

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    DIRECTORY_CONTACT_RATE_LIMIT = os.environ.get("DIRECTORY_CONTACT_RATE_LIMIT", "5 per hour")
    # Accessibility statement (BITV 2.0 § 7): where barrier reports go (default: every administrator).
    ACCESSIBILITY_FEEDBACK_EMAIL: str | None = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL")
    ACCESSIBILITY_FEEDBACK_RATE_LIMIT = os.environ.get("ACCESSIBILITY_FEEDBACK_RATE_LIMIT", "5 per hour")
    # Retention (`flask retention`, docs/operations.md).
    DRAFT_RETENTION_MONTHS = int(os.environ.get("DRAFT_RETENTION_MONTHS", "12"))
    OUTBOX_BODY_RETENTION_DAYS = int(os.environ.get("OUTBOX_BODY_RETENTION_DAYS", "90"))
    AUDIT_IP_RETENTION_DAYS = int(os.environ.get("AUDIT_IP_RETENTION_DAYS", "180"))
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "5"))
    OPEN_DATA_PUBLISHER: str | None = os.environ.get("OPEN_DATA_PUBLISHER")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(12 * 1024 * 1024)))
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024

    CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    INVITE_TOKEN_MAX_AGE = 14 * 24 * 3600
    PASSWORD_MIN_LENGTH = 10
    # Jurors and applicants keep long forms open; a one-hour token would lose their work.
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    BASE_URL: str | None = os.environ.get("BASE_URL")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    BENCHMARK_MODE = _env_bool("BENCHMARK_MODE", False)

    def finalise(self, app) -> None:
        """Fill settings that depend on the instance folder."""
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = development_secret_key(app.instance_path)
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            app.config.get("SQLALCHEMY_DATABASE_URI"))
        if not app.config.get("SQLALCHEMY_DATABASE_URI"):
            db_path = Path(app.instance_path) / "ideenwettbewerb.sqlite"
            app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
        app.config.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "uploads"))


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, generated secret, mails only logged."""


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True

    def finalise(self, app) -> None:
        """Refuse to start without the settings production cannot guess."""
        missing = [
            name
            for name in ("SECRET_KEY", "DATABASE_URL")
            if not os.environ.get(name) and not app.config.get(_CONFIG_KEY[name])
        ]
        if missing:
            raise RuntimeError(
                "Production configuration is incomplete; set: " + ", ".join(missing)
            )
        super().finalise(app)


_CONFIG_KEY = {"SECRET_KEY": "SECRET_KEY", "DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


class TestConfig(Config):
    """Tests: isolated database, CSRF on (tests fetch tokens), mails only stored."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - test only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    MAIL_SERVER = None
    REDIS_URL = None
    RATELIMIT_ENABLED = True
    SERVER_NAME = None


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}


def config_from_environment() -> type[Config]:
    """Pick the configuration class named by APP_ENV or FLASK_ENV (default development)."""
    name = os.environ.get("APP_ENV") or os.environ.get("FLASK_ENV") or "development"
    try:
        return CONFIGS[name.lower()]
    except KeyError as exc:
        raise RuntimeError(f"Unknown APP_ENV {name!r}; use one of {sorted(CONFIGS)}") from exc
