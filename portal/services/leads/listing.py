"""Finding, sorting and exporting leads for the board, the list and the CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import ALL_STAGES, Lead, LeadMember
from ..core.sql import in_territory
from ..core.text import normalise
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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "stage", "stage_label", "territory", "theme", "owner",
                     "carrier", "enterprise", "public", "sources", "created_at",
                     "stage_changed_at"])
    for lead in leads:
        writer.writerow([lead.id, lead.title, lead.stage, str(STAGE_LABELS[lead.stage]),
                         lead.territory.name, lead.theme.name,
                         lead.owner.display_name if lead.owner else "", lead.carrier_name,
                         lead.enterprise_name, "yes" if lead.is_public else "no",
                         len(lead.links), lead.created_at.isoformat(timespec="seconds"),
                         lead.stage_changed_at.isoformat(timespec="seconds")])
    return out.getvalue()
