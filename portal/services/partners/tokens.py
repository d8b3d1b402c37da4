"""API tokens for partner organisations: shown once, stored as a hash, scoped, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import ApiToken, PartnerOrganisation, Scope, User, utcnow
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed

PREFIX = "fab_"
#: How precisely `ApiToken.last_used_at` is kept: it is written at most once per this interval.
LAST_USE_PRECISION = timedelta(minutes=10)


class TokenError(Exception):
    """The request's token is missing, unknown, revoked or lacks a scope."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(admin: User, organisation: PartnerOrganisation, name: str,
          scopes: list[str]) -> tuple[str, ApiToken]:
    """Return the token in clear (to show once) and its stored record."""
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    if not scopes or any(scope not in set(Scope) for scope in scopes):
        raise InvalidInput(_("Choose at least one scope."), field="scopes")
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(organisation_id=organisation.id, name=name.strip(), scopes=sorted(scopes),
                      token_hash=_digest(token), hint=token[-6:])
    db.session.add(record)
    db.session.flush()
    audit.record(admin, "token_create", record, {}, {"organisation": organisation.name,
                                                     "scopes": record.scopes})
    db.session.commit()
    return token, record


def tokens_of(organisation: PartnerOrganisation) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.organisation_id == organisation.id).order_by(ApiToken.id.desc())))


def revoke(admin: User, record: ApiToken) -> None:
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(admin, "token_revoke", record, {"revoked": False}, {"revoked": True})
        db.session.commit()


def known_token_id(header: str | None) -> int | None:
    """The id of the live token `Authorization` carries, or None (none, unknown or revoked)."""
    if not header or not header.startswith("Bearer "):
        return None
    return db.session.scalar(select(ApiToken.id).where(
        ApiToken.token_hash == _digest(header[len("Bearer "):].strip()),
        ApiToken.revoked_at.is_(None)))


def authenticate(header: str | None, scope: str) -> ApiToken:
    """Check `Authorization: Bearer <token>` for `scope`; note when the token was used (see
    `_note_use`: the documented exception to "a GET does not write")."""
    if not header or not header.startswith("Bearer "):
        raise TokenError(401, _("Send your token as “Authorization: Bearer <token>”."))
    record = db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == _digest(header[len("Bearer "):].strip())))
    if record is None or record.revoked_at is not None:
        raise TokenError(401, _("This token is unknown or revoked."))
    if scope not in record.scopes:
        raise TokenError(403, _("This token lacks the scope %(scope)s.", scope=scope))
    _note_use(record)
    return record


def _note_use(record: ApiToken) -> None:
    """The one write a read makes, bounded: `last_used_at` tells an administrator whether a token
    still serves, to within LAST_USE_PRECISION, so a partner polling every second costs at most
    six UPDATEs an hour, and the other reads write nothing."""
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USE_PRECISION:
        record.last_used_at = now
        db.session.commit()
