"""Stage targets and time in stage."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.models import StageTarget
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import timing

from .conftest import user

DEFAULTS = {"detected": 3, "opportunity": 12, "carrier_search": 6, "feasibility": 9, "launch": 12}


def test_only_an_admin_sets_targets_and_each_is_checked(ctx, make):
    with pytest.raises(NotAllowed):
        timing.set_targets(user(make, "moderator"), DEFAULTS)
    with pytest.raises(InvalidInput) as refused:
        timing.set_targets(user(make, "admin"), {**DEFAULTS, "detected": 0, "launch": 121,
                                                 "feasibility": None})
    message = "A whole number of months from 1 to 120."
    assert refused.value.errors == {"detected": [message], "feasibility": [message],
                                    "launch": [message]}
    assert ctx.query(StageTarget).count() == 0
    assert timing.targets() == DEFAULTS


def test_the_pace_against_the_target(ctx, lead_of):
    lead, _moderator = lead_of()
    start = datetime(2026, 1, 31, 9, 0)
    lead.stage_changed_at = start
    months = timing.targets()
    assert timing.add_months(start, 1) == datetime(2026, 2, 28, 9, 0)
    assert timing.stage_time(lead, months, start + timedelta(days=30)).pace == "on_time"
    assert timing.stage_time(lead, months, start + timedelta(days=80)).pace == "near"
    assert timing.stage_time(lead, months, datetime(2026, 5, 1)).overdue
    lead.stage = "paused"
    assert timing.stage_time(lead, months, datetime(2030, 1, 1)).pace == "untimed"
