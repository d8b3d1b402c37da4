"""The steering summary: what came in, what became a lead, how far leads went, how fast.

Counts come from grouped SQL; durations are computed in Python from the stage history so the
arithmetic is the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    ALL_STAGES,
    MAIN_STAGES,
    Lead,
    LeadStage,
    LeadSubmission,
    StageChange,
    Submission,
    Territory,
    Theme,
)
from ..core.sql import in_territory
from ..submissions import still_a_need
from .rules import furthest_stage_index
from .stages import STAGE_LABELS

FUNNEL_LABELS = {
    "received": _l("Submissions received"),
    "published": _l("Submissions published"),
    "in_leads": _l("Turned into leads"),
    "leads": _l("Project leads"),
    "opportunity": _l("Opportunity study started"),
    "carrier_search": _l("Opportunity approved, carrier sought"),
    "feasibility": _l("Feasibility study started"),
    "launch": _l("Feasibility approved, launch"),
    "created": _l("Enterprises created"),
}


@dataclass
class Row:
    label: str
    received: int = 0
    published: int = 0
    in_leads: int = 0
    leads: int = 0
    created: int = 0
    stages: Counter = field(default_factory=Counter)


@dataclass
class Summary:
    received: int
    published: int
    in_leads: int
    leads: int
    per_stage: dict[str, int]
    reached: dict[str, int]
    created: int
    median_days: list[tuple[str, str, float | None, int]]
    funnel: list[tuple[str, int]]
    per_territory: list[Row] = field(default_factory=list)
    per_theme: list[Row] = field(default_factory=list)
    #: The authors' latest answers to "is it still a need?", per answer.
    still_a_need: dict[str, int] = field(default_factory=dict)


def _scope(query, model, territory: Territory | None, theme_id: int | None):
    if territory is not None:
        query = query.where(in_territory(model.territory_id, territory.id))
    if theme_id is not None:
        query = query.where(model.theme_id == theme_id)
    return query


def _first_entries(lead: Lead, changes: list[StageChange]) -> dict[str, object]:
    """When the lead first entered each stage; it is detected when created."""
    entered = {LeadStage.DETECTED.value: lead.created_at}
    for change in changes:
        entered.setdefault(change.to_stage, change.created_at)
    return entered


def build(territory: Territory | None = None, theme_id: int | None = None) -> Summary:
    sub_rows = db.session.execute(_scope(
        select(Submission.territory_id, Submission.theme_id,
               func.count(Submission.id),
               func.count(Submission.published_at),
               func.count(LeadSubmission.id))
        .outerjoin(LeadSubmission, LeadSubmission.submission_id == Submission.id)
        .group_by(Submission.territory_id, Submission.theme_id),
        Submission, territory, theme_id)).all()
    leads = db.session.scalars(_scope(select(Lead).order_by(Lead.id), Lead, territory,
                                      theme_id)).all()
    changes_by_lead: dict[int, list[StageChange]] = defaultdict(list)
    if leads:
        for change in db.session.scalars(select(StageChange).where(
                StageChange.lead_id.in_([lead.id for lead in leads])).order_by(StageChange.id)):
            changes_by_lead[change.lead_id].append(change)

    names_t = dict(db.session.execute(select(Territory.id, Territory.name)).all())
    themes = {t.id: t.name for t in db.session.scalars(select(Theme))}
    by_territory: dict[int, Row] = {}
    by_theme: dict[int, Row] = {}

    def rows_for(territory_id: int, theme_id_: int) -> tuple[Row, Row]:
        t = by_territory.setdefault(territory_id, Row(names_t.get(territory_id, "?")))
        h = by_theme.setdefault(theme_id_, Row(themes.get(theme_id_, "?")))
        return t, h

    received = published = in_leads = 0
    for territory_id, theme_id_, n_received, n_published, n_in_leads in sub_rows:
        received, published, in_leads = (received + n_received, published + n_published,
                                         in_leads + n_in_leads)
        for row in rows_for(territory_id, theme_id_):
            row.received += n_received
            row.published += n_published
            row.in_leads += n_in_leads

    per_stage = Counter({stage.value: 0 for stage in ALL_STAGES})
    reached = Counter({stage.value: 0 for stage in MAIN_STAGES})
    durations: dict[tuple[str, str], list[float]] = defaultdict(list)
    for lead in leads:
        per_stage[lead.stage] += 1
        changes = changes_by_lead[lead.id]
        furthest = furthest_stage_index(lead, [c.to_stage for c in changes])
        for stage in MAIN_STAGES[:furthest + 1]:
            reached[stage.value] += 1
        entered = _first_entries(lead, changes)
        for before, after in itertools.pairwise(MAIN_STAGES):
            if before in entered and after in entered and entered[after] >= entered[before]:
                seconds = (entered[after] - entered[before]).total_seconds()
                durations[(before.value, after.value)].append(seconds / 86400)
        for row in rows_for(lead.territory_id, lead.theme_id):
            row.leads += 1
            row.stages[lead.stage] += 1
            row.created += lead.stage == LeadStage.CREATED

    median_days = []
    for before, after in itertools.pairwise(MAIN_STAGES):
        values = durations[(before.value, after.value)]
        median_days.append((before.value, after.value,
                            round(median(values), 1) if values else None, len(values)))
    created = per_stage[LeadStage.CREATED.value]
    funnel = [("received", received), ("published", published), ("in_leads", in_leads),
              ("leads", len(leads))] + [(stage.value, reached[stage.value])
                                        for stage in MAIN_STAGES[1:]]
    return Summary(
        received=received, published=published, in_leads=in_leads, leads=len(leads),
        per_stage=dict(per_stage), reached=dict(reached), created=created,
        median_days=median_days, funnel=funnel,
        per_territory=sorted(by_territory.values(), key=lambda r: r.label),
        per_theme=sorted(by_theme.values(), key=lambda r: r.label),
        still_a_need=dict(still_a_need.answer_counts(
            territory.id if territory is not None else None, theme_id)),
    )


def csv_rows(data: Summary):
    """The summary as (section, key, label, value) rows, for the committee's CSV export."""
    for key, value in data.funnel:
        yield ["funnel", key, str(FUNNEL_LABELS[key]), value]
    for stage, value in data.per_stage.items():
        yield ["stage", stage, str(STAGE_LABELS[stage]), value]
    yield ["total", "enterprises_created", "", data.created]
    for answer, value in data.still_a_need.items():
        yield ["still_a_need", answer, str(still_a_need.ANSWER_LABELS[answer]), value]
    for before, after, days, count in data.median_days:
        yield ["median_days", f"{before}>{after}", f"n={count}", days]
    for section, rows in (("territory", data.per_territory), ("theme", data.per_theme)):
        for row in rows:
            for key in ("received", "published", "in_leads", "leads", "created"):
                yield [section, key, row.label, getattr(row, key)]
            for stage in STAGE_LABELS:
                yield [section, f"stage:{stage}", row.label, row.stages[stage]]
