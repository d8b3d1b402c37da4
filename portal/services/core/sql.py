"""Small SQL helpers that must behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db


def dialect_insert(model):
    """An INSERT that knows ON CONFLICT on both databases we run on."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def in_territory(column, territory_id: int):
    """`column` (a territory id) names `territory_id` or one of its communes and quartiers: the
    materialised path of a territory starts with its parent's. One query, no lookup first."""
    from ...models import Territory

    subtree_root = select(Territory.path).where(Territory.id == territory_id).scalar_subquery()
    return column.in_(select(Territory.id).where(Territory.path.like(subtree_root.concat("%"))))
