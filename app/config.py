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
    # Installations (or tests) sharing one Redis keep their rate-limit counters apart by this prefix.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    # Redis down: count in each host's memory meanwhile, rather than failing every login.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Per client address: generous, since a jury room logs in behind one office address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "60 per minute")
    # Per account (the posted email): failed logins, so guessing one password stays slow.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per hour")
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
    UPLOAD_FOLDER: str | None = os.environ.get("UPLOAD_FOLDER")  # default: instance/uploads
    # Uploads: "local" (UPLOAD_FOLDER, the embedded default) or "s3" (any S3-compatible store, app/storage/s3.py).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    S3_ENDPOINT_URL: str | None = os.environ.get("S3_ENDPOINT_URL")
    S3_BUCKET: str | None = os.environ.get("S3_BUCKET")
    S3_REGION: str | None = os.environ.get("S3_REGION")
    S3_ACCESS_KEY_ID: str | None = os.environ.get("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY: str | None = os.environ.get("S3_SECRET_ACCESS_KEY")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE", "path")
    # "AES256" (SSE-S3) or "aws:kms" where the store offers it; empty for stores without encryption at rest.
    S3_SERVER_SIDE_ENCRYPTION = os.environ.get("S3_SERVER_SIDE_ENCRYPTION", "")
    # Redirect downloads to a short-lived signed URL instead of streaming them through the app.
    S3_SIGNED_DOWNLOADS = _env_bool("S3_SIGNED_DOWNLOADS", False)
    S3_SIGNED_URL_SECONDS = int(os.environ.get("S3_SIGNED_URL_SECONDS", "60"))

    CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    INVITE_TOKEN_MAX_AGE = 14 * 24 * 3600
    PASSWORD_MIN_LENGTH = 10
    # Jurors and applicants keep long forms open; a one-hour token would lose their work.
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    BASE_URL: str | None = os.environ.get("BASE_URL")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json": one JSON object per line (production default)
    # /metrics answers only a scraper sending this token (Authorization: Bearer …); unset: no metrics page.
    METRICS_TOKEN: str | None = os.environ.get("METRICS_TOKEN")
    # The RQ queue's name in Redis; installations sharing one Redis use different names.
    JOB_QUEUE_NAME = os.environ.get("JOB_QUEUE_NAME", "ideenwettbewerb")
    # How often the scheduler queues a delivery run of the outbox (mails whose request could not reach Redis).
    OUTBOX_DELIVERY_INTERVAL = int(os.environ.get("OUTBOX_DELIVERY_INTERVAL", "60"))
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
        if not app.config.get("UPLOAD_FOLDER"):
            app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, generated secret, mails only logged."""


class ProductionConfig(Config):
    """Production: secrets and database must come from the environment."""

    ENV_NAME = "production"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
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
    STORAGE_BACKEND = "local"
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
