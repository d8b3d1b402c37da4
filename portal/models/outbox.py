"""The outbox: every mail and webhook event the portal owes, written in the same transaction as the
change it reports, and delivered by the worker after the commit. The row is the truth; the job
queue only wakes the worker up."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class MessageKind(StrEnum):
    MAIL = "mail"
    WEBHOOK = "webhook"
    #: Work for the worker rather than a request (a resident's data export): `topic` names it.
    JOB = "job"


class MessageState(StrEnum):
    QUEUED = "queued"      # waiting for its next attempt
    SENDING = "sending"    # claimed by a worker until `locked_until`
    SENT = "sent"
    FAILED = "failed"      # the last attempt failed: an operator may retry it


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=MessageState.QUEUED)
    #: Sent with the message (Message-ID, X-Fabrique-Delivery), so a receiver can drop a repeat.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: A mail's address, or the webhook URL it was queued for.
    recipient: Mapped[str] = mapped_column(String(500))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id", ondelete="CASCADE"), index=True)
    #: The mail's template or the webhook's event: what an operator reads in the queue.
    topic: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    claim: Mapped[str | None] = mapped_column(String(32))
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
