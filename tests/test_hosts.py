"""A hostile Host or X-Forwarded-Host takes over nothing: links come from PUBLIC_URL, and in
production a request for another host is refused."""
from __future__ import annotations

from portal import create_app


def test_production_refuses_a_request_for_another_host(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("PUBLIC_URL", "https://fabrique.example.org")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    for name in ("TRUSTED_HOSTS", "WEBHOOK_ALLOW_PRIVATE", "MODERATION_MODE"):
        monkeypatch.delenv(name, raising=False)
    app = create_app("production")
    assert app.config["TRUSTED_HOSTS"] == ["fabrique.example.org"]
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    # Behind the proxy, X-Forwarded-Host is not believed either.
    response = client.get("/healthz", headers={"Host": "fabrique.example.org",
                                                "X-Forwarded-Host": "evil.example"},
                          base_url="https://fabrique.example.org")
    assert response.status_code in (200, 503)  # the host is the real one; no database here
    monkeypatch.setenv("TRUSTED_HOSTS", "fabrique.example.org, www.fabrique.example.org")
    assert create_app("production").config["TRUSTED_HOSTS"] == [
        "fabrique.example.org", "www.fabrique.example.org"]


def test_the_reset_mail_links_to_public_url_whatever_the_request_says(app, client, resident,
                                                                     outbox, monkeypatch):
    """The account takeover of issue 12: a reset asked with a poisoned host mails the victim a
    link to the attacker's site. It now always points to PUBLIC_URL."""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    response = client.post("/compte/mot-de-passe-oublie", data={"email": resident.email},
                           headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 302
    [mail] = outbox.messages(resident.email)
    body = mail.get_content()
    assert "evil.example" not in body
    assert "http://portal.test/compte/nouveau-mot-de-passe/" in body


def test_a_page_asked_for_another_host_is_refused_with_a_message_not_an_error(monkeypatch,
                                                                             tmp_path):
    """The friendly error page links to the home page, which Flask cannot build for a host it
    refused: a hostile Host header on any page answered 500 (and logged a traceback)."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("PUBLIC_URL", "https://fabrique.example.org")
    for name in ("TRUSTED_HOSTS", "TRUSTED_PROXIES", "WEBHOOK_ALLOW_PRIVATE", "MODERATION_MODE"):
        monkeypatch.delenv(name, raising=False)
    client = create_app("production").test_client()
    page = client.get("/contributions/", headers={"Host": "evil.example",
                                                  "Accept-Language": "fr"})
    assert page.status_code == 400
    assert page.get_data(as_text=True) == "Ce site ne répond pas à cette adresse."
    api = client.get("/api/v1/submissions", headers={"Host": "evil.example"})
    assert api.status_code == 400
    assert api.get_json()["error"]["message"] == "Ce site ne répond pas à cette adresse."
