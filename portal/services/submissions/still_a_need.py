""""Is it still a need?" (FixMyStreet's questionnaire): a need's author is asked, once, whether
the need still stands, weeks after it was published without news, or when the project born from it
is paused or abandoned. They are asked again only when they answer "still a need" and agree."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    LeadStage,
    NotificationFrequency,
    QuestionReason,
    StillANeedAnswer,
    StillANeedQuestion,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    User,
    utcnow,
)
from ..core import outbox
from ..core.errors import NotAllowed, Problems, check_length
from ..core.links import public_url
from ..core.sql import in_territory

#: The four answers, as the author and the team read them.
ANSWER_LABELS = {
    StillANeedAnswer.STILL_A_NEED: _l("It is still a need"),
    StillANeedAnswer.SOLVED: _l("It has been solved"),
    StillANeedAnswer.SOLVED_ELSEWHERE: _l("It has been solved elsewhere or by someone else"),
    StillANeedAnswer.NO_LONGER_RELEVANT: _l("It is no longer relevant"),
}
#: Why the question was put, as the team reads it.
REASON_LABELS = {
    QuestionReason.QUIET: _l("No news for several weeks"),
    QuestionReason.LEAD_PAUSED: _l("Its project was paused"),
    QuestionReason.LEAD_ABANDONED: _l("Its project was abandoned"),
}
#: The lead stages after which the authors of its needs are asked.
ASKING_STAGES = {LeadStage.PAUSED: QuestionReason.LEAD_PAUSED,
                 LeadStage.ABANDONED: QuestionReason.LEAD_ABANDONED}
COMMENT_LENGTH = (1, 2000)


def _last_questions(submission_ids: list[int]) -> dict[int, StillANeedQuestion]:
    """submission id -> the latest question put about it, in one query."""
    if not submission_ids:
        return {}
    latest = (select(func.max(StillANeedQuestion.id))
              .where(StillANeedQuestion.submission_id.in_(submission_ids))
              .group_by(StillANeedQuestion.submission_id))
    return {q.submission_id: q for q in db.session.scalars(
        select(StillANeedQuestion).where(StillANeedQuestion.id.in_(latest)))}


def may_ask_again(last: StillANeedQuestion | None, *, answered_before: datetime | None = None
                  ) -> bool:
    """The one rule: never while a question waits for its answer; after an answer, only if it
    was "still a need" and the author agreed to be asked again (and, for the periodic question,
    only once that answer is old enough)."""
    if last is None:
        return True
    if last.answered_at is None:
        return False
    if last.answer != StillANeedAnswer.STILL_A_NEED or not last.ask_again:
        return False
    return answered_before is None or last.answered_at <= answered_before


def _ask(submission: Submission, reason: str) -> StillANeedQuestion:
    """Put the question and mail it (unless the author wants no mail: it waits on "Mon
    activité"). Does not commit."""
    question = StillANeedQuestion(submission_id=submission.id, user_id=submission.author_id,
                                  reason=reason, asked_at=utcnow())
    db.session.add(question)
    db.session.flush()
    author = db.session.get(User, submission.author_id)
    if author.notification_frequency != NotificationFrequency.NEVER:
        outbox.queue_mail(author.email, _l("Is it still a need?"), "still_a_need",
                          locale=author.locale, user=author, title=submission.title,
                          reason=str(REASON_LABELS[reason]),
                          link=public_url("accounts.still_a_need", question_id=question.id))
    return question


def ask_after_lead_stage(submissions: list[Submission], stage: str) -> list[StillANeedQuestion]:
    """A lead was paused or abandoned: the authors of its needs are asked. Does not commit."""
    reason = ASKING_STAGES.get(stage)
    needs = [s for s in submissions if s.kind == SubmissionKind.NEED and s.author_id is not None]
    if reason is None or not needs:
        return []
    last = _last_questions([s.id for s in needs])
    return [_ask(s, reason) for s in needs if may_ask_again(last.get(s.id))]


def ask_quiet_needs(now: datetime | None = None) -> int:
    """The periodic part (the worker's sweep, `flask ask-still-a-need`): ask the authors of the
    needs published more than STILL_A_NEED_AFTER_DAYS ago with no news since. Idempotent: a need
    already asked is asked again only per `may_ask_again`. One transaction; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["STILL_A_NEED_AFTER_DAYS"])
    quiet = db.session.scalars(select(Submission).where(
        Submission.kind == SubmissionKind.NEED, Submission.status == SubmissionStatus.PUBLISHED,
        Submission.author_id.is_not(None), Submission.published_at <= cutoff,
        Submission.updated_at <= cutoff).order_by(Submission.id)).all()
    last = _last_questions([s.id for s in quiet])
    asked = [_ask(s, QuestionReason.QUIET) for s in quiet
             if may_ask_again(last.get(s.id), answered_before=cutoff)]
    db.session.commit()
    return len(asked)


def question_for(user: User, question_id: int) -> StillANeedQuestion | None:
    """The question behind a mail link, for its author only (None: there is no such question)."""
    question = db.session.get(StillANeedQuestion, question_id)
    if question is not None and question.user_id != user.id:
        raise NotAllowed(_("This question was put to someone else. Log in with the account "
                           "that received the e-mail."))
    return question


def answer(user: User, question: StillANeedQuestion, choice: str, comment: str | None = None,
           ask_again: bool = False) -> StillANeedQuestion:
    """Record the author's answer, once. Only "still a need" may ask to be asked again."""
    if question.user_id != user.id:
        raise NotAllowed(_("This question was put to someone else. Log in with the account "
                           "that received the e-mail."))
    if question.answered_at is not None:
        raise NotAllowed(_("You have already answered this question. Thank you!"))
    problems = Problems()
    if choice not in set(StillANeedAnswer):
        problems.add("answer", _("Choose one of the offered answers."))
    comment = check_length(problems, "comment", comment, COMMENT_LENGTH, required=False)
    problems.raise_if_any()
    question.answer = choice
    question.comment = comment or None
    question.ask_again = bool(ask_again) and choice == StillANeedAnswer.STILL_A_NEED
    question.answered_at = utcnow()
    db.session.commit()
    return question


def waiting_questions(user: User) -> list[StillANeedQuestion]:
    """The questions put to this person that wait for an answer, for "Mon activité"."""
    return list(db.session.scalars(
        select(StillANeedQuestion).where(StillANeedQuestion.user_id == user.id,
                                         StillANeedQuestion.answered_at.is_(None))
        .options(db.joinedload(StillANeedQuestion.submission))
        .order_by(StillANeedQuestion.id.desc())))


def answers_for(submission: Submission) -> list[StillANeedQuestion]:
    """Every question put about this contribution, answered or not, the newest first."""
    return list(db.session.scalars(
        select(StillANeedQuestion).where(StillANeedQuestion.submission_id == submission.id)
        .order_by(StillANeedQuestion.id.desc())))


#: How long an answer stays marked in the moderation queue.
RECENT_ANSWER_DAYS = 30


def recent_answers(limit: int = 20) -> list[StillANeedQuestion]:
    """The answers of the last RECENT_ANSWER_DAYS, the newest first, for the moderation queue's
    marker."""
    since = utcnow() - timedelta(days=RECENT_ANSWER_DAYS)
    return list(db.session.scalars(
        select(StillANeedQuestion).where(StillANeedQuestion.answered_at >= since)
        .options(db.joinedload(StillANeedQuestion.submission))
        .order_by(StillANeedQuestion.answered_at.desc(), StillANeedQuestion.id.desc())
        .limit(limit)))


def answer_counts(territory_id: int | None = None, theme_id: int | None = None) -> Counter:
    """How many answers of each kind (each need counted by its latest answer), for the steering
    summary."""
    latest = (select(func.max(StillANeedQuestion.id))
              .where(StillANeedQuestion.answered_at.is_not(None))
              .group_by(StillANeedQuestion.submission_id))
    query = (select(StillANeedQuestion.answer, func.count(StillANeedQuestion.id))
             .join(Submission, Submission.id == StillANeedQuestion.submission_id)
             .where(StillANeedQuestion.id.in_(latest)).group_by(StillANeedQuestion.answer))
    if territory_id is not None:
        query = query.where(in_territory(Submission.territory_id, territory_id))
    if theme_id is not None:
        query = query.where(Submission.theme_id == theme_id)
    counts = Counter({choice.value: 0 for choice in StillANeedAnswer})
    counts.update(dict(db.session.execute(query).all()))
    return counts
