"""recount: counters rebuilt from the votes and comments, whatever state they were left in."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select, text, update

from portal.extensions import db
from portal.models import Comment, DailySupport, Submission, User, Vote, utcnow
from portal.services.submissions import votes
from portal.services.submissions.counters import recount


def state(app, submission_id):
    """(support_count, comment_count, daily buckets) as stored."""
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        daily = dict(db.session.execute(
            select(DailySupport.day, DailySupport.count)
            .where(DailySupport.submission_id == submission_id)).all())
        return submission.support_count, submission.comment_count, daily


def truth(app, submission_id):
    """The same three, computed from the rows they summarise."""
    with app.app_context():
        created = db.session.scalars(
            select(Vote.created_at).where(Vote.submission_id == submission_id)).all()
        comments = db.session.scalars(select(Comment.id).where(
            Comment.submission_id == submission_id, Comment.deleted_at.is_(None))).all()
        return len(created), len(comments), dict(Counter(moment.date() for moment in created))


def repair(app, submission_ids=None):
    with app.app_context():
        recount(submission_ids)
        db.session.commit()


def corrupt(app):
    with app.app_context():
        db.session.execute(text("UPDATE submissions SET support_count = 99, comment_count = 42"))
        db.session.execute(text("UPDATE daily_supports SET count = count + 7"))
        db.session.commit()


def board(app, make):
    """Two submissions with supports (one given three days ago) and comments (one deleted)."""
    first, second = make.submission(), make.submission()
    supporters = [make.support(first) for _ in range(3)]
    make.support(second, supporters[0])
    deleted = make.comment(first)
    make.comment(first)
    make.comment(second)
    with app.app_context():
        db.session.execute(update(Vote).where(Vote.user_id == supporters[1].id)
                           .values(created_at=utcnow() - timedelta(days=3)))
        db.session.execute(update(Comment).where(Comment.id == deleted.id)
                           .values(deleted_at=utcnow()))
        db.session.add(DailySupport(submission_id=second.id, day=utcnow().date()
                                    - timedelta(days=30), count=5))
        db.session.commit()
    return first, second, supporters


def test_recount_repairs_only_the_submissions_asked(app, make):
    first, second, _ = board(app, make)
    corrupt(app)
    repair(app, [first.id])
    assert state(app, first.id) == truth(app, first.id) == (3, 1, {
        utcnow().date(): 2, utcnow().date() - timedelta(days=3): 1})
    assert state(app, second.id)[:2] == (99, 42)
    repair(app)
    assert state(app, second.id) == truth(app, second.id) == (1, 1, {utcnow().date(): 1})


def test_recount_of_nothing_changes_nothing(app, make):
    first, _, _ = board(app, make)
    corrupt(app)
    repair(app, [])
    assert state(app, first.id)[:2] == (99, 42)


def test_recount_keeps_updated_at(app, make):
    first, _, _ = board(app, make)
    with app.app_context():
        before = db.session.get(Submission, first.id).updated_at
    corrupt(app)
    repair(app)
    with app.app_context():
        assert db.session.get(Submission, first.id).updated_at == before


def test_buckets_after_recount_are_the_ones_the_supports_service_updates(app, make):
    """The rebuilt days must be stored exactly as the service writes them (a date string on
    SQLite), or a withdrawal would miss its bucket and the trending sort would drift."""
    first, _, supporters = board(app, make)
    corrupt(app)
    repair(app)
    with app.app_context():
        for supporter in supporters[:2]:
            votes.withdraw_support(db.session.get(User, supporter.id),
                                   db.session.get(Submission, first.id))
    make.support(first)
    today = utcnow().date()
    with app.app_context():
        rows = db.session.execute(select(DailySupport.day, DailySupport.count).where(
            DailySupport.submission_id == first.id).order_by(DailySupport.day)).all()
    assert [tuple(row) for row in rows] == [(today - timedelta(days=3), 0), (today, 2)]
    assert state(app, first.id)[:2] == truth(app, first.id)[:2] == (2, 1)
