"""The home page's figures: open contributions, their supports, their visible comments, and the
residents' accounts, kept as running totals by database triggers.

Counting them on every visit read whole tables (issue 13); caching the count still recounted after
every support. Triggers see every write, whichever path makes it (a use case, a bulk UPDATE, a
merge, a repair in SQL), in the writer's own transaction, so the figures are exact at every
commit and reading them costs one small query. The totals are spread over SLOTS rows (by the
changed row's id) so that concurrent supports on PostgreSQL rarely wait on the same row; a row
is created by the first change that needs it, so an emptied table just reads zero.

The triggers are written once here, as the statements both databases run: PostgreSQL calls them
from a PL/pgSQL function, SQLite from its own triggers. The SQL is built from this module's
constants only: nothing in it comes from outside.
"""
from __future__ import annotations

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Connection

from ...extensions import db
from ...models import OPEN_STATUSES, Role, SiteFigures

SLOTS = 8
COLUMNS = ("submissions", "supports", "comments", "residents")
_OPEN = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
_TRIGGERS = {  # name: (table, columns an UPDATE must touch to matter)
    "site_figures_submissions": ("submissions", "status, support_count, comment_count"),
    "site_figures_users": ("users", "role"),
}


def _counted(table: str, rows: str, sign: str) -> str:
    """The slots and amounts that `rows` of `table` count for, added (sign '+') or taken away
    (sign '-'), as a SELECT. `rows` is a transition table (PostgreSQL) or a row (SQLite's `new`
    or `old`)."""
    row = f"{rows}." if rows in ("new", "old") else ""
    if table == "submissions":
        values = (f"{sign}1", f"{sign}{row}support_count", f"{sign}{row}comment_count", "0")
        when = f"{row}status IN ({_OPEN})"
    else:
        values, when = ("0", "0", "0", f"{sign}1"), f"{row}role = '{Role.RESIDENT}'"
    columns = ", ".join(f"{value} AS {column}" for value, column in zip(values, COLUMNS,
                                                                       strict=True))
    source = "" if row else f" FROM {rows}"
    return f"SELECT {row}id % {SLOTS} AS slot, {columns}{source} WHERE {when}"


def _add(selects: list[str]) -> str:
    """Add what `selects` count to the slots, leaving alone a slot whose figures do not move."""
    # WHERE before ON CONFLICT: SQLite's parser needs one there to read the upsert.
    return (f"INSERT INTO site_figures (slot, {', '.join(COLUMNS)}) "  # noqa: S608
            f"SELECT slot, {', '.join(f'SUM({column})' for column in COLUMNS)} FROM ("
            + " UNION ALL ".join(selects) + ") AS moved WHERE true GROUP BY slot HAVING "
            + " OR ".join(f"SUM({column}) <> 0" for column in COLUMNS)
            + " ON CONFLICT (slot) DO UPDATE SET "
            + ", ".join(f"{column} = site_figures.{column} + excluded.{column}"
                        for column in COLUMNS))


def _postgresql(name: str, table: str, columns: str) -> list[str]:
    """Statement triggers over transition tables: a bulk UPDATE of many rows moves each slot
    once (a row trigger would update the same few rows thousands of times in one transaction,
    each update slower than the last). PostgreSQL cannot narrow such a trigger to `columns`: an
    UPDATE that moves no figure ends in the HAVING, writing nothing."""
    statements = []
    for event_, tables in (("insert", ("new_rows",)), ("update", ("old_rows", "new_rows")),
                           ("delete", ("old_rows",))):
        selects = [_counted(table, rows, "-" if rows == "old_rows" else "+") for rows in tables]
        referencing = " ".join(f"{'OLD' if rows == 'old_rows' else 'NEW'} TABLE AS {rows}"
                               for rows in tables)
        statements += [
            f"CREATE OR REPLACE FUNCTION portal_{name}_{event_}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_add(selects)}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {name}_{event_} ON {table}",
            f"CREATE TRIGGER {name}_{event_} AFTER {event_.upper()} ON {table} "
            f"REFERENCING {referencing} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION portal_{name}_{event_}()"]
    return statements


def _sqlite(name: str, table: str, columns: str) -> list[str]:
    """Row triggers (SQLite has no transition tables; it updates in place, so many updates of
    one row cost no more than one)."""
    return [f"DROP TRIGGER IF EXISTS {name}_{event_}" for event_ in ("insert", "update", "delete")
            ] + [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN "
        f"{_add([_counted(table, 'new', '+')])}; END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON {table} BEGIN "
        f"{_add([_counted(table, 'old', '-'), _counted(table, 'new', '+')])}; END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN "
        f"{_add([_counted(table, 'old', '-')])}; END"]


def install(connection: Connection) -> None:
    """Create the triggers and count the figures of the rows already there."""
    make = _postgresql if connection.dialect.name == "postgresql" else _sqlite
    for name, (table, columns) in _TRIGGERS.items():
        for statement in make(name, table, columns):
            connection.execute(text(statement))
    refresh(connection)


def uninstall(connection: Connection) -> None:
    """Drop what `install` made (the migration's downgrade)."""
    for name, (table, _columns) in _TRIGGERS.items():
        for event_ in ("insert", "update", "delete"):
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}_{event_} ON {table}"))
                connection.execute(text(f"DROP FUNCTION IF EXISTS portal_{name}_{event_}()"))
            else:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}_{event_}"))


def refresh(connection: Connection) -> None:
    """Count the figures again from the rows: when installing, or after rows were loaded without
    their triggers (a restore of the data alone)."""
    connection.execute(text("DELETE FROM site_figures"))
    connection.execute(text(
        f"INSERT INTO site_figures (slot, {', '.join(COLUMNS)}) "  # noqa: S608
        f"SELECT slot, {', '.join(f'SUM({column})' for column in COLUMNS)} FROM ("
        f"SELECT id % {SLOTS} AS slot, 1 AS submissions, support_count AS supports, "
        f"comment_count AS comments, 0 AS residents FROM submissions WHERE status IN ({_OPEN}) "
        f"UNION ALL SELECT id % {SLOTS}, 0, 0, 0, 1 FROM users WHERE role = '{Role.RESIDENT}'"
        f") AS counted GROUP BY slot"))


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    install(connection)


def read() -> dict[str, int]:
    """The figures now: one query over a few rows."""
    sums = db.session.execute(select(*(
        func.coalesce(func.sum(getattr(SiteFigures, column)), 0) for column in COLUMNS))).one()
    return dict(zip(COLUMNS, (int(value) for value in sums), strict=True))
