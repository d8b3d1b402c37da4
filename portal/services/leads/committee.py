"""The committee (comité d'engagement / de pilotage): meetings, agenda and decisions that move
a lead past the opportunity and feasibility studies."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ... import policies
from ...extensions import db
from ...models import ALL_STAGES, AgendaItem, CommitteeMeeting, Decision, Lead, User, utcnow
from ..core.errors import InvalidInput, NotAllowed
from .pipeline import stage_news
from .stages import apply_move
from .workshops import _require_team


def create_meeting(actor: User, *, name: str, held_on: date | None) -> CommitteeMeeting:
    _require_team(actor)
    if not (name or "").strip():
        raise InvalidInput(_("Name the committee."), field="name")
    if held_on is None:
        raise InvalidInput(_("Give the date of the meeting."), field="held_on")
    meeting = CommitteeMeeting(name=name.strip(), held_on=held_on)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def put_on_agenda(meeting: CommitteeMeeting, lead: Lead, actor: User,
                  target_stage: str) -> AgendaItem:
    _require_team(actor)
    if target_stage not in ALL_STAGES:
        raise InvalidInput(_("Choose a stage from the list."), field="target_stage")
    if any(item.lead_id == lead.id for item in meeting.items):
        raise InvalidInput(_("This lead is already on the agenda of this meeting."),
                           field="meeting")
    item = AgendaItem(meeting=meeting, lead_id=lead.id, target_stage=target_stage)
    db.session.add(item)
    db.session.commit()
    return item


def decide(item: AgendaItem, actor: User, *, decision: str, note: str,
           document_url: str = "") -> AgendaItem:
    """Record the committee's decision; a go moves the lead to the stage put to the committee."""
    if not policies.can_sit_on_committee(actor):
        raise NotAllowed(_("Only the committee records its decisions."))
    if item.decision is not None:
        raise InvalidInput(_("The decision on this lead is already recorded."), field="decision")
    if decision not in set(Decision):
        raise InvalidInput(_("Choose go or no-go."), field="decision")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write the decision note: it is the project's memory."),
                           field="note")
    item.decision, item.decision_note = decision, note
    item.decided_at, item.decided_by_id = utcnow(), actor.id
    lead = item.lead
    if decision == Decision.GO and lead.stage != item.target_stage:
        apply_move(lead, actor, item.target_stage, note=note, by_committee=True,
                   committee_name=item.meeting.name, decision_date=item.meeting.held_on,
                   decision=decision, document_url=document_url)
        db.session.flush()
        stage_news(lead, actor)
    db.session.commit()
    return item

