"""Séances de créativité around a lead, as events: a date, a time and a place; invitations to
the people who raised the need and those who supported it, each in their own language with a
calendar file; and the residents' answers."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import (
    Attendance,
    Lead,
    LeadSubmission,
    Notification,
    NotificationFrequency,
    Submission,
    User,
    Vote,
    Workshop,
    WorkshopInvitation,
    utcnow,
)
from ..core import audit, outbox
from ..core.errors import InvalidInput, NotAllowed, Problems
from ..core.links import public_url
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


def _check_event(problems: Problems, held_on: date | None, place: str) -> str:
    if held_on is None:
        problems.add("held_on", _("Give the date of the workshop."))
    return check_text(problems, "place", place, NAME_LENGTH, _("Give the place of the workshop."))


def add_workshop(lead: Lead, actor: User, *, held_on: date | None, place: str,
                 participant_count: int | None, organisations: str = "",
                 outcome: str = "", starts_at: time | None = None) -> Workshop:
    require_team(actor)
    problems = Problems()
    place = _check_event(problems, held_on, place)
    count, organisations, outcome = _check_outcome(problems, participant_count, organisations,
                                                   outcome)
    problems.raise_if_any()
    workshop = Workshop(lead_id=lead.id, held_on=held_on, starts_at=starts_at, place=place,
                        participant_count=count, organisations=organisations, outcome=outcome,
                        created_by_id=actor.id)
    db.session.add(workshop)
    db.session.flush()
    audit.record(actor, "workshop_add", workshop, {}, audit.snapshot(workshop, EVENT_FIELDS))
    db.session.commit()
    return workshop


#: What makes a workshop an event: the journal keeps them before and after a change.
EVENT_FIELDS = ("held_on", "starts_at", "place")


def update_event(workshop: Workshop, actor: User, *, held_on: date | None,
                 starts_at: time | None, place: str) -> bool:
    """Change the date, time or place; True when one changed. Saving the form as it is shown
    changes nothing."""
    require_team(actor)
    problems = Problems()
    place = _check_event(problems, held_on, place)
    problems.raise_if_any()
    before = audit.snapshot(workshop, EVENT_FIELDS)
    if (workshop.held_on, workshop.starts_at, workshop.place) == (held_on, starts_at, place):
        return False
    workshop.held_on, workshop.starts_at, workshop.place = held_on, starts_at, place
    audit.record(actor, "workshop_event_change", workshop, before,
                 audit.snapshot(workshop, EVENT_FIELDS))
    db.session.commit()
    return True


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


def _invitees(workshop: Workshop) -> list[tuple[int, int]]:
    """(person, the source submission they are invited for): the authors of the lead's
    contributions first (they raised the need), then their supporters."""
    sources = (select(LeadSubmission.submission_id)
               .where(LeadSubmission.lead_id == workshop.lead_id))
    authors = db.session.execute(
        select(Submission.author_id, Submission.id)
        .where(Submission.id.in_(sources), Submission.author_id.is_not(None))
        .order_by(Submission.id)).all()
    supporters = db.session.execute(
        select(Vote.user_id, Vote.submission_id).where(Vote.submission_id.in_(sources))
        .order_by(Vote.id)).all()
    return [tuple(row) for row in [*authors, *supporters]]


def invite_residents(workshop: Workshop, actor: User) -> int:
    """Invite, once each, the people who raised the need (the authors of the lead's
    contributions) and those who supported it; returns how many were invited now.

    Each gets a notification on the site and, unless they asked for no mail, a mail in their
    own language with the calendar file attached and the link to answer."""
    require_team(actor)
    already = set(db.session.scalars(select(WorkshopInvitation.user_id).where(
        WorkshopInvitation.workshop_id == workshop.id)))
    lead = workshop.lead
    titles = {s.id: s.title for s in lead.submissions}
    invited: dict[int, int] = {}
    for user_id, submission_id in _invitees(workshop):
        if user_id not in already and user_id != actor.id and user_id not in invited:
            invited[user_id] = submission_id
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(invited)))}
    now = utcnow()
    for user_id, submission_id in invited.items():
        db.session.add(WorkshopInvitation(workshop_id=workshop.id, user_id=user_id))
        notification = Notification(
            user_id=user_id, event="workshop_invitation", submission_id=submission_id,
            payload={"title": titles[submission_id], "lead": lead.title,
                     "held_on": workshop.held_on.isoformat(),
                     "starts_at": workshop.starts_at.strftime("%H:%M") if workshop.starts_at
                     else "", "place": workshop.place})
        db.session.add(notification)
        user = users[user_id]
        if user.notification_frequency != NotificationFrequency.NEVER:
            _queue_invitation(workshop, user, titles[submission_id])
            notification.emailed_at = now  # the digest does not tell it again
    if invited:
        audit.record(actor, "workshop_invite", workshop, {}, {"invited": len(invited)})
    db.session.commit()
    return len(invited)


INVITATION_SUBJECT = _l("Invitation to a co-construction workshop")


def _queue_invitation(workshop: Workshop, user: User, title: str) -> None:
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        when = when_of(workshop)
        ics = calendar_file(workshop)
    outbox.queue_mail(
        user.email, INVITATION_SUBJECT, "workshop_invitation", locale=locale, user=user,
        lead=workshop.lead.title, title=title, when=when, place=workshop.place,
        answer_url=public_url("projects.workshop", workshop_id=workshop.id),
        attachments=[outbox.Attachment("atelier.ics", "text/calendar", ics)])


def when_text(held_on: date, starts_at: time | None) -> str:
    """The date (and time) of a workshop in the current language: "28 novembre 2026 à 18:30",
    "28 November 2026 at 6:30 PM"."""
    day = format_date(held_on, "long")
    if starts_at is None:
        return day
    return _("%(date)s at %(time)s", date=day, time=format_time(start_of(held_on, starts_at),
                                                                "short"))


def when_of(workshop: Workshop) -> str:
    return when_text(workshop.held_on, workshop.starts_at)


def start_of(held_on: date, starts_at: time) -> datetime:
    """The start as an aware datetime in the Fabrique's time zone."""
    return datetime.combine(held_on, starts_at,
                            tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


#: How long a workshop is assumed to last in the calendar file.
WORKSHOP_LENGTH = timedelta(hours=2)


def calendar_file(workshop: Workshop) -> str:
    """The workshop as an RFC 5545 calendar (one VEVENT), its summary in the current language.
    The start is given in UTC; a workshop without a time is an all-day event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Fabrique a initiatives//portal//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    event.add("uid", f"workshop-{workshop.id}@{host}")
    event.add("dtstamp", workshop.created_at.replace(tzinfo=UTC))
    if workshop.starts_at is not None:
        start = start_of(workshop.held_on, workshop.starts_at).astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", start + WORKSHOP_LENGTH)
    else:
        event.add("dtstart", workshop.held_on)
        event.add("dtend", workshop.held_on + timedelta(days=1))
    event.add("summary", _("Co-construction workshop: %(lead)s", lead=workshop.lead.title))
    event.add("location", workshop.place)
    event.add("url", public_url("projects.workshop", workshop_id=workshop.id))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def invitation_of(workshop: Workshop, user: User | None) -> WorkshopInvitation | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(WorkshopInvitation).where(
        WorkshopInvitation.workshop_id == workshop.id, WorkshopInvitation.user_id == user.id))


def answer(workshop: Workshop, user: User, attendance: str) -> WorkshopInvitation:
    """An invited resident says whether they are coming; they may change their mind."""
    invitation = invitation_of(workshop, user)
    if not policies.can_answer_invitation(user, invitation):
        raise NotAllowed(_("Only the residents invited to this workshop can answer."))
    if attendance not in set(Attendance):
        raise InvalidInput(_("Say whether you are coming."), field="answer")
    if invitation.answer != attendance:
        invitation.answer, invitation.answered_at = attendance, utcnow()
        db.session.commit()
    return invitation


def attendance(workshops: list[Workshop]) -> dict[int, tuple[Counter, list[WorkshopInvitation]]]:
    """For the team: per workshop, the answers counted (None: no answer yet) and each
    invitation with its person, by name."""
    rows = db.session.scalars(
        select(WorkshopInvitation).join(User, User.id == WorkshopInvitation.user_id)
        .where(WorkshopInvitation.workshop_id.in_([w.id for w in workshops]))
        .options(db.joinedload(WorkshopInvitation.user)).order_by(User.display_name)).all()
    result = {w.id: (Counter(), []) for w in workshops}
    for invitation in rows:
        counts, invitations = result[invitation.workshop_id]
        counts[invitation.answer] += 1
        invitations.append(invitation)
    return result
