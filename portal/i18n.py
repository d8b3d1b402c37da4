"""Language choice: what the person picked, else French (the portal's first language)."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, format_timedelta, get_locale
from flask_login import current_user

from .models import utcnow


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = lambda value, fmt="long": (
        format_date(value, fmt) if value else ""
    )
    # Counts and ratios in the reader's language: "1 699" and "0,94" in French.
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["datetime"] = (
        lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    )
    # How long ago, in words of the reader's language ("3 weeks", "3 semaines").
    app.jinja_env.filters["age"] = lambda value: (
        format_timedelta(utcnow() - value, granularity="day") if value else ""
    )
    app.jinja_env.filters["duration"] = lambda value: format_timedelta(value, granularity="day")

    @app.context_processor
    def inject_locale() -> dict:
        locale = get_locale()
        return {"current_locale": locale.language if locale else "fr"}
