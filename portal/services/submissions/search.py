"""Full-text search of contributions, ranked by relevance then recency, on both databases.

PostgreSQL: a stored `search_vector` column (the French text-search configuration over
`unaccent`, generated from the title, weighted A, and the text, weighted B) under a GIN index.
SQLite: an FTS5 table (`unicode61 remove_diacritics 2`) over `search_title` and `search_text`,
the words of the title, and of the title and the text, stemmed by `core.text.search_words`, kept
in sync by triggers. On both a word of the title weighs TITLE_WEIGHT times a word of the text.
Either way case, accents and plurals do not matter ("laverie" finds "Laveries", "epicerie"
finds "Épicerie"). The schema objects are made by `install`, called after `create_all` and by
the migrations.

A common word matches thousands of contributions: a search reads the newest MATCHES_READ of them
and ranks those, so its cost stays flat whatever the number of matches.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import Select, column, event, false, func, literal_column, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import OPEN_STATUSES, Submission, Territory
from ..core.sql import on_sqlite
from ..core.text import TITLE_WEIGHT, query_words, search_words, stem

#: At most this many words of a query are looked for.
MAX_WORDS = 8
#: The FTS5 table and its shadow tables (SQLite), and the GIN index (PostgreSQL): not in the
#: models' metadata, so Alembic's comparison must leave them alone (see `is_search_object`).
FTS_TABLE = "submissions_search"
PG_INDEX = "ix_submissions_search"
PG_COLUMN = "search_vector"
#: A search ranks the newest this many matches, no more: ranking every match of a common word
#: would read every one of them. One more than the listing counts, so it can still say "over".
MATCHES_READ = 1001
EXCERPT_LENGTH = 240
#: The column of a counted search's rows that holds how many matched (see `matching`).
FOUND = "found"
_TOKEN = re.compile(r"(\w+)")

_FRENCH = literal_column("'french'::regconfig")
_fts = table(FTS_TABLE, column("rowid"), column("rank"))
#: ts_rank's weights, D, C, B (the text), A (the title); none may be over 1.
_PG_WEIGHTS = literal_column(f"'{{0, 0, {1 / TITLE_WEIGHT}, 1}}'::float4[]")

_VECTOR = "to_tsvector('french'::regconfig, portal_unaccent({}))"


def _pg_ddl(weighted: bool) -> tuple[str, ...]:
    """PostgreSQL's search objects; `weighted`: the title's words weigh more (the vector as it
    was before, for the migrations made then)."""
    vector = (f"setweight({_VECTOR.format('title')}, 'A') || "
              f"setweight({_VECTOR.format('body')}, 'B')" if weighted
              else _VECTOR.format("title || ' ' || body"))
    return (
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        # unaccent() is only STABLE (its dictionary could change); an index needs an IMMUTABLE
        # function, so this wrapper names the dictionary and vouches for it.
        "CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE STRICT AS "
        "$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
        # Computed once per write, not once per search (ranking a computed vector re-read and
        # re-stemmed every matching text).
        "ALTER TABLE submissions ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS "
        f"AS ({vector}) STORED",
        "DROP INDEX IF EXISTS ix_submissions_search",  # the former index, on the expression
        "CREATE INDEX IF NOT EXISTS ix_submissions_search_vector ON submissions USING gin "
        "(search_vector)",
    )


def _sqlite_ddl(weighted: bool) -> tuple[str, ...]:
    """SQLite's FTS5 table over the stored words and its triggers; `weighted`: with the title's
    words apart, weighing more (without: as it was before, for the migrations made then)."""
    names = ("search_title", "search_text") if weighted else ("search_text",)
    columns = ", ".join(names)
    new, old = (", ".join(f"{row}.{name}" for name in names) for row in ("new", "old"))
    return (
        "DROP TABLE IF EXISTS submissions_search",
        f"CREATE VIRTUAL TABLE submissions_search USING fts5({columns}, content='submissions', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        # Only the column names above go into this SQL (hence the noqa: S608 below).
        "CREATE TRIGGER IF NOT EXISTS submissions_search_insert "  # noqa: S608
        "AFTER INSERT ON submissions BEGIN "
        f"INSERT INTO submissions_search(rowid, {columns}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER IF NOT EXISTS submissions_search_delete "  # noqa: S608
        "AFTER DELETE ON submissions BEGIN "
        f"INSERT INTO submissions_search(submissions_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS submissions_search_update "  # noqa: S608
        f"AFTER UPDATE OF {columns} "
        "ON submissions BEGIN "
        f"INSERT INTO submissions_search(submissions_search, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO submissions_search(rowid, {columns}) VALUES (new.id, {new}); END",
        # The table's `rank`: bm25, the title's words weighing more.
        *([f"INSERT INTO submissions_search(submissions_search, rank) "  # noqa: S608
           f"VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0)')"] if weighted else []),
        "INSERT INTO submissions_search(submissions_search) VALUES ('rebuild')",
    )


_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS submissions_search_insert",
    "DROP TRIGGER IF EXISTS submissions_search_update",
    "DROP TRIGGER IF EXISTS submissions_search_delete",
    "DROP TABLE IF EXISTS submissions_search",
)
_PG_DROP = (
    "DROP INDEX IF EXISTS ix_submissions_search_vector",
    "DROP INDEX IF EXISTS ix_submissions_search",
    "ALTER TABLE submissions DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS portal_unaccent(text)",
)


def install(connection: Connection, *, weighted: bool = True) -> None:
    """Create the search's index (and, on SQLite, its table and triggers) for the rows there.
    `weighted=False`: the search before the title's words weighed more, which the migrations
    before `search_title_weight` made (the column they need came after them)."""
    statements = (_pg_ddl if connection.dialect.name == "postgresql" else _sqlite_ddl)(weighted)
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    """Drop what `install` made (the migration's downgrade)."""
    statements = _PG_DROP if connection.dialect.name == "postgresql" else _SQLITE_DROP
    for statement in statements:
        connection.execute(text(statement))


@event.listens_for(Submission.__table__, "after_create")
def _after_create(_table, connection, **_kw) -> None:
    install(connection)


def is_search_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's `include_object`: False for the search's own objects, which `install` makes."""
    return not (name or "").startswith((FTS_TABLE, PG_INDEX, PG_COLUMN))


def index_text(title: str, body: str) -> str:
    """What `search_text` holds: the stemmed words of the title and the text."""
    return " ".join(search_words(f"{title} {body}"))


def index_title(title: str) -> str:
    """What `search_title` holds: the stemmed words of the title (they weigh more)."""
    return " ".join(search_words(title))


def excerpt(body: str) -> str:
    """The start of the text, on one line, cut at a word: what a card shows."""
    flat = " ".join((body or "").split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    return flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"


def excerpt_around(body: str, words: str) -> str:
    """The passage of the text around the first word a search for `words` found, cut at words as
    `excerpt` cuts: a card found by its text shows why (the start of the text did not always
    hold the word). The start of the text when it shows the word, or holds none (found by the
    title)."""
    wanted = _wanted(words)
    flat = " ".join((body or "").split())
    found = next((word for word in _TOKEN.finditer(flat) if not _stems(word[0]).isdisjoint(wanted)),
                 None)
    if found is None or found.end() <= EXCERPT_LENGTH - 1:
        return excerpt(body)
    start = flat.rfind(" ", 0, found.start() - EXCERPT_LENGTH // 3) + 1
    passage = flat[start:start + EXCERPT_LENGTH]
    if start + EXCERPT_LENGTH < len(flat):
        passage = passage.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + passage


def matching(query: Select, words: str, *, ranked: bool, any_word: bool = False,
             counted: bool = False) -> Select:
    """`query` (over Submission) narrowed to the contributions matching every word of `words`
    (one of them at least when `any_word`); when `ranked`, the most relevant first, then the
    newest, and when also `counted`, each row says in its FOUND column how many matched (up to
    MATCHES_READ): the matches ranked are the ones counted, so a listing needs no count of its
    own (the count read the index a second time: 5 ms on SQLite at 100,000 contributions)."""
    # The stop words are left out on both databases (PostgreSQL would drop them; SQLite would
    # want every one of them in the text), so both look for the same words.
    typed = query_words(words)[:MAX_WORDS]
    if not typed:
        return query.where(false()) if words.strip() else query
    if not on_sqlite():
        # PostgreSQL stems with its own French dictionary: it gets the words as typed, which
        # are \w+ tokens, so nothing in them can be read as an operator.
        tsquery = (func.to_tsquery(_FRENCH, func.portal_unaccent(" | ".join(typed))) if any_word
                   else func.plainto_tsquery(_FRENCH, func.portal_unaccent(" ".join(typed))))
        vector = literal_column(f"{Submission.__tablename__}.{PG_COLUMN}")
        matched = query.where(vector.op("@@")(tsquery))
        # Normalised by the text's length (1: divided by 1 + its logarithm), as bm25 does on
        # SQLite: a word said once in a long text is not worth it said once in a short one.
        relevance = func.ts_rank(_PG_WEIGHTS, vector, tsquery, 1)
        newest_first = Submission.id.desc()
    else:
        phrase = (" OR " if any_word else " ").join(f'"{stem(word)}"' for word in typed)
        matched = query.join(_fts, _fts.c.rowid == Submission.id).where(
            text("submissions_search MATCH :fts_words").bindparams(fts_words=phrase))
        # bm25, the lower the better; the FTS table's own order (its rowid is the id) lets FTS5
        # hand the matches newest first and stop, instead of sorting every one of them.
        relevance, newest_first = -_fts.c.rank, _fts.c.rowid.desc()
    if not ranked:
        return matched
    # The newest matches, each with its relevance and nothing joined yet, then put in the
    # listing's order: the rows to show are joined in that order, so the database stops after
    # one page instead of joining every match of a common word before sorting them.
    newest = (matched.with_only_columns(Submission.id.label("id"), relevance.label("relevance"),
                                        Submission.created_at.label("created_at"))
              .order_by(None).order_by(newest_first).limit(MATCHES_READ).subquery("newest"))
    best_first = (newest.c.relevance.desc(), newest.c.created_at.desc(), newest.c.id.desc())
    hits = select(newest, func.count().over().label(FOUND)).order_by(*best_first).subquery("hits")
    ranked_query = query.join(hits, hits.c.id == Submission.id).order_by(None).order_by(
        hits.c.relevance.desc(), hits.c.created_at.desc(), hits.c.id.desc())
    return ranked_query.add_columns(hits.c[FOUND]) if counted else ranked_query


def highlight(value: str, words: str) -> Markup:
    """`value` escaped, its words that a search for `words` matched marked up. The markers are
    ours: nothing but escaped text comes from the database."""
    wanted = _wanted(words)
    if not wanted:
        return escape(value)
    value = value or ""
    parts, start = [], 0
    for word in _TOKEN.finditer(value):  # the text between two marks is escaped in one piece
        if not _stems(word[0]).isdisjoint(wanted):
            parts += (escape(value[start:word.start()]), "<mark>", escape(word[0]), "</mark>")
            start = word.end()
    if not parts:
        return escape(value)
    parts.append(escape(value[start:]))
    # Every piece from the database went through escape() above; the rest are our two tags.
    return Markup("".join(parts))  # noqa: S704


@lru_cache(maxsize=1024)
def _wanted(words: str | None) -> frozenset[str]:
    """The stems a search for `words` looks for: asked three times per card of its results."""
    return frozenset(stem(word) for word in query_words(words or ""))


@lru_cache(maxsize=65536)
def _stems(word: str) -> frozenset[str]:
    """The stems of one word of a card: the same few thousand words come back on every page."""
    return frozenset(search_words(word))


#: Words too common in needs and ideas to say two of them are about the same thing (stemmed).
STOP_WORDS = frozenset(search_words(
    "pour dans avec sans plus moins tous toutes leur leurs nous vous elle elles ils sont etre "
    "avoir faire quartier commune besoin idee personnes cette depuis entre aussi comme mais tres "
    "bien peut les des une aux sur par qui que est pas"))
#: How many candidates the text search hands to the finer scoring below.
SIMILAR_CANDIDATES = 50
#: Weight of the same territory (or the same commune) in the likeness of two contributions.
SAME_TERRITORY, SAME_PARENT = 0.15, 0.05


def _in_one_commune(one: Territory, other: Territory) -> bool:
    """Two places of one commune: its quartiers, or the commune and one of them. Their paths
    share more than the métropole, which holds every place."""
    shared = 0
    for mine, theirs in zip(one.path.strip("/").split("/"), other.path.strip("/").split("/"),
                            strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared >= 2


def _meaningful(text_: str) -> set[str]:
    return {word for word in search_words(text_) if len(word) > 2} - STOP_WORDS


def _jaccard(mine: set[str], theirs: set[str]) -> float:
    return len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0


def similar(title: str, body: str = "", *, territory_id: int | None = None,
            exclude_id: int | None = None, statuses=OPEN_STATUSES,
            limit: int = 5) -> list[tuple[Submission, float]]:
    """The contributions most like this title and text: the duplicate hints of the post form and
    the moderators' look-alikes. The index finds a bounded set of candidates sharing a word of
    the title; each is scored by shared words (the title's count more) and by territory."""
    title_words = _meaningful(title)
    if not title_words:
        return []
    query = select(Submission).where(Submission.status.in_(statuses)).options(
        joinedload(Submission.territory))
    if exclude_id is not None:
        query = query.where(Submission.id != exclude_id)
    # The title's words as typed, not their stems: each database stems them its own way (a stem
    # stemmed again is another word: "stress" -> "stres" -> "str").
    typed = " ".join(word for word in query_words(title) if stem(word) in title_words)
    query = matching(query, typed, ranked=True, any_word=True)
    candidates = db.session.scalars(query.limit(SIMILAR_CANDIDATES)).unique().all()
    place = db.session.get(Territory, territory_id) if territory_id else None
    mine = title_words | _meaningful(body)
    scored = []
    for other in candidates:
        score = (0.6 * _jaccard(title_words, _meaningful(other.title))
                 + 0.4 * _jaccard(mine, set(other.search_text.split()) - STOP_WORDS))
        if place is not None and other.territory_id == place.id:
            score += SAME_TERRITORY
        elif place is not None and _in_one_commune(place, other.territory):
            score += SAME_PARENT
        if score > 0.1:
            scored.append((other, round(min(score, 1.0), 2)))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].id))
    return scored[:limit]
