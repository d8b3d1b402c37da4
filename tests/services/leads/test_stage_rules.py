"""Refusals of a move along the pipeline."""
from __future__ import annotations

from datetime import date

import pytest

from portal.models import Lead, StageChange
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import pipeline
from portal.services.leads.rules import NOTE_LENGTH

from .conftest import user


def test_only_the_team_moves_a_lead(ctx, make, lead_of):
    lead, _moderator = lead_of()
    for role in ("resident", "committee"):
        with pytest.raises(NotAllowed) as refused:
            pipeline.move(lead, user(make, role), "opportunity", note="Étude")
        assert refused.value.message == "Only the Fabrique's team moves a project lead."


def test_a_move_refuses_every_field_at_once(ctx, lead_of):
    lead, moderator = lead_of()
    with pytest.raises(InvalidInput) as refused:
        pipeline.move(lead, moderator, "launch", note="", reason="x" * 5001,
                      decision="perhaps", document_url="ftp://example.org/étude.pdf")
    assert refused.value.errors == {
        "to_stage": ["This lead cannot move from “Detected” to “Launch support”."],
        "note": ["Write the decision note: it is the project's memory."],
        "reason": ["Write at most 5000 characters."],
        "decision": ["Choose go or no-go."],
        "document_url": ["Give a web address starting with https://."],
        "committee_name": ["Name the committee that decided."],
        "decision_date": ["Give the date of the committee's decision."],
    }
    with pytest.raises(InvalidInput) as refused:
        pipeline.move(lead, moderator, "elsewhere", note="x" * (NOTE_LENGTH[1] + 1))
    assert refused.value.errors == {"to_stage": ["Choose a stage from the list."],
                                    "note": [f"Write at most {NOTE_LENGTH[1]} characters."]}
    assert ctx.query(StageChange).count() == 0 and ctx.get(Lead, lead.id).stage == "detected"


def test_a_committee_gate_needs_a_go(ctx, lead_of):
    lead, moderator = lead_of()
    pipeline.move(lead, moderator, "opportunity", note="Étude")
    with pytest.raises(InvalidInput) as refused:
        pipeline.move(lead, moderator, "carrier_search", note="Refusé", decision="no_go",
                      committee_name="Comité", decision_date=date(2026, 4, 2))
    assert refused.value.errors == {"decision": [
        "A no-go decision cannot move the lead forward: pause or abandon it instead."]}
    with pytest.raises(InvalidInput) as refused:
        pipeline.move(lead, moderator, "carrier_search", note="Sans comité")
    assert set(refused.value.errors) == {"committee_name", "decision_date", "decision"}
    with pytest.raises(InvalidInput) as refused:
        pipeline.move(lead, moderator, "abandoned", note="Fin")
    assert refused.value.errors == {"reason": ["Give the reason for abandoning the lead."]}
