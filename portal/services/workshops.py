"""Séances de créativité and committee meetings around a lead."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from .. import policies
from ..extensions import db
from ..models import (
    ALL_STAGES,
    AgendaItem,
    CommitteeMeeting,
    Decision,
    Lead,
    LeadSubmission,
    Notification,
    User,
    Vote,
    Workshop,
    WorkshopInvitation,
    utcnow,
)
from . import notifications
from .errors import InvalidInput, NotAllowed
from .leads import stage_news
from .stages import apply_move


def _require_team(actor: User) -> None:
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team manages project leads."))


def add_workshop(lead: Lead, actor: User, *, held_on: date | None, place: str,
                 participant_count: int | None, organisations: str = "",
                 outcome: str = "") -> Workshop:
    _require_team(actor)
    if held_on is None:
        raise InvalidInput(_("Give the date of the workshop."), field="held_on")
    if not (place or "").strip():
        raise InvalidInput(_("Give the place of the workshop."), field="place")
    if participant_count is not None and participant_count < 0:
        raise InvalidInput(_("The number of participants cannot be negative."),
                           field="participant_count")
    workshop = Workshop(lead_id=lead.id, held_on=held_on, place=place.strip(),
                        participant_count=participant_count or 0,
                        organisations=(organisations or "").strip(),
                        outcome=(outcome or "").strip(), created_by_id=actor.id)
    db.session.add(workshop)
    db.session.commit()
    return workshop


def update_outcome(workshop: Workshop, actor: User, *, participant_count: int | None,
                   organisations: str, outcome: str) -> Workshop:
    _require_team(actor)
    if participant_count is not None and participant_count < 0:
        raise InvalidInput(_("The number of participants cannot be negative."),
                           field="participant_count")
    workshop.participant_count = participant_count or 0
    workshop.organisations = (organisations or "").strip()
    workshop.outcome = (outcome or "").strip()
    db.session.commit()
    return workshop


def invite_supporters(workshop: Workshop, actor: User) -> int:
    """Invite, once each, the residents who supported the lead's source submissions."""
    _require_team(actor)
    rows = db.session.execute(
        select(Vote.user_id, Vote.submission_id)
        .join(LeadSubmission, LeadSubmission.submission_id == Vote.submission_id)
        .where(LeadSubmission.lead_id == workshop.lead_id).order_by(Vote.id)).all()
    already = set(db.session.scalars(select(WorkshopInvitation.user_id).where(
        WorkshopInvitation.workshop_id == workshop.id)))
    sent: list[Notification] = []
    lead = workshop.lead
    for user_id, submission_id in rows:
        if user_id in already or user_id == actor.id:
            continue
        already.add(user_id)
        db.session.add(WorkshopInvitation(workshop_id=workshop.id, user_id=user_id))
        submission = next(s for s in lead.submissions if s.id == submission_id)
        notification = Notification(
            user_id=user_id, event="workshop_invitation", submission_id=submission_id,
            payload={"title": submission.title, "lead": lead.title,
                     "date": format_date(workshop.held_on, "long"), "place": workshop.place})
        db.session.add(notification)
        sent.append(notification)
    db.session.commit()
    notifications.deliver(sent)
    return len(sent)


# Committee meetings -------------------------------------------------------------------------

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
    sent = []
    lead = item.lead
    if decision == Decision.GO and lead.stage != item.target_stage:
        apply_move(lead, actor, item.target_stage, note=note, by_committee=True,
                   committee_name=item.meeting.name, decision_date=item.meeting.held_on,
                   decision=decision, document_url=document_url)
        db.session.flush()
        sent = stage_news(lead, actor)
    db.session.commit()
    notifications.deliver(sent)
    return item

