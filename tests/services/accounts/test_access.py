"""Registration, confirmation, password reset and language: every refusal of the use cases."""
from __future__ import annotations

import pytest

from portal.models import User
from portal.services.accounts import access
from portal.services.core.errors import InvalidInput, InvalidToken
from portal.services.core.tokens import make_token

PASSWORD = "un mot de passe assez long"


def test_register_reports_every_field(ctx):
    with pytest.raises(InvalidInput) as caught:
        access.register("pas une adresse", " x ", "court", home_territory_id=9999)
    assert caught.value.errors == {
        "email": ["Write a valid e-mail address."],
        "display_name": ["Write at least 2 characters."],
        "password": ["Use at least 10 characters."],
        "home_territory": ["Choose a commune from the list."],
    }
    with pytest.raises(InvalidInput) as caught:
        access.create_user("", "", "p" * 201, role="king")
    assert caught.value.errors == {
        "email": ["This field is required."], "display_name": ["This field is required."],
        "password": ["Write at most 200 characters."], "role": ["Choose one of the offered roles."],
    }
    with pytest.raises(InvalidInput) as caught:
        access.create_user("a@b.fr", "Nom" * 30, "")
    assert caught.value.errors == {"display_name": ["Write at most 80 characters."],
                                   "password": ["This field is required."]}


def test_an_address_is_taken_once_whatever_its_case(ctx, make, outbox):
    make.user(email="camille@example.org")
    with pytest.raises(InvalidInput) as caught:
        access.create_user(" Camille@Example.org ", "Camille", PASSWORD)
    assert caught.value.errors == {"email": ["An account already uses this e-mail address."]}
    access.register(" Camille@Example.org ", "Camille", PASSWORD)  # refused in silence
    assert [m["Subject"] for m in outbox.messages(to="camille@example.org")] == [
        "Quelqu'un a essayé de créer un compte avec votre adresse"]  # in its owner's language


def test_register_stores_clean_values(ctx, outbox):
    access.register(" Dominique@Example.org ", "  Dominique ", PASSWORD)
    user = access.find_by_email("dominique@example.org")
    assert (user.email, user.display_name) == ("dominique@example.org", "Dominique")
    assert outbox.messages(to="dominique@example.org")


def test_confirmation_links_that_do_not_match_an_account(ctx, make):
    user = ctx.get(make.user(verified=False))
    for payload in ({"uid": user.id, "email": "autre@example.org"}, {"uid": 9999}):
        with pytest.raises(InvalidToken, match="not valid"):
            access.verify_email(make_token(access.VERIFY, payload))
    with pytest.raises(InvalidToken, match="not valid"):
        access.verify_email("n'importe quoi")
    stale = {"uid": user.id, "email": user.email, "fp": "an older password"}
    with pytest.raises(InvalidToken, match="already been used"):
        access.verify_email(make_token(access.VERIFY, stale))
    token = make_token(access.VERIFY, {**stale, "fp": user.password_hash[-16:]})
    assert access.verify_email(token).is_verified
    with pytest.raises(InvalidToken, match="already been used"):
        access.verify_email(token)


def test_reset_password_refusals(ctx, make):
    user = ctx.get(make.user(verified=False))
    token = make_token(access.RESET, {"uid": user.id, "fp": user.password_hash[-16:]})
    with pytest.raises(InvalidInput) as caught:
        access.reset_password(token, "court")
    assert caught.value.errors == {"password": ["Use at least 10 characters."]}
    assert access.reset_password(token, PASSWORD).is_verified
    with pytest.raises(InvalidToken, match="already been used"):
        access.reset_password(token, PASSWORD)
    access.request_password_reset("personne@example.org")  # says nothing, sends nothing


def test_set_locale_accepts_only_offered_languages(ctx, make):
    user = ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        access.set_locale(user, "klingon")
    assert caught.value.errors == {"language": ["Choose one of the offered languages."]}
    access.set_locale(user, "en")
    assert user.locale == "en"


def test_authenticate(ctx, make):
    user = make.user(email="sacha@example.org")
    assert access.authenticate("sacha@example.org", "mauvais mot de passe") is None
    assert access.authenticate("inconnu@example.org", PASSWORD) is None
    from tests.conftest import PASSWORD as GOOD

    assert isinstance(access.authenticate(" SACHA@example.org", GOOD), User)
    assert user.id
