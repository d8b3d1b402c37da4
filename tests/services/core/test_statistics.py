"""The worker's hourly pass keeps SQLite's planner informed of the tables' size, and the open
listing is asked in a way no statistics can turn into a sort of every open contribution
(issue 13: 0.2 s a listing at 100,000 contributions)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, inspect, text

from portal.extensions import db
from portal.models import Submission, SubmissionStatus
from portal.services.submissions.listing import SORTS, SubmissionFilters, build_query
from portal.worker import periodic_safely

#: Enough rows for a sampled ANALYZE to misjudge the status column, as it did at 100,000.
COPIES = 3000


def _many_like(submission: Submission) -> None:
    """COPIES contributions like one the portal made, spread over time, some waiting, declined
    or under study: the state of a busy portal, written in bulk because posting them one by
    one takes minutes."""
    row = {column.key: getattr(submission, column.key)
           for column in inspect(Submission).column_attrs if column.key != "id"}
    statuses = [SubmissionStatus.PUBLISHED] * 7 + [
        SubmissionStatus.PENDING, SubmissionStatus.DECLINED, SubmissionStatus.UNDER_STUDY]
    db.session.execute(insert(Submission), [
        {**row, "status": statuses[n % len(statuses)], "kind": ("need", "idea")[n % 2],
         "created_at": row["created_at"] - timedelta(minutes=n)} for n in range(COPIES)])
    db.session.commit()


def test_after_the_hourly_pass_no_listing_picks_its_rows_by_status(app, make):
    made = make.submission()
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return  # PostgreSQL's autovacuum keeps its own statistics
        _many_like(db.session.get(Submission, made.id))
    periodic_safely(app)
    with app.app_context():
        analysed = db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
        assert "submissions" in analysed
        for sort in SORTS:
            query = build_query(SubmissionFilters(sort=sort), cards=True).limit(21)
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = " ".join(row[3] for row in db.session.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
            # Chosen by status, the rows come out of order: every open one is read and sorted.
            assert "(status=?)" not in plan, (sort, plan)
