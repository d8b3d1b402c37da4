"""A live server on 127.0.0.1 and Debian's headless Chromium, driven by Playwright."""
from __future__ import annotations

import os
import re
import shutil
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from portal.models import Territory, Theme
from portal.services.accounts.access import create_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "un mot de passe solide"


#: A page that fails, registered only on the test site: the way to see the 500 page in a browser.
FAILING_PATH = "/essai/panne"


def _fail():
    raise RuntimeError("a failure the browser tests provoke")


class LiveSite:
    def __init__(self, app, url: str):
        self.app = app
        self.url = url
        self.outbox = Path(app.config["MAIL_OUTBOX_DIR"])

    def last_link(self, to: str, wait: float = 10.0) -> str:
        """The link of the last mail to `to`: the site's own outbox thread delivers it a moment
        after the request, as on a laptop without Redis, so look again for a while."""
        deadline = time.monotonic() + wait
        while True:
            for path in sorted(self.outbox.glob("*.eml"), reverse=True):
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] == to:
                    return next(word for word in message.get_content().split()
                                if word.startswith("http"))
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to}")
            time.sleep(0.05)

    def user(self, email: str, name: str, role: str = "resident"):
        with self.app.app_context():
            return create_user(email, name, PASSWORD, role=role, verified=True).id

    def ids(self, model, **filters) -> list[int]:
        with self.app.app_context():
            return [row.id for row in db.session.query(model).filter_by(**filters)]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("e2e")
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        "MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "OUTBOX_DELIVERY": "thread",
        "OUTBOX_POLL_SECONDS": 1,
    })
    with app.app_context():
        db.create_all()
        metropole = Territory(code="80-metro", name="Amiens Métropole", level="metropole")
        db.session.add(metropole)
        db.session.flush()
        metropole.path = f"/{metropole.id}/"
        for code, name in (("80489", "Longueau"), ("80261", "Dury")):
            commune = Territory(code=code, name=name, level="commune", parent_id=metropole.id)
            db.session.add(commune)
            db.session.flush()
            commune.path = f"{metropole.path}{commune.id}/"
        db.session.add_all([
            Theme(code="bien-vieillir", name_fr="Bien-vieillir", name_en="Ageing well", position=1),
            Theme(code="mobilite", name_fr="Mobilité", name_en="Mobility", position=2),
        ])
        db.session.commit()
    app.add_url_rule(FAILING_PATH, "failing_for_tests", _fail)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    yield LiveSite(app, url)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def log_in(page, site: LiveSite, email: str) -> None:
    page.goto(f"{site.url}/compte/connexion")
    page.get_by_label(re.compile("^Adresse e-mail")).fill(email)
    page.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
