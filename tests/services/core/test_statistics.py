"""The worker's hourly pass keeps SQLite's planner informed of the tables' size."""
from __future__ import annotations

from sqlalchemy import text

from portal.extensions import db
from portal.worker import periodic_safely


def test_the_hourly_pass_gives_sqlite_its_statistics(app, make):
    for _ in range(3):
        make.submission()
    periodic_safely(app)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return  # PostgreSQL's autovacuum keeps its own
        analysed = db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
    assert "submissions" in analysed
