"""Séances de créativité and committee meetings: the collective moments of a lead."""
from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .leads import Lead
from .users import User


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    held_on: Mapped[date]
    #: The starting time, in Paris time (the Fabrique's territory); None for a workshop recorded
    #: after the fact.
    starts_at: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(160))
    participant_count: Mapped[int] = mapped_column(default=0)
    organisations: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead: Mapped[Lead] = relationship()


class WorkshopInvitation(db.Model):
    __tablename__ = "workshop_invitations"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id",
                                       name="uq_workshop_invitations_workshop_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The resident's answer (`Attendance`), None until they answer.
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    workshop: Mapped[Workshop] = relationship()


class Attendance(StrEnum):
    COMING = "coming"
    NOT_COMING = "not_coming"


class CommitteeMeeting(db.Model):
    """A meeting of the comité d'engagement / de pilotage, with leads on its agenda."""

    __tablename__ = "committee_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    held_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[AgendaItem]] = relationship(back_populates="meeting",
                                                   cascade="all, delete-orphan",
                                                   order_by="AgendaItem.id")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        UniqueConstraint("meeting_id", "lead_id", name="uq_agenda_items_meeting_lead"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("committee_meetings.id"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    target_stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="items")
    lead: Mapped[Lead] = relationship()
