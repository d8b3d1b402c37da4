"""Partner organisations and their API tokens; their webhook events are outbox messages."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .territories import Territory


class OrganisationKind(StrEnum):
    COLLECTIVITY = "collectivity"
    METROPOLE_SERVICE = "metropole_service"
    COMPANY = "company"
    ASSOCIATION = "association"
    RELAY = "relay"


class Scope(StrEnum):
    WRITE = "opportunities:write"
    READ = "opportunities:read"


class PartnerOrganisation(db.Model):
    __tablename__ = "partner_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    # After a rotation the former secret still signs, beside the new one, until this time.
    webhook_previous_secret: Mapped[str | None] = mapped_column(String(100))
    webhook_previous_secret_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    territory: Mapped[Territory | None] = relationship()


class ApiToken(db.Model):
    """Only a hash is kept: the token itself is shown once, when it is created."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("partner_organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[PartnerOrganisation] = relationship()
