"""What templates may call: policies, the Markdown renderer, labels. Templates read, never write."""
from __future__ import annotations

from flask import Flask, g

from .policies import TEMPLATE_POLICIES
from .sanitize import render_markdown


def register(app: Flask) -> None:
    from . import labels
    from .accounts.forms import STAFF_BADGES
    from .services.accounts.notifications import unread_count
    from .services.partners.tokens import SCOPE_LABELS
    from .services.submissions import search
    from .submissions.forms import KIND_LABELS, OFFER_LABELS, STATUS_LABELS

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["highlight"] = search.highlight
    app.jinja_env.filters["excerpt"] = search.excerpt
    app.jinja_env.filters["excerpt_around"] = search.excerpt_around
    app.jinja_env.globals.update(TEMPLATE_POLICIES)
    app.jinja_env.globals.update(kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
                                 offer_labels=OFFER_LABELS, flag_reasons=labels.FLAG_REASON_LABELS,
                                 role_labels=labels.ROLE_LABELS, scope_labels=SCOPE_LABELS,
                                 staff_badges=STAFF_BADGES,
                                 action_label=labels.action_label,
                                 target_label=labels.target_label,
                                 journal_changes=labels.changes, target_pages=labels.TARGET_PAGES,
                                 unread_count=unread_count)
    app.jinja_env.globals.update(mark_form_in_error=mark_form_in_error,
                                 form_in_error=form_in_error)


def mark_form_in_error() -> str:
    """Said by the error summary, so that the page's title starts with "Error:" (WCAG 3.3.1):
    the title is the first thing a screen reader reads of the page that comes back."""
    g.form_in_error = True
    return ""


def form_in_error() -> bool:
    return g.get("form_in_error", False)
