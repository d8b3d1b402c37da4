"""What became of a contribution, in plain words and with dates: the short story its page tells,
the same one its author, supporters and followers are told by notification and mail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import Lead, LeadStage, LeadSubmission, StageChange, Submission, SubmissionStatus
from .stages import public_news


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


def project_of(submission: Submission) -> tuple[LeadSubmission | None, Lead | None]:
    """The link to the lead a submission belongs to, and the lead, in one query."""
    row = db.session.execute(select(LeadSubmission, Lead).join(Lead).where(
        LeadSubmission.submission_id == submission.id)).first()
    return (row[0], row[1]) if row else (None, None)


def story(submission: Submission) -> list[Step]:
    """Published, answered or not retained, part of a lead, then each of the lead's stages, oldest
    first. Only what the public may read: never a decision note nor a private fiche's content."""
    steps: list[Step] = []
    if submission.published_at:
        steps.append(Step(submission.published_at, _("Published.")))
    if submission.answered_at:
        steps.append(Step(submission.answered_at,
                          _("Not retained: the Fabrique explains why.")
                          if submission.status == SubmissionStatus.DECLINED
                          else _("The Fabrique answered.")))
    link, lead = project_of(submission)
    if link is not None:
        steps.append(Step(link.added_at, _("It became part of a project lead.")))
        changes = db.session.scalars(select(StageChange).where(StageChange.lead_id == lead.id)
                                     .order_by(StageChange.created_at, StageChange.id)).all()
        for change in changes:
            steps.append(Step(change.created_at, public_news(
                change.to_stage, reason=change.reason,
                enterprise=lead.enterprise_name if change.to_stage == LeadStage.CREATED else "")))
    return sorted(steps, key=lambda step: step.at)
