"""A consistent copy of the whole database, and bringing one back (`flask backup`/`restore`).

SQLite: the online backup API copies a consistent snapshot while the site keeps running.
PostgreSQL: `pg_dump` in its custom format (one snapshot too), and `pg_restore` to bring it back.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from ...extensions import db


class BackupError(RuntimeError):
    """The copy or the restore could not be made; the message says why."""


def backup(path: Path) -> Path:
    """Write a consistent copy of the database to `path`."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        with _sqlite(url.database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return path
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), _libpq(url)])
    return path


def restore(path: Path) -> None:
    """Replace the database's content with the copy at `path` (made by `backup`)."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old tables open
    if url.get_backend_name() == "sqlite":
        try:
            with sqlite3.connect(path) as source, _sqlite(url.database) as target:
                source.backup(target)
        except sqlite3.DatabaseError as error:  # read before anything is written
            raise BackupError(f"{path} is not an SQLite backup ({error}).") from error
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--dbname", _libpq(url), str(path)])


def _sqlite(database: str | None) -> sqlite3.Connection:
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return sqlite3.connect(database)


def _libpq(url) -> str:
    """The URL as pg_dump reads it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools).")
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
