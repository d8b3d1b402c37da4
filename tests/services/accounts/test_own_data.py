"""The resident's own data: every refusal of profile changes, e-mail change and deletion."""
from __future__ import annotations

import pytest

from portal.services.accounts import deletion, profile
from portal.services.core.errors import InvalidInput, InvalidToken, NotAllowed
from portal.services.core.tokens import make_token

from ...conftest import PASSWORD


def test_update_profile_refusals(ctx, make):
    make.user(display_name="Inès", role="moderator")
    user = ctx.get(make.user(display_name="Camille"))
    with pytest.raises(InvalidInput) as caught:
        profile.update_profile(user, "x", 99999)
    assert caught.value.errors == {"display_name": ["Write at least 2 characters."],
                                   "home_territory": ["Choose a commune from the list."]}
    with pytest.raises(InvalidInput, match="could be taken for the Fabrique"):
        profile.update_profile(user, "INÈS", None)
    assert profile.update_profile(user, "Camille D.", None).display_name == "Camille D."


def test_a_staff_member_keeps_their_own_name(ctx, make):
    staff = ctx.get(make.user(display_name="Inès", role="moderator"))
    assert profile.update_profile(staff, "Inès", None).display_name == "Inès"


def test_change_password_refusals(ctx, make):
    user = ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        profile.change_password(user, "pas le bon", "court")
    assert caught.value.errors == {"current_password": ["This is not your password."],
                                   "password": ["Use at least 10 characters."]}


def test_request_email_change_refusals(ctx, make, outbox):
    user = ctx.get(make.user(email="camille@example.org"))
    with pytest.raises(InvalidInput) as caught:
        profile.request_email_change(user, "pas une adresse", "")
    assert caught.value.errors == {"email": ["Write a valid e-mail address."],
                                   "current_password": ["This is not your password."]}
    with pytest.raises(InvalidInput) as caught:
        profile.request_email_change(user, " Camille@Example.org ", PASSWORD)
    assert caught.value.errors == {"email": ["This is already your address."]}
    assert outbox.messages() == []


def test_an_address_already_taken_gets_no_link_and_nothing_is_revealed(ctx, make, outbox):
    make.user(email="prise@example.org")
    user = ctx.get(make.user(email="camille@example.org"))
    profile.request_email_change(user, "prise@example.org", PASSWORD)
    assert [m["To"] for m in outbox.messages()] == ["camille@example.org"]


def test_email_change_links_that_do_not_hold(ctx, make):
    user = ctx.get(make.user(email="camille@example.org"))
    with pytest.raises(InvalidToken, match="not valid"):
        profile.check_email_change_token(make_token(profile.CHANGE_EMAIL, {"uid": 9999}))
    stale = {"uid": user.id, "email": "neuve@example.org", "old": "ancienne@example.org",
             "fp": user.password_hash[-16:]}
    with pytest.raises(InvalidToken, match="already been used"):
        profile.confirm_email_change(make_token(profile.CHANGE_EMAIL, stale))


def test_delete_account_refusals(ctx, make):
    staff = ctx.get(make.user(role="admin"))
    with pytest.raises(NotAllowed, match="administrator"):
        deletion.delete_account(staff, PASSWORD, False)
    user = ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        deletion.delete_account(user, "", True)
    assert caught.value.errors == {"password": ["This is not your password."]}
