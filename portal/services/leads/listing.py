"""Finding, sorting and exporting leads for the board, the list and the CSV."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    ALL_STAGES,
    Lead,
    LeadMember,
    StageChange,
    Submission,
    Vote,
)
from ..core import tables
from ..core.sql import in_territory
from ..core.text import has_words, normalise, relevance
from .pipeline import lead_for
from .stages import STAGE_LABELS

SORTS = ("updated", "title", "stage", "territory")


@dataclass
class LeadFilters:
    territory_id: int | None = None
    theme_id: int | None = None
    person_id: int | None = None  # in charge or team member
    sort: str = "updated"


def search(filters: LeadFilters) -> list[Lead]:
    query = select(Lead).options(selectinload(Lead.territory), selectinload(Lead.theme),
                                 selectinload(Lead.owner), selectinload(Lead.links))
    if filters.territory_id:
        query = query.where(in_territory(Lead.territory_id, filters.territory_id))
    if filters.theme_id:
        query = query.where(Lead.theme_id == filters.theme_id)
    if filters.person_id:
        query = query.where((Lead.owner_id == filters.person_id) | Lead.id.in_(
            select(LeadMember.lead_id).where(LeadMember.user_id == filters.person_id)))
    leads = list(db.session.scalars(query.order_by(Lead.updated_at.desc(), Lead.id)))
    # Tens of leads a year: sorting in Python keeps accents in order on both databases.
    if filters.sort == "title":
        leads.sort(key=lambda lead: normalise(lead.title))
    elif filters.sort == "stage":
        leads.sort(key=lambda lead: (ALL_STAGES.index(lead.stage), normalise(lead.title)))
    elif filters.sort == "territory":
        leads.sort(key=lambda lead: (normalise(lead.territory.name), normalise(lead.title)))
    return leads


def csv_text(leads: list[Lead]) -> str:
    return tables.csv_text(
        ["id", "title", "stage", "stage_label", "territory", "theme", "owner", "carrier",
         "enterprise", "public", "sources", "created_at", "stage_changed_at"],
        ([lead.id, lead.title, lead.stage, str(STAGE_LABELS[lead.stage]), lead.territory.name,
          lead.theme.name, lead.owner.display_name if lead.owner else "", lead.carrier_name,
          lead.enterprise_name, "yes" if lead.is_public else "no", len(lead.links),
          lead.created_at.isoformat(timespec="seconds"),
          lead.stage_changed_at.isoformat(timespec="seconds")] for lead in leads))


def public_leads(territory_id: int | None = None, theme_id: int | None = None,
                 words: str = "") -> list[Lead]:
    """The leads shown on the public "Projects" pages, in this territory or below, by title; with
    `words`, those whose title or summary hold them, the most relevant first, then the newest
    (searched like contributions: accents, plurals and little words do not matter; tens of leads
    a year, so in Python)."""
    query = (select(Lead).where(Lead.is_public.is_(True))
             .options(selectinload(Lead.territory), selectinload(Lead.theme)))
    if territory_id:
        query = query.where(in_territory(Lead.territory_id, territory_id))
    if theme_id:
        query = query.where(Lead.theme_id == theme_id)
    leads = db.session.scalars(query.order_by(Lead.title, Lead.id)).all()
    if not words.strip():
        return leads
    found = [lead for lead in leads if has_words(f"{lead.title} {lead.summary}", words)]
    found.sort(key=lambda lead: (relevance(lead.title, lead.summary or "", words),
                                 lead.created_at, lead.id), reverse=True)
    return found


def public_stage_changes(territory_id: int | None = None, theme_id: int | None = None,
                         limit: int = 50) -> list[StageChange]:
    """The latest moves of the public leads (in this territory or below, of this theme), the
    newest first, with their lead: the projects' news feed."""
    query = (select(StageChange).join(Lead, Lead.id == StageChange.lead_id)
             .where(Lead.is_public.is_(True)).options(joinedload(StageChange.lead)))
    if territory_id:
        query = query.where(in_territory(Lead.territory_id, territory_id))
    if theme_id:
        query = query.where(Lead.theme_id == theme_id)
    return list(db.session.scalars(query.order_by(StageChange.id.desc()).limit(limit)))


def by_stage(leads: list[Lead]) -> list[tuple[str, str, list[Lead]]]:
    """(stage, label, leads) for every stage, in the order of the pipeline."""
    return [(stage, STAGE_LABELS[stage], [lead for lead in leads if lead.stage == stage])
            for stage in ALL_STAGES]


def history_of(lead: Lead) -> list[StageChange]:
    """The lead's moves, oldest first: the project's memory."""
    return list(db.session.scalars(select(StageChange).where(StageChange.lead_id == lead.id)
                                   .order_by(StageChange.id)))


def supporter_count(lead: Lead) -> int:
    """How many residents supported at least one of the lead's source submissions."""
    ids = [link.submission_id for link in lead.links]  # a lead has one source at least
    return db.session.scalar(select(func.count(func.distinct(Vote.user_id))).where(
        Vote.submission_id.in_(ids)))


def public_lead_for(submission: Submission) -> Lead | None:
    """The public lead a submission became part of, if any."""
    lead = lead_for(submission)
    return lead if lead is not None and lead.is_public else None
