"""Registration, e-mail confirmation, log-in and password reset."""
from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ... import policies
from ...extensions import db
from ...models import STAFF_ROLES, Role, Territory, User, utcnow
from ..core import audit, outbox
from ..core.errors import InvalidInput, InvalidToken, NotAllowed, Problems, check_length
from ..core.links import public_url
from ..core.tokens import make_token, read_token
from .rules import (
    DISPLAY_NAME_LENGTH,
    EMAIL_LENGTH,
    EMAIL_SHAPE,
    PASSWORD_LENGTH,
    impersonates,
)
from .sessions import end_all_sessions

#: Said when the address is taken, whether found first or by the unique constraint in a race.
EMAIL_TAKEN = _l("An account already uses this e-mail address.")
VERIFY = "verify-email"
RESET = "reset-password"
#: The link of an account a partner opened for a resident: they choose their password with it.
WELCOME = "welcome"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password(problems: Problems, field: str, password: str | None) -> None:
    """Spaces count in a password: it is checked as typed, never stripped."""
    low, high = PASSWORD_LENGTH
    if not password:
        problems.add(field, _("This field is required."))
    elif len(password) < low:
        problems.add(field, _("Use at least %(count)d characters.", count=low))
    elif len(password) > high:
        problems.add(field, _("Write at most %(count)d characters.", count=high))


def create_user(email: str, display_name: str, password: str, *, role: str = Role.RESIDENT,
                home_territory_id: int | None = None, verified: bool = False) -> User:
    """Create an account (the CLI, the demo: confirmed at once); one transaction."""
    user = _new_user(email, display_name, password, role=role,
                     home_territory_id=home_territory_id, verified=verified)
    db.session.commit()
    return user


def _new_user(email: str, display_name: str, password: str, *, role: str,
              home_territory_id: int | None, verified: bool) -> User:
    """Add an account to the session; raises one InvalidInput with every field that breaks a
    rule (an address already taken included). Does not commit."""
    problems = Problems()
    email, display_name = _check_new_account(problems, email, display_name, password, role,
                                             home_territory_id)
    if "email" not in problems and find_by_email(email):
        problems.add("email", _("An account already uses this e-mail address."))
    problems.raise_if_any()
    return _add_user(email, display_name, hash_password(password), role=role,
                     home_territory_id=home_territory_id, verified=verified)


def _check_new_account(problems: Problems, email: str, display_name: str, password: str,
                       role: str, home_territory_id: int | None) -> tuple[str, str]:
    """Every rule of a new account but the address being free; returns the cleaned address
    and name."""
    email = check_length(problems, "email", email, EMAIL_LENGTH)
    if email and "email" not in problems and not EMAIL_SHAPE.match(email):
        problems.add("email", _("Write a valid e-mail address."))
    display_name = check_length(problems, "display_name", display_name, DISPLAY_NAME_LENGTH)
    if role not in STAFF_ROLES:
        check_display_name(problems, display_name)
    check_password(problems, "password", password)
    if role not in set(Role):
        problems.add("role", _("Choose one of the offered roles."))
    if home_territory_id is not None and db.session.get(Territory, home_territory_id) is None:
        problems.add("home_territory", _("Choose a commune from the list."))
    return normalise_email(email), display_name


def check_display_name(problems: Problems, display_name: str, user: User | None = None) -> None:
    """A resident's or partner's name cannot pass for the Fabrique or one of its staff."""
    if not display_name or "display_name" in problems:
        return
    staff = db.session.scalars(select(User.display_name).where(
        User.role.in_(STAFF_ROLES), User.id != (user.id if user else None))).all()
    if impersonates(display_name, list(staff)):
        problems.add("display_name", _("Choose another name: this one could be taken for the "
                                       "Fabrique or a member of its team."))


def _add_user(email: str, display_name: str, password_hash: str, *, role: str,
              home_territory_id: int | None, verified: bool) -> User:
    user = User(email=email, display_name=display_name, password_hash=password_hash, role=role,
                home_territory_id=home_territory_id, consent_at=utcnow(),
                email_verified_at=utcnow() if verified else None)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:  # the same address registered at the same instant
        raise InvalidInput(str(EMAIL_TAKEN), field="email") from error
    return user


