"""Follows and the notifications they bring: in the site, and by mail per the person's setting."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .submissions import Submission


class NotificationFrequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    NEVER = "never"


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("submission_id", "user_id", name="uq_follows_submission_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """`event` names a message in services/notifications.EVENT_MESSAGES; `payload` fills it."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(40))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    submission: Mapped[Submission | None] = relationship()
