"""Every POST route refuses a request without the form's CSRF token, or with a token from
another session (a forged cross-site form), once the token is checked as in production."""
from __future__ import annotations

import re

import pytest
from flask import url_for

MESSAGE = "ne venait pas de ce site"
#: JSON clients authenticate with a Bearer token, never a cookie: no CSRF token to carry.
EXEMPT_BLUEPRINTS = {"api"}
#: The signed token in the URL is the authority (RFC 8058 one-click unsubscribe from a mail).
EXEMPT_ENDPOINTS = {"notifications.unsubscribe"}
#: Exempt for visitors only, so not listed above: a visitor's language lives in their own
#: session, a forged form has nothing of theirs to change, and a form without a token lets pages
#: read without an account set no cookie (portal/caching.py). A logged-in person's choice is
#: stored on their account: the tests below, run logged in, expect it refused like any other.
VISITOR_EXEMPT_ENDPOINT = "public.set_language"


def exempt(endpoint: str) -> bool:
    return endpoint.split(".")[0] in EXEMPT_BLUEPRINTS or endpoint in EXEMPT_ENDPOINTS


def post_routes(app) -> list[tuple[str, str]]:
    """(endpoint, url) of every POST route, its arguments filled with a plausible value."""
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods:
                continue
            values = {name: 1 if type(converter).__name__ == "DatabaseId" else "x"
                      for name, converter in rule._converters.items()}
            routes.append((rule.endpoint, rule.build(values, append_unknown=False)[1]))
    return sorted(routes)


@pytest.fixture
def checked(app, monkeypatch, client, auth, admin):
    """An administrator's session (the widest rights), then tokens checked as in production."""
    auth.login(admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return client


def test_every_post_route_refuses_a_missing_token(app, checked):
    refused = []
    for endpoint, url in post_routes(app):
        response = checked.post(url, data={"title": "Sans jeton"})
        if exempt(endpoint):  # yet nothing happens without their own credential
            assert response.status_code in (400, 401, 415), (endpoint, response.status_code)
        else:
            assert response.status_code == 400 and MESSAGE in response.text, (
                endpoint, url, response.status_code)
            refused.append(endpoint)
    assert len(refused) == len(post_routes(app)) - 2


def test_every_post_route_refuses_a_token_from_another_session(app, checked):
    other = app.test_client()
    page = other.get("/compte/connexion").text
    foreign = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    for endpoint, url in post_routes(app):
        if exempt(endpoint):
            continue
        response = checked.post(url, data={"csrf_token": foreign, "title": "Jeton d'ailleurs"})
        assert response.status_code == 400 and MESSAGE in response.text, (endpoint, url)


def test_the_forms_own_token_still_works(app, checked):
    """The refusals above are the token's doing: with the page's own token the same session
    logs out."""
    page = checked.get("/compte/").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]
    response = checked.post("/compte/deconnexion", data={"csrf_token": token})
    assert response.status_code == 302


def test_a_visitor_changes_language_without_a_token_an_account_only_with_its_own(
        app, client, auth, monkeypatch, resident):
    from portal.extensions import db
    from portal.models import User

    auth.login(resident)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.test_request_context():
        url = url_for(VISITOR_EXEMPT_ENDPOINT)
    visitor = app.test_client()
    assert visitor.post(url, data={"language": "en", "next": "/"}).status_code == 302
    assert '<html lang="en">' in visitor.get("/").text

    forged = client.post(url, data={"language": "en", "next": "/"})
    assert forged.status_code == 400 and MESSAGE in forged.text
    with app.app_context():
        assert db.session.get(User, resident.id).locale != "en"
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                      client.get("/compte/").text)[1]
    own = client.post(url, data={"csrf_token": token, "language": "en", "next": "/"})
    assert own.status_code == 302
    with app.app_context():
        assert db.session.get(User, resident.id).locale == "en"
