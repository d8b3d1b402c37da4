"""Settings read from the environment, with defaults that are safe to run on a laptop."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import wtforms

#: Our catalogs, then WTForms' own (its built-in messages such as "This field is required.").
TRANSLATION_DIRECTORIES = ";".join([
    str(Path(__file__).resolve().parent / "translations"),
    str(Path(wtforms.__file__).resolve().parent / "locale"),
])

WEAK_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "you-will-never-guess"}
MODERATION_MODES = ("pre", "post")
#: How the outbox is delivered: see portal/worker.py.
OUTBOX_DELIVERIES = ("queue", "thread", "manual")


class ConfigurationError(RuntimeError):
    """Raised at start-up when a setting would make the site unsafe or broken."""


#: A Redis cache that stops answering (its host gone, rather than refusing) holds a page this
#: long at most, then the page is read uncached (see portal/caching.py); without it, for ever.
REDIS_CACHE_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}

def normalise_database_url(url: str) -> str:
    """Accept the usual `postgres://` spellings and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance_path: Path) -> str:
    """A per-installation secret kept in instance/, so a laptop never runs on a guessable key."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _trusted_hosts(env: str, public_url: str) -> list[str] | None:
    """TRUSTED_HOSTS (comma-separated) if set; in production, PUBLIC_URL's host by default."""
    listed = [host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",")
              if host.strip()]
    if listed:
        return listed
    return [urlsplit(public_url).hostname or ""] if env == "production" else None


def web_workers() -> int:
    """How many processes serve the site: WEB_CONCURRENCY, which gunicorn also reads."""
    value = os.environ.get("WEB_CONCURRENCY", "1").strip() or "1"
    if not value.isascii() or not value.isdigit():
        raise ConfigurationError("WEB_CONCURRENCY must be a whole number of worker processes.")
    return int(value)


