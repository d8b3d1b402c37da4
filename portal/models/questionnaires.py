""""Is it still a need?": one question put to the author of a need that went quiet, or whose
project was paused or abandoned (FixMyStreet's questionnaire)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .submissions import Submission


class StillANeedAnswer(StrEnum):
    STILL_A_NEED = "still_a_need"
    SOLVED = "solved"
    SOLVED_ELSEWHERE = "solved_elsewhere"
    NO_LONGER_RELEVANT = "no_longer_relevant"


class QuestionReason(StrEnum):
    """Why the question was put."""

    QUIET = "quiet"  # published weeks ago, no news since
    LEAD_PAUSED = "lead_paused"
    LEAD_ABANDONED = "lead_abandoned"


class StillANeedQuestion(db.Model):
    """Asked once, answered once; a new question is put only after the answer "still a need"
    with `ask_again`."""

    __tablename__ = "still_a_need_questions"
    __table_args__ = (Index("ix_still_a_need_questions_submission_id_id", "submission_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    ask_again: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship()
