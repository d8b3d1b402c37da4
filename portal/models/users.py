"""People who use the portal and the role that says what they may do."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .territories import Territory


class Role(StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    PARTNER = "partner"
    ADMIN = "admin"
    COMMITTEE = "committee"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.RESIDENT, index=True)
    home_territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"))
    locale: Mapped[str | None] = mapped_column(String(5))
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    email_verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    partner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id"))
    blocked_at: Mapped[datetime | None]
    #: Set by a moderator's "publish and trust": this resident's posts skip pre-moderation.
    trusted_at: Mapped[datetime | None]
    last_moderation_visit_at: Mapped[datetime | None]
    notification_frequency: Mapped[str] = mapped_column(String(20), default="immediate",
                                                        server_default="immediate")

    home_territory: Mapped[Territory | None] = relationship()

    def get_id(self) -> str:
        """The session and the remember-me cookie carry a fingerprint of the password hash, so
        changing the password logs out every other browser."""
        return f"{self.id}:{self.password_hash[-12:]}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_committee_member(self) -> bool:
        return self.role == Role.COMMITTEE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
