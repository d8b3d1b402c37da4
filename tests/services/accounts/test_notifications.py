"""The notification use cases' refusals, for the callers a form does not guard."""
from __future__ import annotations

import pytest

from portal.services.accounts import notifications
from portal.services.core.errors import InvalidInput, InvalidToken
from portal.services.core.tokens import make_token


def test_a_frequency_outside_the_offered_answers_is_refused(ctx, resident):
    with pytest.raises(InvalidInput) as refused:
        notifications.set_frequency(ctx.get(resident), "hourly")
    assert refused.value.errors == {"frequency": ["Choose one of the offered answers."]}
    assert ctx.get(resident).notification_frequency == "immediate"


def test_an_unsubscribe_link_for_an_account_that_is_gone_is_refused(ctx):
    token = make_token(notifications.UNSUBSCRIBE, {"uid": 424242})
    with pytest.raises(InvalidToken, match="not valid"):
        notifications.unsubscribe(token)
