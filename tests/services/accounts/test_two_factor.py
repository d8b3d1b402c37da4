"""Two-factor authentication: every refusal of the use cases."""
from __future__ import annotations

import pyotp
import pytest

from portal.services.accounts import two_factor
from portal.services.core.errors import InvalidInput, NotAllowed

from ...conftest import PASSWORD


def test_only_staff_may_turn_it_on(ctx, make):
    resident = ctx.get(make.user())
    with pytest.raises(NotAllowed, match="staff accounts"):
        two_factor.begin(resident)
    assert resident.totp_secret is None


def test_enable_needs_a_started_setup_the_password_and_a_right_code(ctx, make):
    user = ctx.get(make.user(role="moderator"))
    with pytest.raises(NotAllowed, match="Start again"):
        two_factor.enable(user, PASSWORD, "123456")
    two_factor.begin(user)
    with pytest.raises(InvalidInput) as caught:
        two_factor.enable(user, "faux", "")
    assert caught.value.errors == {"password": ["This is not your password."],
                                   "code": ["This field is required."]}
    with pytest.raises(InvalidInput) as caught:
        two_factor.enable(user, PASSWORD, "abcdef")
    assert caught.value.errors == {
        "code": ["This code is not valid. Type the code your app shows now."]}
    codes = two_factor.enable(user, PASSWORD, pyotp.TOTP(user.totp_secret).now())
    assert len(codes) == 10 and two_factor.recovery_codes_left(user) == 10
    with pytest.raises(NotAllowed, match="already on"):
        two_factor.begin(user)


def test_disable_refuses_when_off(ctx, make):
    user = ctx.get(make.user(role="admin"))
    with pytest.raises(NotAllowed, match="not on"):
        two_factor.disable(user, PASSWORD, "123456")


def test_a_login_code_is_refused_once_spent(ctx, make):
    user = ctx.get(make.user(role="committee"))
    two_factor.begin(user)
    codes = two_factor.enable(user, PASSWORD, pyotp.TOTP(user.totp_secret).now())
    assert two_factor.complete_login(user, codes[1])
    with pytest.raises(InvalidInput):
        two_factor.complete_login(user, codes[1])
    assert two_factor.recovery_codes_left(user) == 9
