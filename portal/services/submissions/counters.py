"""Recount the denormalised counters of submissions from the rows they summarise.

The supports and comments services keep `support_count`, `comment_count` and the `daily_supports`
buckets exact one change at a time. Anything that writes votes or comments in bulk (the demo, an
import, a merge that carries votes over, a manual repair in SQL) bypasses them: `recount` makes the
counters true again afterwards, in a few set-based statements on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from sqlalchemy import Date, delete, func, insert, select, true, type_coerce, update

from ...extensions import db
from ...models import Comment, DailySupport, Submission, Vote


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
