"""Accounts as a resident meets them: register, confirm, log in and out, reset a password."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import User

from .conftest import PASSWORD

FORM = {"email": "Nadia@Example.org", "display_name": "Nadia B.", "password": PASSWORD,
        "password_confirm": PASSWORD, "home_territory": "", "consent": "y"}


def stored(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_register_confirm_by_mail_then_post(app, client, outbox):
    response = client.post("/compte/inscription", data=FORM)
    assert response.status_code == 302
    user = stored(app, "nadia@example.org")
    assert user.password_hash != PASSWORD and user.email_verified_at is None
    assert client.get("/contributions/nouvelle").headers["Location"].endswith("/compte/")
    confirmed = client.get(outbox.last_link("nadia@example.org"))
    assert confirmed.status_code == 302
    assert stored(app, "nadia@example.org").email_verified_at is not None
    assert client.get("/contributions/nouvelle").status_code == 200


@pytest.mark.parametrize("field, value", [
    ("email", "pas-une-adresse"), ("password", "court"), ("password_confirm", "autre chose!!"),
    ("consent", ""), ("home_territory", "999"), ("home_territory", "abc"), ("display_name", "N"),
])
def test_bad_registrations_keep_what_was_typed(app, client, field, value):
    response = client.post("/compte/inscription", data={**FORM, field: value})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    if field != "display_name":
        assert 'value="Nadia B."' in response.text
    assert PASSWORD not in response.text
    assert stored(app, "nadia@example.org") is None


def test_an_address_registers_once_whatever_its_case(client, make):
    make.user(email="nadia@example.org")
    response = client.post("/compte/inscription", data=FORM)
    assert response.status_code == 422 and 'id="email-error"' in response.text


def test_a_tampered_or_expired_link_is_a_friendly_400(app, client, outbox, monkeypatch):
    client.post("/compte/inscription", data=FORM)
    link = outbox.last_link("nadia@example.org")
    assert client.get(link[:-3] + "xyz").status_code == 400
    monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE", -1)
    assert client.get(link).status_code == 400
    assert stored(app, "nadia@example.org").email_verified_at is None


def test_resending_the_confirmation(client, auth, make, outbox):
    user = make.user(email="lent@example.org", verified=False)
    auth.login(user)
    client.post("/compte/confirmer")
    assert len(outbox.messages("lent@example.org")) == 1


def test_login_logout_and_safe_next(client, auth, resident):
    response = client.post("/compte/connexion", data={
        "email": "CAMILLE@example.org", "password": PASSWORD, "next": "/contributions/"})
    assert response.headers["Location"] == "/contributions/"
    client.post("/compte/deconnexion")
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post("/compte/connexion", data={
            "email": resident.email, "password": PASSWORD, "next": target})
        assert response.headers["Location"] == "/"
        client.post("/compte/deconnexion")


@pytest.mark.parametrize("email, password", [("camille@example.org", "mauvais mot de passe"),
                                             ("inconnu@example.org", PASSWORD)])
def test_wrong_credentials_say_the_same_thing(client, resident, email, password):
    response = client.post("/compte/connexion", data={"email": email, "password": password})
    assert response.status_code == 422
    assert f'value="{email}"' in response.text and 'id="password-error"' in response.text


def test_remember_me_and_cookie_flags(client, resident):
    response = client.post("/compte/connexion", data={
        "email": resident.email, "password": PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    session = next(c for c in cookies if c.startswith("session="))
    for cookie in (remember, session):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_reset_by_an_expiring_single_use_link(app, client, auth, resident, outbox,
                                                       monkeypatch):
    client.post("/compte/mot-de-passe-oublie", data={"email": "personne@example.org"})
    assert outbox.messages() == []
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    link = outbox.last_link(resident.email)
    new = "un tout nouveau mot de passe"
    assert client.post(link, data={"password": "court", "password_confirm": "court"}
                       ).status_code == 422
    assert client.post(link, data={"password": new, "password_confirm": new}).status_code == 302
    client.post("/compte/deconnexion")
    assert client.get(link).status_code == 400
    assert auth.login(resident).status_code == 422
    assert auth.login(resident, new).status_code == 302
    client.post("/compte/deconnexion")
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)
    assert client.get(outbox.last_link(resident.email)).status_code == 400


def test_the_profile_needs_a_login(client):
    response = client.get("/compte/")
    assert response.status_code == 302 and "next=/compte/" in response.headers["Location"]
