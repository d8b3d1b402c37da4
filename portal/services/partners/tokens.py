"""API tokens for partner organisations: shown once, stored as a hash, scoped, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import ApiToken, PartnerOrganisation, Scope, User, utcnow
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from .rules import TOKEN_NAME_LENGTH

PREFIX = "fab_"
#: What each scope allows, as partners and administrators read it.
SCOPE_LABELS = {Scope.WRITE: _l("Forward opportunities"), Scope.READ: _l("Read its items")}
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


def _require_manager(actor: User, organisation: PartnerOrganisation) -> None:
    if not policies.can_manage_tokens(actor, organisation):
        raise NotAllowed(_("Only administrators and the organisation's own accounts can manage "
                           "its tokens."))


def issue(actor: User, organisation: PartnerOrganisation, name: str,
          scopes: list[str]) -> tuple[str, ApiToken]:
    """Return the token in clear (to show once) and its stored record. An administrator or one of
    the organisation's accounts makes it; the journal says who."""
    _require_manager(actor, organisation)
    problems = Problems()
    name = check_length(problems, "name", name, TOKEN_NAME_LENGTH)
    if not scopes or any(scope not in set(Scope) for scope in scopes):
        problems.add("scopes", _("Choose at least one scope."))
    problems.raise_if_any()
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(organisation_id=organisation.id, name=name, scopes=sorted(scopes),
                      token_hash=_digest(token), hint=token[-6:])
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "token_create", record, {}, {"organisation": organisation.name,
                                                     "scopes": record.scopes})
    db.session.commit()
    return token, record


def tokens_of(organisation: PartnerOrganisation) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.organisation_id == organisation.id).order_by(ApiToken.id.desc())))


def revoke(actor: User, record: ApiToken) -> None:
    _require_manager(actor, record.organisation)
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(actor, "token_revoke", record, {"revoked": False}, {"revoked": True})
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
