"""The committee (comité d'engagement / de pilotage): meetings, agenda and decisions that move
a lead past the opportunity and feasibility studies."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import AgendaItem, CommitteeMeeting, Decision, Lead, User, utcnow
from ..core import audit
from ..core.errors import NotAllowed, Problems
from .pipeline import audit_move, require_team, stage_news
from .rules import NAME_LENGTH, NOTE_LENGTH, check_choice, check_text, check_url
from .stages import allowed_targets, apply_move


def create_meeting(actor: User, *, name: str, held_on: date | None) -> CommitteeMeeting:
    require_team(actor)
    problems = Problems()
    name = check_text(problems, "name", name, NAME_LENGTH, _("Name the committee."))
    if held_on is None:
        problems.add("held_on", _("Give the date of the meeting."))
    problems.raise_if_any()
    meeting = CommitteeMeeting(name=name, held_on=held_on)
    db.session.add(meeting)
    db.session.flush()
    audit.record(actor, "meeting_create", meeting, {},
                 {"name": name, "held_on": held_on.isoformat()})
    db.session.commit()
    return meeting


def meetings() -> list[CommitteeMeeting]:
    """Every committee meeting, the latest first."""
    return list(db.session.scalars(select(CommitteeMeeting)
                                   .order_by(CommitteeMeeting.held_on.desc(),
                                             CommitteeMeeting.id.desc())))


def agenda_of(lead: Lead) -> list[AgendaItem]:
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.lead_id == lead.id)
                                   .order_by(AgendaItem.id)))


def put_on_agenda(meeting: CommitteeMeeting | None, lead: Lead, actor: User,
                  target_stage: str) -> AgendaItem:
    require_team(actor)
    problems = Problems()
    if meeting is None:
        problems.add("meeting", _("Choose a value from the list."))
    elif any(item.lead_id == lead.id for item in meeting.items):
        problems.add("meeting", _("This lead is already on the agenda of this meeting."))
    check_choice(problems, "target_stage", target_stage, allowed_targets(lead),
                 _("Choose a stage from the list."))
    problems.raise_if_any()
    item = AgendaItem(meeting=meeting, lead_id=lead.id, target_stage=target_stage)
    db.session.add(item)
    audit.record(actor, "lead_agenda", lead, {},
                 {"meeting": meeting.name, "stage": target_stage})
    db.session.commit()
    return item


def decide(item: AgendaItem, actor: User, *, decision: str, note: str,
           document_url: str = "") -> AgendaItem:
    """Record the committee's decision; a go moves the lead to the stage put to the committee."""
    if not policies.can_sit_on_committee(actor):
        raise NotAllowed(_("Only the committee records its decisions."))
    problems = Problems()
    if item.decision is not None:
        problems.add("decision", _("The decision on this lead is already recorded."))
    else:
        check_choice(problems, "decision", decision, Decision, _("Choose go or no-go."))
    note = check_text(problems, "note", note, NOTE_LENGTH,
                      _("Write the decision note: it is the project's memory."))
    document_url = check_url(problems, "document_url", document_url)
    problems.raise_if_any()
    item.decision, item.decision_note = decision, note
    item.decided_at, item.decided_by_id = utcnow(), actor.id
    lead = item.lead
    audit.record(actor, "committee_decision", lead, {"stage": lead.stage},
                 {"meeting": item.meeting.name, "decision": decision, "note": note,
                  "stage": item.target_stage})
    if decision == Decision.GO and lead.stage != item.target_stage:
        change = apply_move(lead, actor, item.target_stage, note=note, by_committee=True,
                            committee_name=item.meeting.name,
                            decision_date=item.meeting.held_on, decision=decision,
                            document_url=document_url)
        db.session.flush()
        audit_move(actor, change)
        stage_news(lead, actor)
    db.session.commit()
    return item

