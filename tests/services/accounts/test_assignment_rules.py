"""Refusals of "who handles what"."""
from __future__ import annotations

import pytest

from portal.models import Lead, Submission, User
from portal.services.accounts import assignment
from portal.services.core.errors import InvalidInput, NotAllowed


def test_only_a_team_member_can_be_in_charge(ctx, make):
    moderator = ctx.get(make.user(role="moderator"))
    resident = ctx.get(make.user())
    committee = ctx.get(make.user(role="committee"))
    need = ctx.get(make.submission(status="pending"))
    lead = ctx.get(make.lead(moderator=moderator))
    for person in (resident, committee):
        with pytest.raises(InvalidInput) as refused:
            assignment.assign_submission(need, moderator, person.id)
        assert refused.value.errors == {
            "assignee": ["The person in charge must belong to the Fabrique's team."]}
        with pytest.raises(InvalidInput):
            assignment.assign_lead(lead, moderator, person.id)
    with pytest.raises(InvalidInput):
        assignment.assign_submission(need, moderator, 999_999)
    assert ctx.get(need).assignee_id is None


def test_only_the_team_assigns(ctx, make):
    moderator = ctx.get(make.user(role="moderator"))
    need = ctx.get(make.submission(status="pending"))
    lead = ctx.get(make.lead(moderator=moderator))
    for outsider in (ctx.get(make.user()), ctx.get(make.user(role="committee"))):
        with pytest.raises(NotAllowed):
            assignment.assign_submission(need, outsider, moderator.id)
        with pytest.raises(NotAllowed):
            assignment.assign_lead(lead, outsider, None)
    assert isinstance(ctx.get(lead), Lead) and ctx.get(lead).owner_id == moderator.id


def test_unassigning_leaves_nobody_in_charge(ctx, make):
    moderator = ctx.get(make.user(role="moderator"))
    need = ctx.get(make.submission(status="pending"))
    assert assignment.assign_submission(need, moderator, moderator.id) is True
    assert assignment.assign_submission(need, moderator, None) is True
    assert assignment.assign_submission(need, moderator, None) is False
    assert ctx.get(need).assignee_id is None
    assert isinstance(ctx.get(moderator), User) and isinstance(ctx.get(need), Submission)
