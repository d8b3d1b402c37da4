"""Time in stage: how long each lead has been at its stage, against a target per stage that an
administrator sets (an opportunity study lasts 9 to 12 months in practice), and the time a lead
spent at each stage of its history."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import Lead, LeadStage, StageChange, StageTarget, User, utcnow
from ..core import audit
from ..core.errors import NotAllowed, Problems

#: The target of each stage that has one, in months, until an administrator changes it. The
#: ends (created, paused, abandoned) have no target: a lead may rest there.
DEFAULT_TARGET_MONTHS = {
    LeadStage.DETECTED: 3,
    LeadStage.OPPORTUNITY: 12,
    LeadStage.CARRIER_SEARCH: 6,
    LeadStage.FEASIBILITY: 9,
    LeadStage.LAUNCH: 12,
}
TARGET_RANGE = (1, 120)
#: A lead past this share of its target is "close to its target".
NEAR_SHARE = 0.8


class Pace(StrEnum):
    ON_TIME = "on_time"
    NEAR = "near"
    OVERDUE = "overdue"
    UNTIMED = "untimed"  # a stage with no target


#: Said in words next to the colour, so the colour is never the only sign.
PACE_LABELS = {Pace.ON_TIME: _l("on time"), Pace.NEAR: _l("target close"),
               Pace.OVERDUE: _l("overdue")}


def targets() -> dict[str, int]:
    """Months per stage: what an administrator set, the defaults for the rest."""
    stored = {row.stage: row.months for row in db.session.scalars(select(StageTarget))}
    return {stage: stored.get(stage, months) for stage, months in DEFAULT_TARGET_MONTHS.items()}


def set_targets(admin: User, months: dict[str, int | None]) -> bool:
    """Save the target of every timed stage; True when one changed. Each change is journaled;
    saving the targets as shown changes nothing."""
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    problems = Problems()
    low, high = TARGET_RANGE
    for stage in DEFAULT_TARGET_MONTHS:
        value = months.get(stage)
        if value is None or not low <= value <= high:
            problems.add(stage, _("A whole number of months from %(low)d to %(high)d.",
                                  low=low, high=high))
    problems.raise_if_any()
    before = targets()
    changed = [stage for stage in DEFAULT_TARGET_MONTHS if months[stage] != before[stage]]
    rows = {row.stage: row for row in db.session.scalars(select(StageTarget))}
    for stage in changed:
        row = rows.get(stage) or StageTarget(stage=stage)
        row.months, row.updated_by_id = months[stage], admin.id
        db.session.add(row)
        db.session.flush()
        audit.record(admin, "stage_target_set", row, {"stage": stage, "months": before[stage]},
                     {"stage": stage, "months": months[stage]})
    db.session.commit()
    return bool(changed)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class StageTime:
    since: datetime
    target_months: int | None
    pace: Pace

    @property
    def overdue(self) -> bool:
        return self.pace == Pace.OVERDUE


def stage_time(lead: Lead, months: dict[str, int], now: datetime | None = None) -> StageTime:
    """How the lead stands at its current stage against that stage's target."""
    now = now or utcnow()
    target = months.get(lead.stage)
    if target is None:
        return StageTime(lead.stage_changed_at, None, Pace.UNTIMED)
    deadline = add_months(lead.stage_changed_at, target)
    if now > deadline:
        pace = Pace.OVERDUE
    elif now - lead.stage_changed_at >= (deadline - lead.stage_changed_at) * NEAR_SHARE:
        pace = Pace.NEAR
    else:
        pace = Pace.ON_TIME
    return StageTime(lead.stage_changed_at, target, pace)


def stage_times(leads: list[Lead]) -> dict[int, StageTime]:
    """Each lead's time at its stage, by lead id, for the board and the list."""
    months, now = targets(), utcnow()
    return {lead.id: stage_time(lead, months, now) for lead in leads}


def overdue_leads() -> list[tuple[Lead, StageTime]]:
    """The leads past the target of their stage, the longest at it first."""
    months, now = targets(), utcnow()
    leads = db.session.scalars(select(Lead).where(Lead.stage.in_(list(months)))
                               .options(db.joinedload(Lead.owner))
                               .order_by(Lead.stage_changed_at, Lead.id))
    timed = ((lead, stage_time(lead, months, now)) for lead in leads)
    return [(lead, time) for lead, time in timed if time.overdue]


@dataclass(frozen=True)
class StagePeriod:
    stage: str
    start: datetime
    end: datetime | None  # None: the lead is still there

    def duration(self, now: datetime):
        return (self.end or now) - self.start


def stage_periods(lead: Lead) -> list[StagePeriod]:
    """The time spent at each stage, in order, from the stage history (a stage visited twice
    appears twice)."""
    changes = list(db.session.scalars(select(StageChange).where(StageChange.lead_id == lead.id)
                                      .order_by(StageChange.id)))
    periods, stage, start = [], LeadStage.DETECTED, lead.created_at
    if changes and changes[0].from_stage:
        stage = changes[0].from_stage
    for change in changes:
        periods.append(StagePeriod(stage, start, change.created_at))
        stage, start = change.to_stage, change.created_at
    periods.append(StagePeriod(stage, start, None))
    return periods
