"""Calling the lead use cases directly, as the CLI, the demo and the committee path do."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from portal.extensions import db
from portal.models import AgendaItem, CommitteeMeeting, Lead, User


@pytest.fixture
def ctx(app):
    """A request context in English, so the tests read the messages as the code writes them."""
    with app.test_request_context(), force_locale("en"):
        yield db.session


@pytest.fixture
def lead_of(make):
    """A lead converted by a moderator, and that moderator, both attached to the session."""

    def build(**options):
        moderator = make.user(role="moderator")
        lead = make.lead(moderator=moderator, **options)
        return db.session.get(Lead, lead.id), db.session.get(User, moderator.id)

    return build


def user(make, role: str = "resident", **options) -> User:
    return db.session.get(User, make.user(role=role, **options).id)


def agenda_item(lead: Lead, moderator: User, target_stage: str = "opportunity") -> AgendaItem:
    from portal.services.leads import committee

    meeting = committee.create_meeting(moderator, name="Comité d'engagement",
                                       held_on=date(2026, 4, 2))
    return committee.put_on_agenda(db.session.get(CommitteeMeeting, meeting.id), lead, moderator,
                                   target_stage)
