"""The public listing: filters, sorts and text search in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    STAFF_ROLES,
    VISIBLE_STATUSES,
    PartnerOrganisation,
    Submission,
    SubmissionStatus,
    User,
)
from ...models.submissions import public_author_name
from ..core import reference
from ..core.sql import in_territory, on_sqlite
from . import figures
from .search import FOUND, MATCHES_READ, matching

SORTS = ("newest", "supported", "trending")
#: With words searched for, this sort ranks the matches: the most relevant first, then the newest.
RANKED_SORT = "newest"
CLOSED_STATUSES = tuple(status for status in SubmissionStatus if status not in OPEN_STATUSES)


def _is_open():
    """Open, as each planner reads it best. Most contributions are open: on SQLite it is said
    as "not closed", which no index can serve, so the sort's index is read in order and a page
    comes after a few rows (as "open", SQLite could take a status index and sort every open
    contribution: 0.2 s at 100,000). PostgreSQL's statistics weigh "open" well, and its count
    then reads only the open part of a status index (as "not closed" it read the pending ones
    too: 5 ms at 100,000)."""
    if on_sqlite():
        return Submission.status.not_in(CLOSED_STATUSES)
    return Submission.status.in_(OPEN_STATUSES)


@dataclass(frozen=True)
class SubmissionFilters:
    kind: str | None = None
    territory_id: int | None = None
    theme_id: int | None = None
    status: str | None = None
    query: str = ""
    sort: str = "newest"


#: A listing counts its results up to this many, then says "over 1,000": an exact count would
#: read every matching row, and nobody pages that far.
COUNT_CAP = MATCHES_READ - 1


#: What a card shows (templates/macros/submissions.html), and what it needs to say whether the
#: visitor may support it, read as plain columns (not the text: the card has its stored excerpt;
#: its place and theme come from the kept reference data). Loading 21 contributions as objects
#: with their places, themes, authors and organisations cost more than the query itself.
CARD_COLUMNS = (Submission.id, Submission.kind, Submission.status, Submission.title,
                Submission.excerpt, Submission.territory_id, Submission.theme_id,
                Submission.author_id, Submission.support_count, Submission.comment_count,
                Submission.created_at, User.display_name.label("author_name"),
                User.role.label("author_role"), PartnerOrganisation.name.label("partner_name"))


@dataclass(frozen=True, slots=True)
class Byline:
    """A card's author: their name, and their role for the team's badge."""

    display_name: str
    role: str

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


@dataclass(slots=True)
class Card:
    """A contribution as a card shows it (read by the card macro and the support policy, as a
    Submission would be)."""

    id: int
    kind: str
    status: str
    title: str
    excerpt: str
    territory_id: int
    theme_id: int
    author_id: int | None
    support_count: int
    comment_count: int
    created_at: datetime
    author: Byline | None
    public_author_name: str | None
    territory: reference.Place | None
    theme: reference.ThemeName | None
    body: str = ""

    @classmethod
    def reader(cls):
        """A function making a Card of a row of CARD_COLUMNS (the places and themes read once)."""
        places, themes = reference.places_by_id(), reference.themes_by_id()

        def card(row) -> Card:
            return cls(id=row.id, kind=row.kind, status=row.status, title=row.title,
                       excerpt=row.excerpt, territory_id=row.territory_id,
                       theme_id=row.theme_id, author_id=row.author_id,
                       support_count=row.support_count, comment_count=row.comment_count,
                       created_at=row.created_at,
                       author=(Byline(row.author_name, row.author_role)
                               if row.author_role is not None else None),
                       public_author_name=public_author_name(row.partner_name, row.author_name),
                       territory=places.get(row.territory_id), theme=themes.get(row.theme_id),
                       body=getattr(row, "body", ""))
        return card


def build_query(filters: SubmissionFilters, *, cards: bool = False) -> Select:
    """The listing's select: contributions with their places, themes and authors, or `cards`'
    columns. Every filter and sort reads an index (issue 13)."""
    ordered = _ordered(_filtered(filters), filters)
    return _as_cards(ordered, filters) if cards else _with_relations(ordered)


def _with_relations(query: Select) -> Select:
    return query.options(joinedload(Submission.territory), joinedload(Submission.theme),
                         joinedload(Submission.author),
                         joinedload(Submission.partner_organisation))


def _as_cards(query: Select, filters: SubmissionFilters) -> Select:
    """The listing's rows (and their count, if a ranked search gave it) as cards' columns.
    Words searched for, a card shows the passage of the text that holds them."""
    text = (Submission.body,) if filters.query else ()
    found = [column for column in query.selected_columns if column.key == FOUND]
    return (query.outerjoin(User, User.id == Submission.author_id)
            .outerjoin(PartnerOrganisation,
                       PartnerOrganisation.id == Submission.partner_organisation_id)
            .with_only_columns(*CARD_COLUMNS, *text, *found, maintain_column_froms=True))


def _filtered(filters: SubmissionFilters) -> Select:
    """The listing's contributions, in no order (what its count needs too)."""
    query = select(Submission)
    if filters.status:
        query = query.where(Submission.status == filters.status)
    else:
        query = query.where(_is_open())
    if filters.kind:
        query = query.where(Submission.kind == filters.kind)
    if filters.theme_id:
        query = query.where(Submission.theme_id == filters.theme_id)
    if filters.territory_id:
        query = query.where(in_territory(Submission.territory_id, filters.territory_id))
    return query


