"""Refusals of workshops."""
from __future__ import annotations

import pytest

from portal.models import Workshop
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import workshops
from portal.services.leads.rules import PARTICIPANTS_RANGE

from .conftest import user


def test_a_workshop_without_date_and_place_refuses_both(ctx, lead_of):
    lead, moderator = lead_of()
    with pytest.raises(InvalidInput) as refused:
        workshops.add_workshop(lead, moderator, held_on=None, place=" ", participant_count=-1,
                               outcome="x" * 10001)
    assert refused.value.errors == {
        "held_on": ["Give the date of the workshop."],
        "place": ["Give the place of the workshop."],
        "participant_count": ["The number of participants cannot be negative."],
        "outcome": ["Write at most 10000 characters."],
    }
    assert ctx.query(Workshop).count() == 0


def test_an_outcome_is_checked_too(ctx, make, lead_of):
    from datetime import date

    lead, moderator = lead_of()
    workshop = workshops.add_workshop(lead, moderator, held_on=date(2026, 2, 10),
                                      place="Centre social", participant_count=None)
    too_many = PARTICIPANTS_RANGE[1] + 1
    with pytest.raises(InvalidInput) as refused:
        workshops.update_outcome(workshop, moderator, participant_count=too_many,
                                 organisations="x" * 5001, outcome="")
    assert refused.value.errors == {
        "participant_count": [f"Give a number of participants up to {PARTICIPANTS_RANGE[1]}."],
        "organisations": ["Write at most 5000 characters."],
    }
    resident = user(make)
    for call in (lambda: workshops.update_outcome(workshop, resident, participant_count=3,
                                                  organisations="", outcome=""),
                 lambda: workshops.invite_residents(workshop, resident),
                 lambda: workshops.add_workshop(lead, resident, held_on=date(2026, 2, 10),
                                                place="Ici", participant_count=3)):
        with pytest.raises(NotAllowed) as refused:
            call()
        assert refused.value.message == "Only the Fabrique's team manages project leads."
