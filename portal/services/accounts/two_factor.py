"""Two-factor authentication for staff accounts (opt-in): a TOTP app, or a recovery code.

A moderator, committee member or administrator opens private data; a stolen password alone
must not be enough. The code is asked for after the password; each code works once.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from ... import policies
from ...extensions import db
from ...models import RecoveryCode, User, utcnow
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed, Problems
from . import sessions

RECOVERY_CODE_COUNT = 10
#: Codes of the step before and after the current one are accepted: phone clocks drift.
CLOCK_DRIFT_STEPS = 1


def _digest(code: str) -> str:
    """Recovery codes are long random values: a plain SHA-256 keeps them out of a leaked table."""
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def begin(user: User) -> None:
    """A new secret for the authenticator app, not yet in force until a code proves it."""
    if not policies.can_use_two_factor(user):
        raise NotAllowed(_("Two-factor authentication is offered to staff accounts."))
    if user.has_two_factor:
        raise NotAllowed(_("Two-factor authentication is already on."))
    user.totp_secret = pyotp.random_base32()
    db.session.commit()


def setup_qr(user: User) -> str:
    """The QR code an authenticator app scans, as a data: URI for an <img>."""
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SITE_NAME"])
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def _accept_totp(user: User, code: str) -> bool:
    """A current code from the app, not used before (a code seen over a shoulder is spent)."""
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(utcnow().replace(tzinfo=UTC))
    for step in range(now_step - CLOCK_DRIFT_STEPS, now_step + CLOCK_DRIFT_STEPS + 1):
        if step > (user.totp_last_step or -1) and secrets.compare_digest(
                totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def _accept_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def _check(problems: Problems, user: User, password: str | None, code: str | None,
           *, recovery: bool) -> None:
    if password is not None and not check_password_hash(user.password_hash, password):
        problems.add("password", _("This is not your password."))
    cleaned = _clean(code)
    if not cleaned:
        problems.add("code", _("This field is required."))
    elif not (_accept_totp(user, cleaned)
              or (recovery and _accept_recovery_code(user, cleaned))):
        problems.add("code", _("This code is not valid. Type the code your app shows now."))


def enable(user: User, password: str, code: str) -> list[str]:
    """Turn the second factor on once the app shows a right code; returns the recovery codes,
    shown once (only their hashes are kept)."""
    if not user.totp_secret or user.has_two_factor:
        raise NotAllowed(_("Start again from your security page."))
    problems = Problems()
    _check(problems, user, password, code, recovery=False)
    problems.raise_if_any()
    user.totp_enabled_at = utcnow()
    codes = [secrets.token_hex(5) for _n in range(RECOVERY_CODE_COUNT)]
    codes = [f"{code[:5]}-{code[5:]}" for code in codes]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    audit.record(user, "two_factor_on", user)
    db.session.commit()
    return codes


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable(user: User, password: str, code: str) -> None:
    """Turning it off takes the password and a code, so a borrowed session cannot."""
    if not user.has_two_factor:
        raise NotAllowed(_("Two-factor authentication is not on."))
    problems = Problems()
    _check(problems, user, password, code, recovery=True)
    problems.raise_if_any()
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(user, "two_factor_off", user)
    db.session.commit()


def awaiting_code(user_id: int) -> User | None:
    """The account whose password was right and whose code the login page now asks for."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.has_two_factor else None


def complete_login(user: User, code: str) -> str:
    """The second step of a login: a code from the app or an unused recovery code opens the
    session (one transaction with the code spent)."""
    problems = Problems()
    _check(problems, user, None, code, recovery=True)
    if problems:
        db.session.rollback()
        raise InvalidInput(errors=problems.errors)
    return sessions.open_session(user)
