"""Shared fixtures: one app per database backend, emptied after every test.

The suite runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set: every test that
uses the `app` fixture runs once per backend.
"""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, make_url, text

from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db, limiter
from portal.services.core import reference
from portal.worker import drain_safely

from .factories import Factory

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(backend, tmp_path_factory):
    workdir = tmp_path_factory.mktemp(f"portal-{backend}")
    if backend == "postgresql":
        url = _worker_database(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    else:
        url = f"sqlite:///{workdir / 'portal.sqlite3'}"
    application = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "DATA_EXPORT_DIR": str(workdir / "exports"),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "portal.test",
        "PUBLIC_URL": "http://portal.test",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 30},
    })
    with application.app_context():
        _empty_schema()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own, created on first use, so two
    workers never empty each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _empty_schema() -> None:
    """Start from nothing, whatever an earlier version of the schema left in a kept database
    (a table since removed would otherwise block dropping the ones it points to)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
    else:
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


@pytest.fixture(autouse=True)
def _empty_database(request):
    """Every test starts from empty tables, an empty outbox, no data export and fresh rate-limit
    counters."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            # The running totals last: deleting the rows they count moves them (triggers).
            tables.append(tables.pop(tables.index("site_figures")))
            for table in tables:
                db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (names from our metadata)
        db.session.commit()
        reference.forget()  # the tables were emptied by raw SQL, behind the sessions' back
        limiter.reset()
    shutil.rmtree(application.config["MAIL_OUTBOX_DIR"], ignore_errors=True)
    shutil.rmtree(application.config["DATA_EXPORT_DIR"], ignore_errors=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


class Auth:
    """Log in and out through the real form, as a person would."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self.client.post("/compte/connexion", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/compte/deconnexion")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def resident(make):
    return make.user(email="camille@example.org", display_name="Camille")


@pytest.fixture
def moderator(make):
    return make.user(email="moderatrice@example.org", display_name="Inès", role="moderator")


@pytest.fixture
def admin(make):
    return make.user(email="admin@example.org", display_name="Admin", role="admin")


class Outbox:
    """The mails the app sent, parsed as a mail client would: the real worker first delivers
    what the outbox holds (to the folder transport), as it would a moment after the request."""

    def __init__(self, app):
        self.app = app
        self.folder = Path(app.config["MAIL_OUTBOX_DIR"])

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        drain_safely(self.app)
        if not self.folder.exists():
            return []
        parsed = [message_from_bytes(path.read_bytes(), policy=policy.default)
                  for path in sorted(self.folder.glob("*.eml"))]
        return [message for message in parsed if to is None or message["To"] == to]

    def last_link(self, to: str) -> str:
        """The last link mailed to `to`, as a path the test client can open."""
        for message in reversed(self.messages(to)):
            match = re.search(r"https?://[^/\s]+(/\S+)",
                              message.get_body(("plain",)).get_content())
            if match:
                return match.group(1)
        raise AssertionError(f"no link mailed to {to}")


def submit_link_page(client, link: str, **data):
    """Open a mailed link and send the form its page shows, with the hidden token it carries,
    as a person pressing its button does; returns the answer to the POST."""
    page = client.get(link)
    assert page.status_code == 200, page.text
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>((?:(?!</form>).)*?'
                     r'name="token" type="hidden" value="([^"]+)")', page.text, re.DOTALL)
    action, token = form.group(1), form.group(3)
    return client.post(action, data={"token": token, **data})


def take_part(client, auth, make, user):
    """What a resident leaves behind, through the pages: a contribution (followed), a comment
    and a support on another one. Leaves `user` logged in; returns both contributions."""
    own = make.submission(user, title="Des bancs au parc Saint-Pierre")
    other = make.submission(title="Un repair café à Longueau")
    make.comment(other, user, "Je viendrai avec mon grille-pain.")
    auth.login(user)
    client.post(f"/contributions/{other.id}/soutenir")
    client.post(f"/contributions/{own.id}/suivre")
    return own, other


@pytest.fixture
def outbox(app) -> Outbox:
    return Outbox(app)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter:` records every SQL statement the block sends."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine

        def record(conn, cursor, statement, *args):
            counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


# Project leads (issue 4) ----------------------------------------------------------------------

@pytest.fixture
def committee_member(make):
    return make.user(email="comite@example.org", display_name="Claude", role="committee")
