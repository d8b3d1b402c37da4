"""What every page shares: health check, security headers, error pages, CSRF, settings, language."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigurationError, normalise_database_url
from portal.extensions import db
from portal.models import User
from portal.sanitize import render_markdown

from .conftest import PASSWORD


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_check_is_503_when_the_database_is_unreachable():
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI":
                                 "postgresql+psycopg://127.0.0.1:1/nowhere?connect_timeout=2"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_security_headers(client):
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_friendly_error_pages(client):
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and '<html lang="fr">' in missing.text
    assert "<h1>" in missing.text
    assert client.post("/").status_code == 405
    huge = client.post("/compte/inscription", data={"display_name": "x" * (2 * 1024 * 1024)})
    assert huge.status_code == 413 and "<h1>" in huge.text


def test_an_expired_form_keeps_what_was_typed_but_never_the_password(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/compte/inscription", data={
        "email": "nadia@example.org", "display_name": "Nadia la typée", "password": PASSWORD,
        "password_confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 400
    assert "Nadia la typée" in response.text and PASSWORD not in response.text
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_production_refuses_a_missing_or_weak_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(ConfigurationError):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_urls_are_routed_to_psycopg():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_french_by_default_english_on_request(client, auth, resident):
    home = client.get("/")
    assert '<html lang="fr">' in home.text and "Besoins" in home.text
    client.post("/langue", data={"language": "en", "next": "/contributions/"})
    english = client.get("/")
    assert '<html lang="en">' in english.text and "Needs" in english.text
    client.post("/langue", data={"language": "klingon"})
    assert '<html lang="en">' in client.get("/").text


def test_too_many_logins_get_a_429_with_retry_after(client):
    for _ in range(20):
        client.post("/compte/connexion", data={"email": "a@example.org", "password": "x"})
    limited = client.post("/compte/connexion", data={"email": "a@example.org", "password": "x"})
    assert limited.status_code == 429 and "<h1>" in limited.text
    assert limited.headers.get("Retry-After")


@pytest.mark.parametrize("text, absent", [
    ("<script>alert(1)</script>", "<script"), ('<img src=x onerror="alert(1)">', "onerror"),
    ("[clic](javascript:alert(1))", "javascript:"), ("# Un titre", "<h1>"),
    ("![image](http://example.org/x.png)", "<img"),
])
def test_markdown_is_cleaned(text, absent):
    assert absent not in render_markdown(text)


def test_markdown_keeps_what_residents_need():
    html = render_markdown("**Important** : voir https://amiens.fr et [le site](https://a.fr)\n\n"
                           "- un\n- deux")
    assert "<strong>Important</strong>" in html and "<li>un</li>" in html
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert render_markdown("") == ""
