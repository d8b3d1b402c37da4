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


def format_number(value) -> str:
    """A count or a ratio as the reader's language writes it. A whole number under a thousand
    is written alike in French and English, and a listing shows dozens of them (two per card):
    those are not sent through Babel, which costs more than all the rest of a card's counts."""
    if value is None:
        return ""
    if type(value) is int and 0 <= value < 1000:
        return str(value)
    return format_decimal(value)


def register(app: Flask) -> None:
    """Formats in the reader's language, one date style per kind of place: `date` on a page
    ("7 décembre 2026"), `short_date` on cards and in tables ("7 déc. 2026"), `datetime` in
    journals and comments; `number` for every count or ratio ("1 699", "0,94"); `age` says how
    long ago ("3 semaines"), `duration` how long."""
    app.jinja_env.filters.update({
        "date": lambda value, fmt="long": format_date(value, fmt) if value else "",
        "short_date": lambda value: format_date(value, "medium") if value else "",
        "datetime": lambda value, fmt="short": format_datetime(value, fmt) if value else "",
        "number": format_number,
        "age": lambda value: (format_timedelta(utcnow() - value, granularity="day")
                              if value else ""),
        "duration": lambda value: format_timedelta(value, granularity="day"),
    })

    @app.context_processor
    def inject_locale() -> dict:
        locale = get_locale()
        return {"current_locale": locale.language if locale else "fr"}
