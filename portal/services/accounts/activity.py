""""Mon activité": what a resident sent, supported, followed and offered, and what became of each,
in a fixed number of queries whatever the number of items."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Follow,
    Lead,
    LeadSubmission,
    Offer,
    StageChange,
    Submission,
    User,
    Vote,
    Workshop,
    WorkshopInvitation,
)
from ..leads.stages import public_news


@dataclass(frozen=True)
class LeadNews:
    """Where the lead a contribution became stands, in plain words; `public_id` only when its
    page is public (a private fiche is never linked)."""

    stage: str
    news: str
    public_id: int | None


@dataclass(frozen=True)
class Entry:
    submission: Submission
    lead: LeadNews | None


@dataclass(frozen=True)
class OfferEntry:
    offer: Offer
    about: str  # the project's or the contribution's title
    lead_id: int | None  # the public project to link to
    submission_id: int | None


@dataclass(frozen=True)
class Invitation:
    held_on: date
    place: str
    project: str
    lead_id: int | None  # the public project to link to


@dataclass
class Activity:
    contributions: list[Entry] = field(default_factory=list)
    supported: list[Entry] = field(default_factory=list)
    followed: list[Entry] = field(default_factory=list)
    offers: list[OfferEntry] = field(default_factory=list)
    workshops: list[Invitation] = field(default_factory=list)


def _lead_news(submission_ids: list[int]) -> dict[int, LeadNews]:
    """submission id -> its lead's news, in two queries."""
    if not submission_ids:
        return {}
    rows = db.session.execute(
        select(LeadSubmission.submission_id, Lead.id, Lead.stage, Lead.is_public,
               Lead.enterprise_name)
        .join(Lead, Lead.id == LeadSubmission.lead_id)
        .where(LeadSubmission.submission_id.in_(submission_ids))).all()
    lead_ids = {row[1] for row in rows}
    last = select(func.max(StageChange.id)).where(StageChange.lead_id.in_(lead_ids)) \
        .group_by(StageChange.lead_id)
    reasons = dict(db.session.execute(
        select(StageChange.lead_id, StageChange.reason).where(StageChange.id.in_(last))).all()) \
        if lead_ids else {}
    return {
        submission_id: LeadNews(
            stage=stage,
            news=public_news(stage, reason=reasons.get(lead_id, ""),
                             enterprise=enterprise_name or ""),
            public_id=lead_id if is_public else None)
        for submission_id, lead_id, stage, is_public, enterprise_name in rows
    }


def activity(user: User) -> Activity:
    """Everything on "Mon activité", newest first in each part. Eight queries at most."""
    mine = db.session.scalars(select(Submission).where(Submission.author_id == user.id)
                              .order_by(Submission.created_at.desc(), Submission.id.desc())).all()
    supported = db.session.scalars(
        select(Submission).join(Vote, Vote.submission_id == Submission.id)
        .where(Vote.user_id == user.id).order_by(Vote.id.desc())).all()
    followed = db.session.scalars(
        select(Submission).join(Follow, Follow.submission_id == Submission.id)
        .where(Follow.user_id == user.id).order_by(Follow.id.desc())).all()
    shown = {s.id for s in mine} | {s.id for s in supported}
    followed = [s for s in followed if s.id not in shown]
    news = _lead_news(list({s.id for s in (*mine, *supported, *followed)}))
    result = Activity(
        contributions=[Entry(s, news.get(s.id)) for s in mine],
        supported=[Entry(s, news.get(s.id)) for s in supported],
        followed=[Entry(s, news.get(s.id)) for s in followed],
    )
    offers = db.session.execute(
        select(Offer, Lead.title, Lead.is_public, Submission.title)
        .outerjoin(Lead, Lead.id == Offer.lead_id)
        .outerjoin(Submission, Submission.id == Offer.submission_id)
        .where(Offer.user_id == user.id).order_by(Offer.created_at.desc(), Offer.id.desc())).all()
    for offer, lead_title, lead_public, submission_title in offers:
        result.offers.append(OfferEntry(
            offer=offer, about=(submission_title or lead_title or ""),
            lead_id=offer.lead_id if lead_public else None,
            submission_id=offer.submission_id))
    invitations = db.session.execute(
        select(Workshop.held_on, Workshop.place, Lead.title, Lead.id, Lead.is_public)
        .join(WorkshopInvitation, WorkshopInvitation.workshop_id == Workshop.id)
        .join(Lead, Lead.id == Workshop.lead_id)
        .where(WorkshopInvitation.user_id == user.id)
        .order_by(Workshop.held_on.desc(), Workshop.id.desc())).all()
    result.workshops = [Invitation(held_on, place, title, lead_id if public else None)
                        for held_on, place, title, lead_id, public in invitations]
    return result
