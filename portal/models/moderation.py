"""What moderators work with: flags, revisions of a text, tags and reply templates."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .users import User


class FlagReason(StrEnum):
    SPAM = "spam"
    INSULT = "insult"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Flag(db.Model):
    """A resident's report; one per person and content (NULLs are distinct in both databases)."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("user_id", "submission_id", name="uq_flags_user_submission"),
        UniqueConstraint("user_id", "comment_id", name="uq_flags_user_comment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str | None] = mapped_column(Text)
    #: The comment as it read when reported: its author may edit it afterwards.
    reported_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Revision(db.Model):
    """The text as it was before someone changed it: nothing a resident wrote is lost."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


submission_tags = Table(
    "submission_tags",
    db.metadata,
    Column("submission_id", ForeignKey("submissions.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class ReplyTemplate(db.Model):
    """A ready-made public reason, editable by moderators."""

    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)


class MergeRecord(db.Model):
    """What one merge moved, so that it can be undone exactly: the supports carried over, those
    dropped because their author already counted on the target, the follows it added, and the
    status the merged contribution had."""

    __tablename__ = "merge_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    previous_status: Mapped[str] = mapped_column(String(20))
    #: Ids of the votes whose submission became the target.
    moved_vote_ids: Mapped[list] = mapped_column(JSON, default=list)
    #: The votes deleted as doubles: [[id, user_id, created_at ISO 8601], ...].
    dropped_votes: Mapped[list] = mapped_column(JSON, default=list)
    #: Ids of the follows the merge added on the target.
    added_follow_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
