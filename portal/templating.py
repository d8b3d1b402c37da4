"""What templates may call: policies, the Markdown renderer, labels. Templates read, never write."""
from __future__ import annotations

from flask import Flask
from flask_babel import format_number

from .policies import TEMPLATE_POLICIES
from .sanitize import render_markdown


def register(app: Flask) -> None:
    from .moderation.forms import FLAG_REASON_LABELS
    from .services.accounts.notifications import unread_count
    from .services.submissions import search
    from .submissions.forms import KIND_LABELS, OFFER_LABELS, STATUS_LABELS

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["highlight"] = search.highlight
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals.update(TEMPLATE_POLICIES)
    app.jinja_env.globals.update(kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
                                 offer_labels=OFFER_LABELS, flag_reasons=FLAG_REASON_LABELS,
                                 unread_count=unread_count)
