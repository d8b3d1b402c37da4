"""Small SQL helpers that must behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db


def on_sqlite() -> bool:
    """Whether the session's database is SQLite (the embedded default) rather than
    PostgreSQL: where the two need different SQL, this is the one place that tells them apart."""
    return db.session.get_bind().dialect.name == "sqlite"


def dialect_insert(model):
    """An INSERT that knows ON CONFLICT on both databases we run on."""
    return sqlite.insert(model) if on_sqlite() else postgresql.insert(model)


def in_territory(column, territory_id: int):
    """`column` (a territory id) names `territory_id` or one of its communes and quartiers."""
    from .reference import subtree_ids

    return column.in_(subtree_ids(territory_id))


def refresh_statistics() -> None:
    """Let SQLite's planner know the size and shape of the tables, as PostgreSQL's autovacuum
    does by itself: without statistics SQLite sorts a whole table to show 20 contributions,
    where an index gives them in order. Every row is read: a sampled ANALYZE (analysis_limit)
    took the status of a contribution for a selective column and chose that sort all the same
    (0.2 s a listing at 100,000 contributions). Reading them all took 0.7 s at that size, once
    an hour. Commits."""
    if on_sqlite():
        db.session.execute(text("PRAGMA analysis_limit = 0"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
