"""Two-factor authentication for staff, as a moderator turns it on, logs in and turns it off."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import RecoveryCode, User

from .conftest import PASSWORD


def secret_on_page(page: str) -> str:
    return re.search(r"<code>([A-Z2-7]{32})</code>", page).group(1)


def turn_on(client) -> tuple[str, list[str]]:
    """Through the security page: start, scan (read the key), type a code; returns the secret
    and the recovery codes the page shows once."""
    client.post("/compte/securite/commencer")
    page = client.get("/compte/securite").text
    assert 'src="data:image/svg+xml' in page
    secret = secret_on_page(page)
    response = client.post("/compte/securite", data={"password": PASSWORD,
                                                     "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and "La double authentification est activée" in response.text
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", response.text)
    assert len(codes) == 10
    return secret, codes


def log_in_with_password(client, user, **extra):
    return client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD,
                                                  **extra})


def is_logged_in(client) -> bool:
    return client.get("/compte/").status_code == 200


def next_code(secret: str) -> str:
    """The code of the next 30 s step: accepted (phone clocks drift), and newer than the one
    that turned the factor on, which is spent."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_a_moderator_turns_it_on_and_the_login_then_asks_for_the_code(app, client, auth,
                                                                     moderator):
    auth.login(moderator)
    secret, codes = turn_on(client)
    assert codes[0] not in client.get("/compte/securite").text  # shown once
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    auth.logout()

    response = log_in_with_password(client, moderator, next="/moderation/")
    assert response.status_code == 302 and "/compte/connexion/code" in response.headers["Location"]
    assert not is_logged_in(client)
    wrong = client.post("/compte/connexion/code", data={"code": "000000"})
    assert wrong.status_code == 422
    assert "Ce code n’est pas valide" in wrong.text.replace("&#39;", "’")
    assert not is_logged_in(client)
    done = client.post(response.headers["Location"], data={"code": next_code(secret)})
    assert done.status_code == 302 and done.headers["Location"] == "/moderation/"
    assert is_logged_in(client)


def test_a_code_works_once(app, client, auth, moderator):
    """A code seen over a shoulder cannot be typed again by someone else."""
    auth.login(moderator)
    secret, _codes = turn_on(client)
    auth.logout()
    log_in_with_password(client, moderator)
    code = next_code(secret)
    assert client.post("/compte/connexion/code", data={"code": code}).status_code == 302
    other = app.test_client()
    log_in_with_password(other, moderator)
    assert other.post("/compte/connexion/code", data={"code": code}).status_code == 422
    assert not is_logged_in(other)


def test_the_password_alone_no_longer_opens_the_account(app, client, auth, moderator):
    """Skipping the code page leaves the visitor logged out."""
    auth.login(moderator)
    turn_on(client)
    auth.logout()
    log_in_with_password(client, moderator)
    assert client.get("/moderation/").status_code == 302
    assert not is_logged_in(client)


def test_a_recovery_code_logs_in_once(app, client, auth, moderator):
    auth.login(moderator)
    _secret, codes = turn_on(client)
    auth.logout()
    log_in_with_password(client, moderator)
    assert client.post("/compte/connexion/code", data={"code": codes[0].upper()}
                       ).status_code == 302
    assert is_logged_in(client)
    assert "9 codes de secours restants" in client.get("/compte/securite").text
    auth.logout()
    log_in_with_password(client, moderator)
    assert client.post("/compte/connexion/code", data={"code": codes[0]}).status_code == 422
    assert not is_logged_in(client)


def test_turning_it_off_takes_the_password_and_a_code(app, client, auth, moderator):
    auth.login(moderator)
    secret, _codes = turn_on(client)
    refused = client.post("/compte/securite", data={"password": "pas le bon mot de passe",
                                                   "code": "123456"})
    assert refused.status_code == 422
    assert "Ce n’est pas votre mot de passe" in refused.text.replace("&#39;", "’")
    assert "Ce code n’est pas valide" in refused.text.replace("&#39;", "’")
    off = client.post("/compte/securite", data={"password": PASSWORD,
                                               "code": next_code(secret)})
    assert off.status_code == 302
    with app.app_context():
        user = db.session.get(User, moderator.id)
        assert user.totp_secret is None and not user.has_two_factor
        assert db.session.scalars(select(RecoveryCode)).all() == []
    auth.logout()
    assert log_in_with_password(client, moderator).headers["Location"] == "/"


def test_a_wrong_first_code_does_not_turn_it_on(app, client, auth, moderator):
    auth.login(moderator)
    client.post("/compte/securite/commencer")
    response = client.post("/compte/securite", data={"password": PASSWORD, "code": "12"})
    assert response.status_code == 422 and 'src="data:image/svg+xml' in response.text
    with app.app_context():
        assert not db.session.get(User, moderator.id).has_two_factor


@pytest.mark.parametrize("role", ["committee", "admin"])
def test_every_staff_role_is_offered_it(client, auth, make, role):
    user = make.user(role=role)
    auth.login(user)
    assert "Double authentification" in client.get("/compte/").text
    assert client.get("/compte/securite").status_code == 200


def test_residents_are_not_offered_it(client, auth, resident):
    auth.login(resident)
    assert "Double authentification" not in client.get("/compte/").text
    assert client.get("/compte/securite").status_code == 404


def test_the_code_page_without_a_password_first_sends_to_login(client):
    response = client.post("/compte/connexion/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"] == "/compte/connexion"
