"""The public listing: filters, sorts and text search in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    VISIBLE_STATUSES,
    DailySupport,
    Role,
    Submission,
    User,
    utcnow,
)
from ..core.sql import in_territory
from ..core.text import escape_like, normalise

SORTS = ("newest", "supported", "trending")


@dataclass(frozen=True)
class SubmissionFilters:
    kind: str | None = None
    territory_id: int | None = None
    theme_id: int | None = None
    status: str | None = None
    query: str = ""
    sort: str = "newest"


def _trending_scores():
    since = utcnow().date() - timedelta(days=current_app.config["TRENDING_DAYS"] - 1)
    return (
        select(DailySupport.submission_id, func.sum(DailySupport.count).label("recent"))
        .where(DailySupport.day >= since)
        .group_by(DailySupport.submission_id)
        .subquery()
    )


def build_query(filters: SubmissionFilters) -> Select:
    query = select(Submission).options(
        joinedload(Submission.territory), joinedload(Submission.theme),
        joinedload(Submission.author), joinedload(Submission.partner_organisation),
    )
    if filters.status:
        query = query.where(Submission.status == filters.status)
    else:
        query = query.where(Submission.status.in_(OPEN_STATUSES))
    if filters.kind:
        query = query.where(Submission.kind == filters.kind)
    if filters.theme_id:
        query = query.where(Submission.theme_id == filters.theme_id)
    if filters.territory_id:
        query = query.where(in_territory(Submission.territory_id, filters.territory_id))
    for word in normalise(filters.query).split()[:8]:
        query = query.where(Submission.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    if filters.sort == "supported":
        query = query.order_by(Submission.support_count.desc(), Submission.id.desc())
    elif filters.sort == "trending":
        scores = _trending_scores()
        query = query.outerjoin(scores, scores.c.submission_id == Submission.id).order_by(
            func.coalesce(scores.c.recent, 0).desc(), Submission.support_count.desc(),
            Submission.id.desc(),
        )
    else:
        query = query.order_by(Submission.created_at.desc(), Submission.id.desc())
    return query


def search(filters: SubmissionFilters, page: int = 1):
    """One page of results: a count query and a select, whatever the size of the table."""
    return db.paginate(build_query(filters), page=page, per_page=current_app.config["PER_PAGE"],
                       error_out=False)


def by_author(user: User) -> list[Submission]:
    """Everything a person posted, whatever its status, the newest first (their account page)."""
    return list(db.session.scalars(
        select(Submission).where(Submission.author_id == user.id)
        .options(joinedload(Submission.territory), joinedload(Submission.theme))
        .order_by(Submission.created_at.desc(), Submission.id.desc())))


def first(filters: SubmissionFilters, size: int) -> list[Submission]:
    """The first `size` of a listing, for a short block such as the home page's."""
    return list(db.session.scalars(build_query(filters).limit(size)).unique())


def counters() -> dict[str, int]:
    """The home page's figures: open contributions, their supports and their comments that are
    not hidden (`comment_count` leaves them out), and the residents' accounts (not the team's,
    nor the partners')."""
    counts = db.session.execute(select(
        func.count(Submission.id),
        func.coalesce(func.sum(Submission.support_count), 0),
        func.coalesce(func.sum(Submission.comment_count), 0),
    ).where(Submission.status.in_(OPEN_STATUSES))).one()
    residents = db.session.scalar(select(func.count(User.id)).where(User.role == Role.RESIDENT))
    return {"submissions": counts[0], "supports": counts[1], "comments": counts[2],
            "residents": residents}


def visible_submissions() -> list[Submission]:
    """Every contribution whose page a visitor may open, for the site plan and the sitemap."""
    return list(db.session.scalars(
        select(Submission).where(Submission.status.in_(VISIBLE_STATUSES))
        .order_by(Submission.id)))
