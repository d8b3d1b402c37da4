"""What a resident changes on their own account: name, commune, password, e-mail address.

The new address is confirmed by a link mailed to it; the old one is told, so a stolen session
cannot quietly move the account to another mailbox.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from ...extensions import db
from ...models import STAFF_ROLES, Territory, User, utcnow
from ..core import outbox
from ..core.errors import InvalidToken, Problems, check_length
from ..core.links import public_url
from ..core.tokens import make_token, read_token
from .access import (
    check_display_name,
    check_password,
    find_by_email,
    hash_password,
    normalise_email,
    password_fingerprint,
)
from .rules import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, EMAIL_SHAPE
from .sessions import end_other_sessions

CHANGE_EMAIL = "change-email"


def _check_current_password(problems: Problems, user: User, password: str | None) -> None:
    if not password or not check_password_hash(user.password_hash, password):
        problems.add("current_password", _("This is not your password."))


def update_profile(user: User, display_name: str, home_territory_id: int | None) -> User:
    """The name shown with contributions and the home commune (which preselects the territory
    of the listing and of the posting form)."""
    problems = Problems()
    display_name = check_length(problems, "display_name", display_name, DISPLAY_NAME_LENGTH)
    if user.role not in STAFF_ROLES:
        check_display_name(problems, display_name, user)
    if home_territory_id is not None and db.session.get(Territory, home_territory_id) is None:
        problems.add("home_territory", _("Choose a commune from the list."))
    problems.raise_if_any()
    user.display_name = display_name
    user.home_territory_id = home_territory_id
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """A new password ends every other session of the account; this browser stays in."""
    problems = Problems()
    _check_current_password(problems, user, current_password)
    check_password(problems, "password", new_password)
    problems.raise_if_any()
    user.password_hash = hash_password(new_password)
    end_other_sessions(user)
    outbox.queue_mail(user.email, _l("Your password was changed"), "password_changed",
                      locale=user.locale, user=user,
                      reset=public_url("accounts.forgot_password"))
    db.session.commit()


def request_email_change(user: User, new_email: str, current_password: str) -> None:
    """Mail a confirmation link to the new address and tell the old one; nothing changes
    until the link is used. A taken address is not revealed: its owner gets no link, and
    the link could not be used anyway."""
    problems = Problems()
    new_email = check_length(problems, "email", new_email, EMAIL_LENGTH)
    if new_email and "email" not in problems and not EMAIL_SHAPE.match(new_email):
        problems.add("email", _("Write a valid e-mail address."))
    elif new_email and normalise_email(new_email) == user.email:
        problems.add("email", _("This is already your address."))
    _check_current_password(problems, user, current_password)
    problems.raise_if_any()
    new_email = normalise_email(new_email)
    if find_by_email(new_email) is None:
        token = make_token(CHANGE_EMAIL, {"uid": user.id, "email": new_email,
                                          "old": user.email, "fp": password_fingerprint(user)})
        outbox.queue_mail(new_email, _l("Confirm your new e-mail address"), "change_email",
                          locale=user.locale, user=user,
                          link=public_url("own_data.new_email", token=token))
    outbox.queue_mail(user.email, _l("A change of your e-mail address was asked for"),
                      "email_change_notice", locale=user.locale, user=user, new_email=new_email,
                      reset=public_url("accounts.forgot_password"))
    db.session.commit()


def check_email_change_token(token: str) -> tuple[User, str]:
    """The account and the new address a link is for; it works once (the address it moves
    from must still be the account's) and dies with a password change."""
    data = read_token(CHANGE_EMAIL, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    if user is None or not data.get("email"):
        raise InvalidToken(_("This link is not valid. Check that you copied it whole."))
    if user.email != data.get("old") or data.get("fp") != password_fingerprint(user):
        raise InvalidToken(_("This link has already been used. Ask for a new one."))
    return user, data["email"]


def confirm_email_change(token: str) -> User:
    user, new_email = check_email_change_token(token)
    if find_by_email(new_email) is not None:
        raise InvalidToken(_("Another account now uses this address. Choose another one."))
    user.email = new_email
    user.email_verified_at = utcnow()
    db.session.commit()
    return user
