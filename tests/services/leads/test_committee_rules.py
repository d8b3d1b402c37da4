"""Refusals of committee meetings, agendas and decisions."""
from __future__ import annotations

from datetime import date

import pytest

from portal.models import AgendaItem, CommitteeMeeting, Lead
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import committee

from .conftest import agenda_item, user


def test_a_meeting_needs_a_name_and_a_date(ctx, make):
    with pytest.raises(InvalidInput) as refused:
        committee.create_meeting(user(make, "moderator"), name="", held_on=None)
    assert refused.value.errors == {"name": ["Name the committee."],
                                    "held_on": ["Give the date of the meeting."]}
    with pytest.raises(NotAllowed):
        committee.create_meeting(user(make, "committee"), name="Comité", held_on=date(2026, 4, 2))
    assert ctx.query(CommitteeMeeting).count() == 0


def test_the_agenda_needs_a_meeting_and_a_possible_move(ctx, make, lead_of):
    lead, moderator = lead_of()
    with pytest.raises(InvalidInput) as refused:
        committee.put_on_agenda(None, lead, moderator, "launch")
    assert refused.value.errors == {"meeting": ["Choose a value from the list."],
                                    "target_stage": ["Choose a stage from the list."]}
    item = agenda_item(lead, moderator)
    with pytest.raises(InvalidInput) as refused:
        committee.put_on_agenda(item.meeting, lead, moderator, "opportunity")
    assert refused.value.errors == {
        "meeting": ["This lead is already on the agenda of this meeting."]}
    with pytest.raises(NotAllowed):
        committee.put_on_agenda(item.meeting, lead, user(make), "opportunity")
    assert committee.agenda_of(lead) == [item]


def test_a_decision_without_decision_and_note_refuses_both(ctx, make, lead_of):
    lead, moderator = lead_of()
    item = agenda_item(lead, moderator)
    member = user(make, "committee")
    with pytest.raises(InvalidInput) as refused:
        committee.decide(item, member, decision="", note="", document_url="javascript:alert(1)")
    assert refused.value.errors == {
        "decision": ["Choose go or no-go."],
        "note": ["Write the decision note: it is the project's memory."],
        "document_url": ["Give a web address starting with https://."],
    }
    with pytest.raises(NotAllowed) as refused:
        committee.decide(item, user(make), decision="go", note="Oui")
    assert refused.value.message == "Only the committee records its decisions."
    committee.decide(item, member, decision="go", note="Étude lancée")
    assert ctx.get(Lead, lead.id).stage == "opportunity"
    with pytest.raises(InvalidInput) as refused:
        committee.decide(ctx.get(AgendaItem, item.id), member, decision="no_go", note="Non")
    assert refused.value.errors == {
        "decision": ["The decision on this lead is already recorded."]}


def test_a_go_on_an_enterprise_not_recorded_is_refused(ctx, make, lead_of):
    from portal.services.leads import pipeline

    lead, moderator = lead_of()
    gate = {"decision": "go", "committee_name": "Comité", "decision_date": date(2026, 4, 2)}
    pipeline.move(lead, moderator, "opportunity", note="Étude")
    pipeline.move(lead, moderator, "carrier_search", note="Go", **gate)
    pipeline.move(lead, moderator, "feasibility", note="Porteuse trouvée")
    pipeline.move(lead, moderator, "launch", note="Go", **gate)
    item = agenda_item(lead, moderator, "created")
    with pytest.raises(InvalidInput) as refused:
        committee.decide(item, user(make, "committee"), decision="go", note="Créée")
    assert refused.value.errors == {"to_stage": [
        "Record the enterprise (name, legal form, date) to mark it created."]}