def register(email: str, display_name: str, password: str,
             home_territory_id: int | None = None) -> None:
    """A resident's account and its confirmation mail, in one transaction: a mail server that
    is down delays the mail, it never leaves an account without one.

    An address that already has an account gets a mail telling its owner, and the person
    registering sees the same answer after the same work (the password is hashed either way):
    the form never tells who has an account here.
    """
    problems = Problems()
    email, display_name = _check_new_account(problems, email, display_name, password,
                                             Role.RESIDENT, home_territory_id)
    problems.raise_if_any()
    password_hash = hash_password(password)
    owner = find_by_email(email)
    if owner is not None:
        outbox.queue_mail(owner.email, _l("Someone tried to register with your address"),
                          "account_exists", locale=owner.locale, user=owner,
                          login=public_url("accounts.login"),
                          reset=public_url("accounts.forgot_password"))
    else:
        user = _add_user(email, display_name, password_hash, role=Role.RESIDENT,
                         home_territory_id=home_territory_id, verified=False)
        _queue_verification(user)
    db.session.commit()


def send_verification(user: User) -> None:
    """A new confirmation link, asked for from the account page."""
    _queue_verification(user)
    db.session.commit()


def _queue_verification(user: User) -> None:
    token = make_token(VERIFY, {"uid": user.id, "email": user.email,
                                "fp": password_fingerprint(user)})
    outbox.queue_mail(user.email, _l("Confirm your e-mail address"), "verify_email",
                      locale=user.locale, user=user,
                      link=public_url("accounts.verify_email", token=token))


def check_verification_token(token: str) -> User:
    """The account a confirmation link is for. The link confirms one address once, and dies
    with a password change; it never logs anyone in."""
    data = read_token(VERIFY, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise InvalidToken(_("This link is not valid. Check that you copied it whole."))
    if user.is_verified or data.get("fp") != password_fingerprint(user):
        raise InvalidToken(_("This link has already been used. Ask for a new one."))
    return user


def verify_email(token: str) -> User:
    user = check_verification_token(token)
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Check the password; an unknown address costs the same hash check, so the answer's
    timing does not tell whether an account exists."""
    user = find_by_email(email)
    stored = user.password_hash if user is not None else _dummy_hash()
    if not check_password_hash(stored, password) or user is None:
        return None
    return user


def _dummy_hash() -> str:
    config = current_app.config
    if "_DUMMY_PASSWORD_HASH" not in config:
        config["_DUMMY_PASSWORD_HASH"] = hash_password("not a password of anyone")
    return config["_DUMMY_PASSWORD_HASH"]


def password_fingerprint(user: User) -> str:
    """Part of the current hash: a mailed link dies as soon as the password changes."""
    return user.password_hash[-16:]


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way to the requester."""
    user = find_by_email(email)
    if user is None:
        return
    token = make_token(RESET, {"uid": user.id, "fp": password_fingerprint(user)})
    outbox.queue_mail(user.email, _l("Reset your password"), "reset_password", locale=user.locale,
                      user=user, link=public_url("accounts.reset_password", token=token))
    db.session.commit()


def check_reset_token(token: str) -> User:
    """A reset link (one hour), or the welcome link of an account a partner opened (as long
    as a confirmation link: the resident may read their mail days later)."""
    try:
        data = read_token(WELCOME, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except InvalidToken:
        data = read_token(RESET, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("fp") != password_fingerprint(user):
        raise InvalidToken(_("This link has already been used. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = check_reset_token(token)
    problems = Problems()
    check_password(problems, "password", new_password)
    problems.raise_if_any()
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()
    return user


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_("Choose one of the offered languages."), field="language")
    user.locale = locale
    db.session.commit()


def register_met_resident(partner: User, email: str, display_name: str, consent: bool) -> User:
    """A relay or a partner signs up a resident it met (a social centre's desk): the account has
    no password until the resident chooses one through the mailed link, which also confirms
    their address. The resident ticks the consent box themselves, on the partner's screen."""
    if not policies.can_forward(partner):
        raise NotAllowed(_("Only partner accounts can sign residents up."))
    problems = Problems()
    if not consent:
        problems.add("consent", _("The resident's consent is needed."))
    try:
        user = _new_user(email, display_name, secrets.token_urlsafe(32), role=Role.RESIDENT,
                         home_territory_id=None, verified=False)
    except InvalidInput as error:
        for field, messages in error.errors.items():
            for message in messages:
                problems.add(field, message)
    if problems:
        db.session.rollback()  # the account flushed before the refusal is not kept
        problems.raise_if_any()
    token = make_token(WELCOME, {"uid": user.id, "fp": password_fingerprint(user)})
    outbox.queue_mail(user.email, _l("Your account on the portal"), "welcome", locale=user.locale,
                      user=user, partner=partner,
                      link=public_url("accounts.reset_password", token=token))
    audit.record(partner, "register_resident", user, {},
                 {"partner_organisation_id": partner.partner_organisation_id})
    db.session.commit()
    return user