def _ordered(query: Select, filters: SubmissionFilters) -> Select:
    """The listing's rows in the order asked for; words searched for, the most relevant first
    unless another sort was asked for."""
    if filters.sort == "supported":
        query = query.order_by(Submission.support_count.desc(), Submission.id.desc())
    elif filters.sort == "trending":
        query = query.order_by(Submission.trending_score.desc(), Submission.support_count.desc(),
                               Submission.id.desc())
    else:
        query = query.order_by(Submission.created_at.desc(), Submission.id.desc())
    if filters.query:
        ranked = filters.sort == RANKED_SORT
        query = matching(query, filters.query, ranked=ranked, counted=ranked)
    return query


@dataclass(frozen=True)
class Page:
    """One page of a listing, with a count that stops at COUNT_CAP (`capped` then)."""

    items: list
    page: int
    per_page: int
    total: int
    capped: bool
    has_next: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(query: Select, page: int, per_page: int, *, counted: Select | None = None,
             ordered: Select | None = None, shape=lambda row: row[0]) -> Page:
    """One query whatever the size of the table: the page, one row more (it tells whether a next
    page exists), each row saying in its FOUND column how many there are up to COUNT_CAP + 1:
    a count of `counted` (the same rows as `query`, without what only its order needs), or, for
    a ranked search, the matches it ranked (see `search.matching`). A page past the end has no
    row to say it: the count then runs alone. `ordered` is `query`'s rows in its order with
    nothing joined, which the pages before are skipped in. `shape` makes an item of a row (its
    first column, an object, unless told)."""
    counted = query if counted is None else counted
    ordered = query if ordered is None else ordered
    offset = (page - 1) * per_page
    if FOUND not in query.selected_columns:
        if offset:
            # The rows skipped are read from the sort's index alone (nothing joined: PostgreSQL
            # then read them from the table); only the page's rows are joined to their authors
            # (page 50 joined 1,001 rows).
            shown = ordered.with_only_columns(Submission.id).limit(per_page + 1).offset(offset)
            query, offset = query.where(Submission.id.in_(shown.scalar_subquery())), 0
        query = query.add_columns(_capped_count(counted).scalar_subquery().label(FOUND))
    rows = db.session.execute(query.limit(per_page + 1).offset(offset)).unique().all()
    total = rows[0]._mapping[FOUND] if rows else db.session.scalar(_capped_count(counted))
    return Page(items=[shape(row) for row in rows[:per_page]], page=page, per_page=per_page,
                total=min(total, COUNT_CAP), capped=total > COUNT_CAP,
                has_next=len(rows) > per_page)


def _capped_count(query: Select) -> Select:
    """How many rows `query` has, counting COUNT_CAP + 1 at most. A constant, not the ids: the
    filters' index alone answers (an index-only scan)."""
    found = (query.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
             .limit(COUNT_CAP + 1).subquery())
    return select(func.count()).select_from(found)


def search(filters: SubmissionFilters, page: int = 1, *, cards: bool = False) -> Page:
    """One page of results, in a fixed number of queries whatever the size of the table: as
    Cards, or as contributions with their relations."""
    rows = _filtered(filters)
    counted = matching(rows, filters.query, ranked=False) if filters.query else rows
    shown = _ordered(rows, filters)
    if cards:
        return paginate(_as_cards(shown, filters), page, current_app.config["PER_PAGE"],
                        counted=counted, ordered=shown, shape=Card.reader())
    return paginate(_with_relations(shown), page, current_app.config["PER_PAGE"],
                    counted=counted)


def by_author(user: User) -> list[Submission]:
    """Everything a person posted, whatever its status, the newest first (their account page)."""
    return list(db.session.scalars(
        select(Submission).where(Submission.author_id == user.id)
        .options(joinedload(Submission.territory), joinedload(Submission.theme))
        .order_by(Submission.created_at.desc(), Submission.id.desc())))


def first(filters: SubmissionFilters, size: int) -> list[Card]:
    """The first `size` of a listing as cards, for a short block such as the home page's."""
    card = Card.reader()
    return [card(row) for row in db.session.execute(build_query(filters, cards=True).limit(size))]


def counters() -> dict[str, int]:
    """The home page's figures: open contributions, their supports and their comments that are
    not hidden, and the residents' accounts (not the team's, nor the partners'), kept as
    running totals by the database (see `figures`)."""
    return figures.read()


def visible_submissions() -> list[Submission]:
    """Every contribution whose page a visitor may open, for the site plan and the sitemap."""
    return list(db.session.scalars(
        select(Submission).where(Submission.status.in_(VISIBLE_STATUSES))
        .order_by(Submission.id)))
