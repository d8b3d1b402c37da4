"""Soutiens: one resident's support of one submission."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("submission_id", "user_id", name="uq_votes_submission_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DailySupport(db.Model):
    """Standing supports per submission and day they were given.

    The trending sort sums at most a fortnight of these rows instead of scanning every vote.
    """

    __tablename__ = "daily_supports"

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    count: Mapped[int] = mapped_column(default=0)
