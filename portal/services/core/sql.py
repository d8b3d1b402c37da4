"""Small SQL helpers that must behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db


def dialect_insert(model):
    """An INSERT that knows ON CONFLICT on both databases we run on."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
