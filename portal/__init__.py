"""The application factory: the only place where the parts are wired together."""
from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from flask.logging import default_handler
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import caching, errors, i18n, security, templating, worker
from .config import build_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(env: str | None = None, overrides: Mapping | None = None) -> Flask:
    """Build the app for `env` (development, production, testing), then apply `overrides`."""
    app = Portal(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
    )
    env = env or os.environ.get("PORTAL_ENV", "development")
    app.config.from_mapping(build_config(env, Path(app.instance_path)))
    if overrides:
        app.config.from_mapping(overrides)
    # The remember-me cookie outlives no server-side session (services/accounts/sessions.py).
    app.config["REMEMBER_COOKIE_DURATION"] = app.config["SESSION_ABSOLUTE_LIFETIME"]
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx: the client's address (rate limits) and the scheme come from headers. The
        # host never does: links are built from PUBLIC_URL, and TRUSTED_HOSTS refuses the others.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    app.url_map.converters["int"] = DatabaseId
    register_extensions(app)
    caching.init_app(app)
    register_blueprints(app)
    errors.register(app)
    security.register(app)
    i18n.register(app)
    templating.register(app)
    register_commands(app)
    worker.init_app(app)
    return app


class Portal(Flask):
    """Flask, where a view that SQLite turned away with "database is locked" (another writer
    held the database past the busy timeout) runs again instead of answering 500. Use cases
    commit once, so a failed attempt left nothing behind."""

    LOCKED_ATTEMPTS = 4

    def dispatch_request(self):
        attempt = 1
        while True:
            try:
                return super().dispatch_request()
            except OperationalError as error:
                if "database is locked" not in str(error) or attempt >= self.LOCKED_ATTEMPTS:
                    raise
            db.session.rollback()
            time.sleep(0.05 * attempt)
            attempt += 1


class DatabaseId(IntegerConverter):
    """An id in a URL fits a database integer; a larger number is simply not found (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)  # the INTEGER primary keys of both databases
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (the metadata must know every table)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=None)
    limiter.init_app(app)
    # Its warnings (the storage is unreachable, counting in memory meanwhile) reach the log.
    limiter.logger.addHandler(default_handler)

    from .accounts.loading import configure_login

    configure_login(login_manager)


def register_blueprints(app: Flask) -> None:
    from .accounts.own_data import bp as own_data_bp
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .api.views import bp as api_bp
    from .leads.committee import bp as committee_bp
    from .leads.corrections import bp as lead_corrections_bp
    from .leads.views import bp as leads_bp
    from .moderation.views import bp as moderation_bp
    from .notifications.views import bp as notifications_bp
    from .opendata.views import bp as opendata_bp
    from .partners.views import bp as partners_bp
    from .projects.views import bp as projects_bp
    from .public.views import bp as public_bp
    from .submissions.views import bp as submissions_bp

    for blueprint in (public_bp, accounts_bp, own_data_bp, notifications_bp, submissions_bp,
                      moderation_bp, leads_bp, committee_bp, lead_corrections_bp, projects_bp,
                      api_bp, admin_bp,
                      partners_bp, opendata_bp):
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from .cli import commands

    for command in commands:
        app.cli.add_command(command)


#: How long a SQLite writer waits for another to finish before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 20_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, per connection. WAL lets readers go on while
    one writes, and a writer waits its turn instead of failing with "database is locked"."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
