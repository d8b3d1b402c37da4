"""The public listing: filters, sorts and text search in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import joinedload, load_only

from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    VISIBLE_STATUSES,
    PartnerOrganisation,
    Submission,
    SubmissionStatus,
    User,
)
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
#: visitor may support it: not the text (the card has its stored excerpt), nor the moderation's
#: and the partners' columns.
CARD_COLUMNS = (Submission.kind, Submission.status, Submission.title, Submission.excerpt,
                Submission.territory_id, Submission.theme_id, Submission.author_id,
                Submission.partner_organisation_id, Submission.support_count,
                Submission.comment_count, Submission.created_at)


def build_query(filters: SubmissionFilters, *, cards: bool = False) -> Select:
    """The listing's select. Every filter and sort reads an index (issue 13); `cards` loads
    only what a card shows (the stored excerpt, not the body)."""
    return _ordered(_filtered(filters, cards=cards), filters)


def _filtered(filters: SubmissionFilters, *, cards: bool) -> Select:
    """The listing's rows, in no order (what its count needs too)."""
    author, partner = joinedload(Submission.author), joinedload(Submission.partner_organisation)
    if cards:
        # A card names its author (a staff badge by role) or the organisation that forwarded it.
        author = author.load_only(User.display_name, User.role)
        partner = partner.load_only(PartnerOrganisation.name)
    query = select(Submission).options(
        joinedload(Submission.territory), joinedload(Submission.theme), author, partner)
    if cards:
        # Words searched for, a card shows the passage of the text that holds them.
        text = (Submission.body,) if filters.query else ()
        query = query.options(load_only(*CARD_COLUMNS, *text))
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

    items: list[Submission]
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


def paginate(query: Select, page: int, per_page: int, *, counted: Select | None = None) -> Page:
    """One query whatever the size of the table: the page, one row more (it tells whether a next
    page exists), each row saying in its FOUND column how many there are up to COUNT_CAP + 1:
    a count of `counted` (the same rows as `query`, without what only its order needs), or, for
    a ranked search, the matches it ranked (see `search.matching`). A page past the end has no
    row to say it: the count then runs alone."""
    counted = query if counted is None else counted
    offset = (page - 1) * per_page
    if FOUND not in query.selected_columns:
        if offset:
            # The rows skipped are read from the sort's index alone; only the page's rows are
            # joined to their places, themes and authors (page 50 joined 1,001 rows).
            shown = query.with_only_columns(Submission.id).limit(per_page + 1).offset(offset)
            query, offset = query.where(Submission.id.in_(shown.scalar_subquery())), 0
        query = query.add_columns(_capped_count(counted).scalar_subquery().label(FOUND))
    rows = db.session.execute(query.limit(per_page + 1).offset(offset)).unique().all()
    total = rows[0][1] if rows else db.session.scalar(_capped_count(counted))
    return Page(items=[row[0] for row in rows[:per_page]], page=page, per_page=per_page,
                total=min(total, COUNT_CAP), capped=total > COUNT_CAP,
                has_next=len(rows) > per_page)


def _capped_count(query: Select) -> Select:
    """How many rows `query` has, counting COUNT_CAP + 1 at most. A constant, not the ids: the
    filters' index alone answers (an index-only scan)."""
    found = (query.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
             .limit(COUNT_CAP + 1).subquery())
    return select(func.count()).select_from(found)


def search(filters: SubmissionFilters, page: int = 1, *, cards: bool = False) -> Page:
    """One page of results, in a fixed number of queries whatever the size of the table."""
    rows = _filtered(filters, cards=cards)  # a place's subtree is looked up once
    counted = matching(rows, filters.query, ranked=False) if filters.query else rows
    return paginate(_ordered(rows, filters), page, current_app.config["PER_PAGE"],
                    counted=counted)


def by_author(user: User) -> list[Submission]:
    """Everything a person posted, whatever its status, the newest first (their account page)."""
    return list(db.session.scalars(
        select(Submission).where(Submission.author_id == user.id)
        .options(joinedload(Submission.territory), joinedload(Submission.theme))
        .order_by(Submission.created_at.desc(), Submission.id.desc())))


def first(filters: SubmissionFilters, size: int) -> list[Submission]:
    """The first `size` of a listing, for a short block such as the home page's."""
    return list(db.session.scalars(build_query(filters, cards=True).limit(size)).unique())


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
