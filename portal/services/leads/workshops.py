"""Séances de créativité and committee meetings around a lead."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import (
    Lead,
    LeadSubmission,
    Notification,
    User,
    Vote,
    Workshop,
    WorkshopInvitation,
)
from ..accounts import notifications
from ..core.errors import InvalidInput, NotAllowed


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
    notifications.queue_mails(sent)
    db.session.commit()
    return len(sent)