def _check_shared_rate_limits() -> None:
    """Each process counts on its own in memory: with several workers a limit of 20 wrong logins
    an hour becomes 20 per worker, so production refuses that combination."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if web_workers() > 1 and storage.startswith("memory://"):
        raise ConfigurationError(
            "WEB_CONCURRENCY is above 1 but RATELIMIT_STORAGE_URI keeps the rate limits in each "
            "process's memory, so every worker would count on its own. Set "
            "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (the Redis of REDIS_URL will do)."
        )


def build_config(env: str, instance_path: Path) -> dict:
    """Return the settings for `env` (development, production or testing)."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'portal.sqlite3'}"
    secret_key = os.environ.get("SECRET_KEY", "")
    if env == "production":
        if secret_key.strip().lower() in WEAK_SECRETS or len(secret_key) < 32:
            raise ConfigurationError(
                "SECRET_KEY is missing or too weak. In production set SECRET_KEY to a random value "
                "of at least 32 characters, e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`."
            )
        if _flag("WEBHOOK_ALLOW_PRIVATE", False):
            raise ConfigurationError(
                "WEBHOOK_ALLOW_PRIVATE is on. In production it would let a partner's webhook "
                "address reach the server's own network (localhost, cloud metadata, internal "
                "services): unset WEBHOOK_ALLOW_PRIVATE, it is meant for tests and development."
            )
        _check_shared_rate_limits()
    elif not secret_key:
        secret_key = (secrets.token_urlsafe(48) if env == "testing"
                      else _instance_secret(instance_path))

    moderation_mode = os.environ.get("MODERATION_MODE", "pre")
    if moderation_mode not in MODERATION_MODES:
        raise ConfigurationError("MODERATION_MODE must be 'pre' or 'post'.")

    public_url = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    mail_server = os.environ.get("MAIL_SERVER", "")
    redis_url = os.environ.get("REDIS_URL", "")
    outbox_delivery = os.environ.get("OUTBOX_DELIVERY") or (
        "manual" if env == "testing" else "queue" if redis_url else "thread")
    if outbox_delivery not in OUTBOX_DELIVERIES:
        raise ConfigurationError("OUTBOX_DELIVERY must be 'queue', 'thread' or 'manual'.")
    if outbox_delivery == "queue" and not redis_url:
        raise ConfigurationError("OUTBOX_DELIVERY=queue needs REDIS_URL.")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        # A logged-in browser is logged out after this long without a request, and after this
        # long whatever it does (seconds); the remember-me cookie lasts no longer.
        "SESSION_IDLE_LIFETIME": int(os.environ.get("SESSION_IDLE_LIFETIME", 7 * 24 * 3600)),
        "SESSION_ABSOLUTE_LIFETIME": int(os.environ.get("SESSION_ABSOLUTE_LIFETIME",
                                                        30 * 24 * 3600)),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "fr"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Paris"),
        "LANGUAGES": ("fr", "en"),
        "BABEL_TRANSLATION_DIRECTORIES": TRANSLATION_DIRECTORIES,
        "BABEL_DOMAIN": "messages;wtforms",
        "MODERATION_MODE": moderation_mode,
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 587)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", True),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Fabrique à initiatives <ne-pas-repondre@fabrique.local>"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "REDIS_URL": redis_url,
        "OUTBOX_DELIVERY": outbox_delivery,
        "OUTBOX_QUEUE": os.environ.get("OUTBOX_QUEUE", "portal-outbox"),
        "OUTBOX_LEASE_SECONDS": float(os.environ.get("OUTBOX_LEASE_SECONDS", 300)),
        "OUTBOX_POLL_SECONDS": float(os.environ.get("OUTBOX_POLL_SECONDS", 15)),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: count in this process's memory meanwhile (Flask-Limiter logs it) and never
        # turn a request into a 500 because the counters cannot be reached.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000" if env == "testing" else "scrypt",
        "EMAIL_TOKEN_MAX_AGE": 3 * 24 * 3600,
        "RESET_TOKEN_MAX_AGE": 3600,
        "UNCONFIRMED_ACCOUNT_DAYS": int(os.environ.get("UNCONFIRMED_ACCOUNT_DAYS", 14)),
        # "Mes données": where the worker writes each export, and how long its mailed link works.
        "DATA_EXPORT_DIR": os.environ.get("DATA_EXPORT_DIR", str(instance_path / "exports")),
        "DATA_EXPORT_MAX_AGE": int(os.environ.get("DATA_EXPORT_MAX_AGE", 7 * 24 * 3600)),
        "COMMENT_EDIT_WINDOW_MINUTES": 15,
        "FLAG_THRESHOLD": int(os.environ.get("FLAG_THRESHOLD", 3)),
        # Days without news after which a need's author is asked whether it is still a need.
        "STILL_A_NEED_AFTER_DAYS": int(os.environ.get("STILL_A_NEED_AFTER_DAYS", 42)),
        # Hours an old webhook secret keeps signing beside the new one after a rotation.
        "WEBHOOK_SECRET_GRACE_HOURS": float(os.environ.get("WEBHOOK_SECRET_GRACE_HOURS", 24)),
        # Spam: an account younger than NEW_ACCOUNT_DAYS posts at most NEW_ACCOUNT_DAILY_POSTS
        # contributions a day; a public form sent sooner than FORM_MIN_SECONDS after it was
        # shown is refused (a robot fills it at once). 0 turns either off, as the test suite
        # does except in the tests of these rules.
        "NEW_ACCOUNT_DAYS": int(os.environ.get("NEW_ACCOUNT_DAYS", 7)),
        "NEW_ACCOUNT_DAILY_POSTS": int(os.environ.get("NEW_ACCOUNT_DAILY_POSTS",
                                                      0 if env == "testing" else 3)),
        "FORM_MIN_SECONDS": float(os.environ.get("FORM_MIN_SECONDS",
                                                 0 if env == "testing" else 3)),
        "WEBHOOK_ALLOW_PRIVATE": _flag("WEBHOOK_ALLOW_PRIVATE", False),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300/hour"),
        "TRENDING_DAYS": 14,
        # Pages read without an account, kept this long in the cache (see portal/caching.py):
        # Redis when there is one; in one process on a laptop; none in tests unless asked.
        "CACHE_TYPE": "RedisCache" if redis_url else
        "SimpleCache" if env == "development" else "NullCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "portal-cache:",
        "CACHE_NO_NULL_WARNING": True,
        "CACHE_OPTIONS": REDIS_CACHE_OPTIONS if redis_url else None,
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", 60)),
        # How long a process keeps the territories and themes it read (services/core/reference).
        "REFERENCE_KEPT_SECONDS": float(os.environ.get("REFERENCE_KEPT_SECONDS", 60)),
        "PER_PAGE": 20,
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "PUBLIC_URL": public_url,
        # Flask answers 400 to a request for any other host (None: any host, on a laptop).
        "TRUSTED_HOSTS": _trusted_hosts(env, public_url),
        "SITE_NAME": os.environ.get("SITE_NAME", "Fabrique à initiatives de la Métropole"),
        # Who runs the portal: the footer and the legal notice (mentions légales) show them.
        "OPERATOR_NAME": os.environ.get(
            "OPERATOR_NAME", "Fabrique à initiatives d'Amiens Métropole (démonstration)"),
        "OPERATOR_ADDRESS": os.environ.get(
            "OPERATOR_ADDRESS", "Adresse à renseigner (réglage OPERATOR_ADDRESS)"),
        "OPERATOR_CONTACT": os.environ.get("OPERATOR_CONTACT", "contact@demo.fabrique-amiens.fr"),
        "PUBLICATION_DIRECTOR": os.environ.get(
            "PUBLICATION_DIRECTOR", "La direction de la structure qui exploite le portail"),
        "HOST_NAME": os.environ.get("HOST_NAME", "Hébergeur à renseigner (réglage HOST_NAME)"),
        "HOST_ADDRESS": os.environ.get("HOST_ADDRESS", ""),
        "PREFERRED_URL_SCHEME": "https" if env == "production" else "http",
        "TESTING": env == "testing",
    }
