"""Supports: one per resident and submission, counted in the same transaction."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, update

from ... import policies
from ...extensions import db
from ...models import DailySupport, Submission, User, Vote, utcnow
from ..accounts import notifications
from ..core.errors import NotAllowed
from ..core.sql import dialect_insert
from .counters import counts_as_trending


def _shift_counts(submission_id: int, day: date, delta: int) -> None:
    """Atomic increments: concurrent supports never overwrite each other's count. The trending
    score moves too while the support's day is in its window (the worker decays it after)."""
    trending = delta if counts_as_trending(day) else 0
    db.session.execute(
        update(Submission).where(Submission.id == submission_id)
        # A support is not an edit: `updated_at` (what partners poll) stays as it was.
        .values(support_count=Submission.support_count + delta,
                trending_score=Submission.trending_score + trending,
                updated_at=Submission.updated_at)
        .execution_options(synchronize_session=False)
    )
    insert = dialect_insert(DailySupport).values(submission_id=submission_id, day=day, count=delta)
    db.session.execute(insert.on_conflict_do_update(
        index_elements=["submission_id", "day"],
        set_={"count": DailySupport.count + delta},
    ))


def support(user: User, submission: Submission) -> bool:
    """Add the support; returns False when this resident already supported it."""
    if not policies.can_support(user, submission):
        raise NotAllowed(policies.why_cannot_post(user)
                         or (_("You cannot support your own contribution.")
                             if policies.is_author(user, submission)
                             else _("You cannot support this contribution.")))
    now = utcnow()
    inserted = db.session.execute(
        dialect_insert(Vote)
        .values(submission_id=submission.id, user_id=user.id, created_at=now)
        .on_conflict_do_nothing(index_elements=["submission_id", "user_id"])
        .returning(Vote.id)
    ).first()
    if inserted is None:  # already supported: nothing was written, nothing to undo
        return False
    _shift_counts(submission.id, now.date(), +1)
    notifications.follow(user, submission)
    db.session.commit()  # the counts reload when next read (expired by the commit)
    return True


def withdraw_support(user: User, submission: Submission) -> bool:
    """Remove the support; returns False when there was none to remove."""
    removed = db.session.execute(
        delete(Vote).where(Vote.submission_id == submission.id, Vote.user_id == user.id)
        .returning(Vote.created_at)
    ).first()
    if removed is None:
        return False
    _shift_counts(submission.id, removed.created_at.date(), -1)
    db.session.commit()  # the counts reload when next read (expired by the commit)
    return True


def remove_supports_of(user: User) -> int:
    """An account that goes takes its supports with it; every counter stays equal to the
    supports that remain. Does not commit."""
    removed = db.session.execute(
        delete(Vote).where(Vote.user_id == user.id)
        .returning(Vote.submission_id, Vote.created_at)).all()
    for submission_id, created_at in removed:
        _shift_counts(submission_id, created_at.date(), -1)
    return len(removed)


def supported_ids(user: User | None, submission_ids: list[int]) -> set[int]:
    """Which of these submissions the user supports, in one query."""
    if user is None or not user.is_authenticated or not submission_ids:
        return set()
    rows = db.session.scalars(
        Vote.__table__.select().with_only_columns(Vote.submission_id)
        .where(Vote.user_id == user.id, Vote.submission_id.in_(submission_ids))
    )
    return set(rows)
