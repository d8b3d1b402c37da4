"""Recount the denormalised counters of submissions from the rows they summarise.

The supports and comments services keep `support_count`, `comment_count` and the `daily_supports`
buckets exact one change at a time. Anything that writes votes or comments in bulk (the demo, an
import, a merge that carries votes over, a manual repair in SQL) bypasses them: `recount` makes the
counters true again afterwards, in a few set-based statements on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import Date, delete, func, insert, select, true, type_coerce, update

from ...extensions import db
from ...models import Comment, DailySupport, Submission, Vote, utcnow


def recount(submission_ids: list[int] | None = None) -> None:
    """Recompute the counters of these submissions (all of them when None), in the caller's
    transaction: the caller commits."""
    if submission_ids is not None and not submission_ids:
        return

    def in_scope(column):
        return column.in_(submission_ids) if submission_ids is not None else true()

    supports = (select(func.count(Vote.id)).where(Vote.submission_id == Submission.id)
                .scalar_subquery())
    comments = (select(func.count(Comment.id))
                .where(Comment.submission_id == Submission.id, Comment.deleted_at.is_(None),
                       Comment.hidden_at.is_(None))
                .scalar_subquery())
    db.session.execute(
        update(Submission).where(in_scope(Submission.id))
        # A repair is not an edit: keep updated_at as it was.
        .values(support_count=supports, comment_count=comments, updated_at=Submission.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(DailySupport).where(in_scope(DailySupport.submission_id))
                       .execution_options(synchronize_session=False))
    # date() gives a date on PostgreSQL and 'YYYY-MM-DD' on SQLite, which is exactly how
    # SQLAlchemy stores a Date there, so the buckets match those the supports service writes.
    day = type_coerce(func.date(Vote.created_at), Date)
    buckets = (select(Vote.submission_id, day, func.count(Vote.id))
               .where(in_scope(Vote.submission_id)).group_by(Vote.submission_id, day))
    db.session.execute(insert(DailySupport).from_select(
        [DailySupport.submission_id, DailySupport.day, DailySupport.count], buckets))
    _set_trending(in_scope(Submission.id))


def trending_since() -> date:
    """The first day whose supports count in the trending sort."""
    return utcnow().date() - timedelta(days=current_app.config["TRENDING_DAYS"] - 1)


def counts_as_trending(day: date) -> bool:
    return day >= trending_since()


def _set_trending(where) -> None:
    recent = (select(func.coalesce(func.sum(DailySupport.count), 0))
              .where(DailySupport.submission_id == Submission.id,
                     DailySupport.day >= trending_since())
              .scalar_subquery())
    db.session.execute(
        update(Submission).where(where)
        .values(trending_score=recent, updated_at=Submission.updated_at)
        .execution_options(synchronize_session=False)
    )


def decay_trending() -> None:
    """Drop from the trending scores the supports whose day has left the window: the worker runs
    it every few minutes (and `flask decay-trending` from cron). Only the contributions with a
    score are touched; one transaction."""
    _set_trending(Submission.trending_score != 0)
    db.session.commit()
