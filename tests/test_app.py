"""What every page shares: health check, security headers, error pages, CSRF, settings, language."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.config import ConfigurationError, normalise_database_url
from portal.extensions import db
from portal.models import User

from .conftest import PASSWORD

UNREACHABLE = "postgresql+psycopg://127.0.0.1:1/nowhere"


def users_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


# Health check -----------------------------------------------------------------------------------

def test_health_check_reports_the_database(client):
    """The load balancer and the monitoring read this: the app answers and the database too."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "outbox": {
        "overdue": 0, "queued": 0, "sending": 0, "sent": 0, "failed": 0}}


def test_health_check_is_503_when_the_database_is_unreachable():
    """A real refused connection: the check says so instead of pretending all is well."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": UNREACHABLE})
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
    page = client.get("/")
    assert page.status_code == 500
    assert '<html lang="fr">' in page.text and "Traceback" not in page.text
    with app.app_context():
        db.engine.dispose()


# Headers and error pages ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/compte/connexion", "/compte/inscription", "/nulle-part"])
def test_every_page_carries_the_security_headers(client, path):
    """No inline script may run, the site cannot be framed, types are not sniffed."""
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_a_missing_page_is_a_friendly_french_404(client):
    """A lost visitor reads a real page in French, with a way back home."""
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert '<html lang="fr">' in response.text and "<h1>" in response.text
    assert 'href="/"' in response.text


def test_a_missing_api_resource_is_json(client):
    """A program asking for JSON gets JSON, not a page."""
    response = client.get("/nulle-part", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_a_wrong_method_is_a_405_that_says_what_is_allowed(client):
    """HTTP requires Allow on a 405; the friendly page must not drop it."""
    response = client.post("/")
    assert response.status_code == 405 and "<h1>" in response.text
    assert "GET" in response.headers["Allow"]
    logout = client.get("/compte/deconnexion")
    assert logout.status_code == 405 and logout.headers["Allow"].split(", ").count("POST") == 1


def test_a_body_too_large_is_a_friendly_413(app, client):
    """A huge post is refused before it is read, and nothing is stored."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/compte/inscription", data={
        "email": "gros@example.org", "display_name": "x" * (limit + 1), "password": PASSWORD,
        "password_confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 413
    assert '<html lang="fr">' in response.text and "<h1>" in response.text
    assert users_count(app) == 0


# CSRF -------------------------------------------------------------------------------------------

def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_form_without_its_token_saves_nothing_but_gives_back_what_was_typed(app, client,
                                                                              monkeypatch):
    """Protection against forged posts; the resident gets their text back, not the password."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/compte/inscription", data={
        "email": "nadia@example.org", "display_name": "Nadia la typée", "password": PASSWORD,
        "password_confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 400
    assert "Nadia la typée" in response.text
    assert PASSWORD not in response.text
    assert users_count(app) == 0


def test_a_form_with_its_token_goes_through(app, client, monkeypatch):
    """The same form sent from our own page is accepted: the protection blocks forgeries only."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = _csrf_token(client.get("/compte/inscription").text)
    response = client.post("/compte/inscription", data={
        "csrf_token": token, "email": "nadia@example.org", "display_name": "Nadia",
        "password": PASSWORD, "password_confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 302
    assert users_count(app) == 1


def test_a_forged_logout_does_not_log_out(app, client, auth, resident, monkeypatch):
    """Another site cannot log a resident out by posting to us."""
    auth.login(resident)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/compte/deconnexion").status_code == 400
    assert client.get("/compte/").status_code == 200


# Settings ---------------------------------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """A clean environment for building the production app, nothing written to the repository."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    for name in ("SECRET_KEY", "DATABASE_URL", "MODERATION_MODE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_real_secret(production_env, tmp_path):
    """A forgotten or guessable SECRET_KEY would let anyone forge sessions: fail at start-up."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")
    assert not (tmp_path / "secret_key").exists()
    for weak in ("changeme", "you-will-never-guess", "k" * 31, " " * 40):
        production_env.setenv("SECRET_KEY", weak)
        with pytest.raises(ConfigurationError):
            create_app("production")


def test_production_starts_with_a_long_secret_and_secure_cookies(production_env):
    """With a real key the app starts, and its cookies only travel over HTTPS."""
    key = "k" * 48
    production_env.setenv("SECRET_KEY", key)
    app = create_app("production")
    assert app.config["SECRET_KEY"] == key
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_keeps_its_own_secret_between_starts(production_env, tmp_path):
    """Without SECRET_KEY a laptop gets a random key kept in instance/, not a shared default."""
    first = create_app("development").config["SECRET_KEY"]
    second = create_app("development").config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text() == first


def test_an_unknown_moderation_mode_is_refused(production_env):
    """A typo in MODERATION_MODE must not silently publish everything."""
    production_env.setenv("MODERATION_MODE", "after")
    with pytest.raises(ConfigurationError, match="MODERATION_MODE"):
        create_app("testing")


@pytest.mark.parametrize("url", ["postgres://portal:secret@db.example:5432/portal",
                                 "postgresql://portal:secret@db.example:5432/portal"])
def test_hosting_database_urls_are_routed_to_psycopg(production_env, url):
    """Hosts hand out postgres://; SQLAlchemy needs postgresql+psycopg:// for psycopg 3."""
    production_env.setenv("DATABASE_URL", url)
    app = create_app("testing")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == \
        "postgresql+psycopg://portal:secret@db.example:5432/portal"


def test_other_database_urls_are_left_alone():
    """SQLite and already explicit drivers are not rewritten."""
    assert normalise_database_url("sqlite:///portal.sqlite3") == "sqlite:///portal.sqlite3"
    assert normalise_database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"


# Language ---------------------------------------------------------------------------------------

def test_the_portal_speaks_french_first(client):
    """French is the portal's first language, whatever the browser prefers."""
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="fr">' in page.text


def test_a_visitor_switches_to_english_and_back(client):
    """The footer switch changes the language of the following pages."""
    response = client.post("/langue", data={"language": "en", "next": "/contributions/"})
    assert response.status_code == 302 and response.headers["Location"] == "/contributions/"
    assert '<html lang="en">' in client.get("/").text
    assert '<html lang="en">' in client.get("/nulle-part").text
    client.post("/langue", data={"language": "fr"})
    assert '<html lang="fr">' in client.get("/").text


@pytest.mark.parametrize("language", ["klingon", "", "EN", "de"])
def test_an_unknown_language_leaves_the_page_in_french(client, language):
    """A made-up value is ignored: no error, the page stays French."""
    response = client.post("/langue", data={"language": language})
    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/").text


def test_a_residents_language_follows_them_to_another_device(app, client, auth, resident):
    """The choice is kept on the account, so logging in elsewhere opens the site in English."""
    auth.login(resident)
    client.post("/langue", data={"language": "en"})
    other_device = app.test_client()
    other_device.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD})
    assert '<html lang="en">' in other_device.get("/").text


# Rate limiting ----------------------------------------------------------------------------------

def test_the_21st_login_attempt_within_the_hour_is_refused_kindly(client, resident):
    """Password guessing from one address is slowed down, whichever accounts it tries (each
    account has its own limit too: tests/test_accounts.py); the person is told when to come
    back."""
    for n in range(20):
        response = client.post("/compte/connexion", data={"email": f"essai{n}@example.org",
                                                          "password": "pas le bon"})
        assert response.status_code == 422
    limited = client.post("/compte/connexion", data={"email": resident.email,
                                                     "password": PASSWORD})
    assert limited.status_code == 429
    assert '<html lang="fr">' in limited.text and "<h1>" in limited.text
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/compte/").status_code == 302  # the right password did not get through
    assert client.get("/compte/connexion").status_code == 200  # reading the page stays open


# Public pages -----------------------------------------------------------------------------------

def test_the_home_page_shows_what_is_published_and_nothing_pending(client, make):
    """Visitors see the published needs and ideas, never one still waiting for moderation."""
    make.submission(kind="need", title="Une laverie solidaire à Étouvie")
    make.submission(kind="idea", title="Une recyclerie de quartier")
    make.submission(kind="need", status="pending", title="Pas encore relu par l'équipe")
    page = client.get("/")
    assert page.status_code == 200
    assert "Une laverie solidaire à Étouvie" in page.text
    assert "Une recyclerie de quartier" in page.text
    assert "Pas encore relu" not in page.text
    assert "<strong>2</strong>" in page.text  # published contributions


def test_the_home_page_costs_the_same_queries_however_full(client, make, count_queries):
    """Cards must not each fetch their territory or theme: no N+1 on the busiest page."""
    make.submission(kind="need")
    make.submission(kind="idea")
    with count_queries() as few:
        client.get("/")
    for _ in range(5):
        make.submission(kind="need")
        make.submission(kind="idea")
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert many.count == few.count


def test_the_privacy_notice_is_public(client):
    """Anyone can read what is kept about them before registering (RGPD)."""
    page = client.get("/confidentialite")
    assert page.status_code == 200 and "<h1>" in page.text
    assert 'href="/confidentialite"' in client.get("/compte/inscription").text


def test_behind_a_trusted_proxy_the_client_address_and_https_are_honoured(tmp_path):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
                                 "TRUSTED_PROXIES": 1})
    seen = {}

    @app.get("/_probe")
    def probe():
        from flask import request
        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7",
                                               "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}
