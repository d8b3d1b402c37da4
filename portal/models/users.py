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


#: Roles whose accounts open private data and speak for the Fabrique.
STAFF_ROLES = (Role.MODERATOR, Role.COMMITTEE, Role.ADMIN)


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

    #: Two-factor authentication (staff, opt-in): the TOTP secret, kept while being set up
    #: and once turned on; the time step of the last code accepted, so a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    home_territory: Mapped[Territory | None] = relationship()

    #: The key of the server-side session this request runs under (services/accounts/sessions).
    session_key = None

    def get_id(self) -> str:
        """The session and the remember-me cookie carry the key of a server-side session, so
        logging out, a password change or the end of its lifetime ends it for every copy."""
        return f"{self.id}:{self.session_key}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_staff(self) -> bool:
        """Moderators, committee members and administrators: their accounts open private data."""
        return self.role in STAFF_ROLES

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


class UserSession(db.Model):
    """One logged-in browser. Only a hash of its key is kept: the table alone opens nothing."""
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]


class DataExport(db.Model):
    """A copy of everything the portal holds about a resident, built by the worker in a folder
    of its own under the instance folder, and downloaded by its owner only."""
    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    folder: Mapped[str] = mapped_column(String(32), unique=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
