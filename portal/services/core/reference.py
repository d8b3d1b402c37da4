"""Territories and themes, read once per process and kept a short while.

Every page with filters lists them, and the commune filter needs a place's subtree: two or three
small queries on every listing, for data that changes only when the territories and themes are
set up (`flask bootstrap`, the demo). A change made through this process's sessions is seen at
once (a flush that writes one forgets what was kept); one made by another process (a command run
beside the server) is seen within REFERENCE_KEPT_SECONDS (a minute). The kept rows are immutable
tuples replaced whole, so threads may share them.
"""
from __future__ import annotations

import time
from typing import NamedTuple

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import Territory, Theme


class Place(NamedTuple):
    id: int
    code: str
    name: str
    path: str


class ThemeName(NamedTuple):
    id: int
    code: str
    name_fr: str
    name_en: str

    @property
    def name(self) -> str:
        return Theme.name_in_locale(self.name_fr, self.name_en)


_kept: dict[tuple[int, str], tuple[float, tuple, dict]] = {}


def _read(shape, query) -> tuple[tuple, dict]:
    """The rows of `query` as `shape`s, and the same by id, kept per database."""
    key = (id(db.engine), shape.__name__)
    now = time.monotonic()
    found = _kept.get(key)
    if found is None or now - found[0] >= current_app.config["REFERENCE_KEPT_SECONDS"]:
        rows = tuple(shape(*row) for row in db.session.execute(query))
        found = (now, rows, {row.id: row for row in rows})
        _kept[key] = found
    return found[1], found[2]


_PLACES = select(Territory.id, Territory.code, Territory.name, Territory.path) \
    .order_by(Territory.path)
_THEMES = select(Theme.id, Theme.code, Theme.name_fr, Theme.name_en) \
    .order_by(Theme.position, Theme.name_fr)


def places() -> tuple[Place, ...]:
    """Every territory, in the order of their materialised paths."""
    return _read(Place, _PLACES)[0]


def themes() -> tuple[ThemeName, ...]:
    """Every theme, in the order the Fabrique gave them."""
    return _read(ThemeName, _THEMES)[0]


def places_by_id() -> dict[int, Place]:
    return _read(Place, _PLACES)[1]


def themes_by_id() -> dict[int, ThemeName]:
    return _read(ThemeName, _THEMES)[1]


def place(territory_id: int) -> Place | None:
    return places_by_id().get(territory_id)


def theme(theme_id: int) -> ThemeName | None:
    return themes_by_id().get(theme_id)


def subtree_ids(territory_id: int) -> list[int]:
    """`territory_id` and the ids of its communes and quartiers (a territory's path starts with
    its parent's); empty for an unknown territory."""
    root = place(territory_id)
    return [other.id for other in places() if root and other.path.startswith(root.path)]


def forget() -> None:
    """Read the territories and themes again on next use (after they were changed behind the
    sessions' back, by raw SQL)."""
    _kept.clear()


WRITTEN = "reference_written"


@event.listens_for(Session, "after_flush")
def _forget_when_written(session: Session, _context) -> None:
    if any(isinstance(obj, (Territory, Theme))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[WRITTEN] = True
        forget()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_when_ended(session: Session) -> None:
    """Rows read between the flush and the end of its transaction may have been kept."""
    if session.info.pop(WRITTEN, False):
        forget()
