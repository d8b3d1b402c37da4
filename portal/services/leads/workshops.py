"""Séances de créativité and committee meetings around a lead."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

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
from ..core import audit
from ..core.errors import Problems
from .pipeline import require_team
from .rules import LONG_TEXT_LENGTH, NAME_LENGTH, PARTICIPANTS_RANGE, TEXT_LENGTH, check_text


def _check_outcome(problems: Problems, participant_count: int | None, organisations: str,
                   outcome: str) -> tuple[int, str, str]:
    low, high = PARTICIPANTS_RANGE
    if participant_count is not None and participant_count < low:
        problems.add("participant_count", _("The number of participants cannot be negative."))
    elif participant_count is not None and participant_count > high:
        problems.add("participant_count", _("Give a number of participants up to %(count)d.",
                                            count=high))
    return (participant_count or 0,
            check_text(problems, "organisations", organisations, TEXT_LENGTH),
            check_text(problems, "outcome", outcome, LONG_TEXT_LENGTH))


def add_workshop(lead: Lead, actor: User, *, held_on: date | None, place: str,
                 participant_count: int | None, organisations: str = "",
                 outcome: str = "") -> Workshop:
    require_team(actor)
    problems = Problems()
    if held_on is None:
        problems.add("held_on", _("Give the date of the workshop."))
    place = check_text(problems, "place", place, NAME_LENGTH,
                       _("Give the place of the workshop."))
    count, organisations, outcome = _check_outcome(problems, participant_count, organisations,
                                                   outcome)
    problems.raise_if_any()
    workshop = Workshop(lead_id=lead.id, held_on=held_on, place=place, participant_count=count,
                        organisations=organisations, outcome=outcome, created_by_id=actor.id)
    db.session.add(workshop)
    audit.record(actor, "workshop_create", lead, {},
                 {"held_on": held_on.isoformat(), "place": place})
    db.session.commit()
    return workshop


def update_outcome(workshop: Workshop, actor: User, *, participant_count: int | None,
                   organisations: str, outcome: str) -> Workshop:
    require_team(actor)
    problems = Problems()
    count, organisations, outcome = _check_outcome(problems, participant_count, organisations,
                                                   outcome)
    problems.raise_if_any()
    fields = ("participant_count", "organisations", "outcome")
    before = audit.snapshot(workshop, fields)
    workshop.participant_count, workshop.organisations, workshop.outcome = (
        count, organisations, outcome)
    audit.record_changes(actor, "workshop_outcome", workshop.lead, before,
                         audit.snapshot(workshop, fields))
    db.session.commit()
    return workshop


def workshops_of(lead: Lead) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(Workshop.lead_id == lead.id)
                                   .order_by(Workshop.held_on, Workshop.id)))


def invite_supporters(workshop: Workshop, actor: User) -> int:
    """Invite, once each, the residents who supported the lead's source submissions."""
    require_team(actor)
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
    audit.record(actor, "workshop_invite", lead, {},
                 {"held_on": workshop.held_on.isoformat(), "invited": len(sent)})
    db.session.commit()
    return len(sent)
