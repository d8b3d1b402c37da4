"""Service tests call the use cases directly, as the API, the CLI and other callers do.
They read the messages in English (the msgids), the language the session asks for here."""
from __future__ import annotations

import pytest
from flask import session

from portal.extensions import db


@pytest.fixture
def ctx(app):
    """A request context in English; `ctx.get(obj)` reloads a factory row in it."""

    class Context:
        @staticmethod
        def get(obj):
            return db.session.get(type(obj), obj.id)

    with app.test_request_context():
        session["locale"] = "en"
        yield Context()
        db.session.remove()
