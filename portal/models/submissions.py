"""Contributions: needs, unclaimed ideas and forwarded opportunities."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .partners import PartnerOrganisation
from .territories import Territory
from .themes import Theme

if TYPE_CHECKING:
    from .moderation import Tag
from .users import User


class SubmissionKind(StrEnum):
    NEED = "need"
    IDEA = "idea"
    OPPORTUNITY = "opportunity"


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    UNDER_STUDY = "under_study"
    IN_PROJECT = "in_project"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    HIDDEN = "hidden"


#: Statuses a visitor sees in listings and may support or comment.
OPEN_STATUSES = (
    SubmissionStatus.PUBLISHED,
    SubmissionStatus.UNDER_STUDY,
    SubmissionStatus.IN_PROJECT,
)
#: Statuses whose page a visitor may open (a declined one shows its public reason).
VISIBLE_STATUSES = (
    *OPEN_STATUSES,
    SubmissionStatus.DECLINED,
    SubmissionStatus.MERGED,
    SubmissionStatus.WITHDRAWN,
)


class AuthorOffer(StrEnum):
    NONE = "none"
    CARRY = "carry"
    CONTRIBUTE = "contribute"


class SubmissionSource(StrEnum):
    RESIDENT = "resident"
    RELAY = "relay"
    PARTNER = "partner"


def public_author_name(partner_name: str | None, author_name: str | None) -> str | None:
    """Who the public reads as the author of a contribution (see Submission.public_author_name)."""
    return partner_name if partner_name is not None else author_name


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_status_created_at", "status", "created_at"),
        Index("ix_submissions_status_support_count", "status", "support_count"),
        # One index per filter and sort of the listing (issue 13), so a page reads a few rows
        # of an index whatever the size of the table; with the status, the rows skipped before
        # page N are read from the index alone.
        Index("ix_submissions_created_at", "created_at", "id", "status"),
        Index("ix_submissions_support_count", "support_count", "id", "status"),
        Index("ix_submissions_trending", "trending_score", "support_count", "id", "status"),
        Index("ix_submissions_status_trending", "status", "trending_score"),
        # The newest of a place or a theme in order, straight from the index.
        Index("ix_submissions_territory_status", "territory_id", "created_at", "status"),
        Index("ix_submissions_theme_status", "theme_id", "created_at", "status"),
        # Every filter's columns in one index: a listing's capped count reads only the index,
        # whichever filters are combined (the kind had no index at all).
        Index("ix_submissions_filters", "kind", "status", "theme_id", "territory_id"),
        UniqueConstraint("partner_organisation_id", "external_reference",
                         name="uq_submissions_partner_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.PENDING)
    source: Mapped[str] = mapped_column(String(20), default=SubmissionSource.RESIDENT)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    target_public: Mapped[str | None] = mapped_column(String(160))
    author_offer: Mapped[str] = mapped_column(String(20), default=AuthorOffer.NONE)
    #: The words of the title and the text as the search indexes them (services/core/search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: The words of the title alone, as the search indexes them: they weigh more (SQLite).
    search_title: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The start of the text, stored at write time so a card never loads the body.
    excerpt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    territory_id: Mapped[int] = mapped_column(ForeignKey("territories.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    #: Supports of the last TRENDING_DAYS days: kept in the support transaction and decayed by
    #: the worker (services/submissions/counters.py), so the trending sort reads an index.
    trending_score: Mapped[int] = mapped_column(default=0, server_default="0")
    public_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The team member in charge of it (back-office only).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    moderated_at: Mapped[datetime | None]
    details_requested_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    status_before_hidden: Mapped[str | None] = mapped_column(String(20))
    flag_count: Mapped[int] = mapped_column(default=0, server_default="0")
    partner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_organisations.id"), index=True)
    external_reference: Mapped[str | None] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(200))
    possible_partners: Mapped[str | None] = mapped_column(Text)
    gathering_method: Mapped[str | None] = mapped_column(String(30))
    people_count: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    territory: Mapped[Territory] = relationship()
    theme: Mapped[Theme] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    partner_organisation: Mapped[PartnerOrganisation | None] = relationship()
    merged_into: Mapped[Submission | None] = relationship(remote_side=[id],
                                                          foreign_keys=[merged_into_id])
    tags: Mapped[list[Tag]] = relationship(secondary="submission_tags", order_by="Tag.name")
    answers: Mapped[list[Answer]] = relationship(back_populates="submission",
                                                 order_by="Answer.id")

    @property
    def former_answers(self) -> list[Answer]:
        """The answers given before the current one, the newest first."""
        answers = self.answers[:-1] if self.public_answer and self.answers else self.answers
        return list(reversed(answers))

    @property
    def public_author_name(self) -> str | None:
        """Who the public reads as its author: the organisation that forwarded it (by the API
        there is no account behind it), else the author's display name; None once the author
        deleted their account."""
        return public_author_name(
            self.partner_organisation.name if self.partner_organisation is not None else None,
            self.author.display_name if self.author is not None else None)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.kind} {self.status}>"


class Answer(db.Model):
    """One public answer of the Fabrique (a refusal's reason included), with the status it gave.

    Answers are kept in order: the last one is the current answer while the status it gave
    holds; the former ones stay readable as the contribution's history."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    author: Mapped[User | None] = relationship()


class InternalNote(db.Model):
    """A note of the team on a contribution (Decidim's private notes): staff only, never shown
    on a public page, in the API, open data, feeds or the resident's own data."""

    __tablename__ = "internal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
