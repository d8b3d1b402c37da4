"""Residents who offer to carry a project or to contribute to it."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .submissions import Submission
from .users import User


class OfferKind(StrEnum):
    CARRY = "carry"
    CONTRIBUTE = "contribute"


class OfferStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    MET = "met"
    SELECTED = "selected"
    NOT_RETAINED = "not_retained"


class Offer(db.Model):
    """Made on a submission or on a public lead; `contact_consent` is the resident's own choice
    to let the Fabrique see their e-mail address."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=OfferStatus.NEW)
    contact_consent: Mapped[bool] = mapped_column(default=False)
    contacted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    submission: Mapped[Submission | None] = relationship()
