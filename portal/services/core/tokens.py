"""Signed, expiring links (e-mail confirmation, password reset) with itsdangerous."""
from __future__ import annotations

import time

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .errors import InvalidToken


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal.{purpose}")


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken(_("This link has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_("This link is not valid. Check that you copied it whole.")) from exc


#: The signed moment a public form was shown (the spam checks of portal/forms.py).
FORM_SHOWN = "form-shown"


def form_shown_token(at: float | None = None) -> str:
    """The moment a form is shown (now, unless `at`), signed so a robot cannot backdate it."""
    return make_token(FORM_SHOWN, {"at": time.time() if at is None else at})


def seconds_since_shown(token: str | None) -> float | None:
    """How long ago the form carrying `token` was shown; None when the token is missing,
    forged or not ours."""
    try:
        at = _serializer(FORM_SHOWN).loads(token or "").get("at")
    except (BadSignature, AttributeError):
        return None
    return time.time() - at if isinstance(at, (int, float)) else None
