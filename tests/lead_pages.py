"""Helpers for the tests of the lead and project pages."""
from __future__ import annotations

import html


def french(app, message: str, **values) -> str:
    """`message` as the French interface says it."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("fr"):
        return gettext(message, **values)


def text_of(response) -> str:
    """The page as a person reads it: entities decoded."""
    return html.unescape(response.text)
