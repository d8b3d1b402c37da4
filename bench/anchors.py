"""The app the benchmark serves: the portal, plus its two anchors under the same gunicorn.

- `/_bench/bare`: a route rendering a page of the listing's size with no database: the
  framework's limit.
- `/_bench/sql`: the listing's own SQL (newest first) run through the DB-API driver (psycopg, or
  sqlite3) and rendered by the listing's template: the data path's limit.

    gunicorn --workers 2 --bind 127.0.0.1:8765 'bench.anchors:app'
"""
from __future__ import annotations

import sqlite3
import threading
from types import SimpleNamespace

from flask import current_app, render_template, render_template_string
from markupsafe import Markup
from sqlalchemy import make_url

from portal import create_app
from portal.models import OPEN_STATUSES
from portal.services.submissions.listing import COUNT_CAP, Page
from portal.submissions.forms import FilterForm

app = create_app()
# wrk and the writers speak plain HTTP to 127.0.0.1: no TLS proxy in front to carry a Secure cookie.
app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
_local = threading.local()
_page: dict[str, str] = {}

LISTING_SQL = """
SELECT s.id, s.kind, s.status, s.title, s.excerpt, s.support_count, s.comment_count,
       s.created_at, t.name, th.name_fr, u.display_name
FROM submissions s JOIN territories t ON t.id = s.territory_id
JOIN themes th ON th.id = s.theme_id LEFT JOIN users u ON u.id = s.author_id
WHERE s.status IN ({marks}) ORDER BY s.created_at DESC, s.id DESC LIMIT 21
"""
COUNT_SQL = ("SELECT count(*) FROM (SELECT id FROM submissions WHERE status IN ({marks}) "
             "LIMIT {cap}) AS capped")


def _connection():
    """One DB-API connection per thread, opened on first use."""
    if getattr(_local, "connection", None) is None:
        url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
        if url.get_backend_name() == "postgresql":
            import psycopg

            _local.connection = psycopg.connect(
                url.set(drivername="postgresql").render_as_string(hide_password=False),
                autocommit=True)
            _local.mark = "%s"
        else:
            _local.connection = sqlite3.connect(url.database, check_same_thread=False)
            _local.mark = "?"
    return _local.connection, _local.mark


@app.get("/_bench/bare")
def bare():
    if "listing" not in _page:
        _page["listing"] = app.test_client().get(
            "/contributions/", base_url=app.config["PUBLIC_URL"]).get_data(as_text=True)
    return render_template_string("{{ page }}", page=Markup(_page["listing"]))  # noqa: S704


@app.get("/_bench/sql")
def data_path():
    connection, mark = _connection()
    marks = ", ".join([mark] * len(OPEN_STATUSES))
    statuses = [str(status) for status in OPEN_STATUSES]
    cursor = connection.cursor()
    rows = cursor.execute(LISTING_SQL.format(marks=marks), statuses).fetchall()
    total = cursor.execute(COUNT_SQL.format(marks=marks, cap=COUNT_CAP + 1),
                           statuses).fetchone()[0]
    territories = cursor.execute("SELECT id, name FROM territories ORDER BY path").fetchall()
    themes = cursor.execute("SELECT id, name_fr FROM themes ORDER BY name_fr").fetchall()
    items = [SimpleNamespace(
        id=r[0], kind=r[1], status=r[2], title=r[3], excerpt=r[4], support_count=r[5],
        comment_count=r[6], created_at=r[7], territory=SimpleNamespace(name=r[8]),
        theme=SimpleNamespace(name=r[9]),
        author=SimpleNamespace(display_name=r[10]) if r[10] else None) for r in rows[:20]]
    if items and isinstance(items[0].created_at, str):  # SQLite hands back text
        from datetime import datetime

        for item in items:
            item.created_at = datetime.fromisoformat(item.created_at)
    form = FilterForm(formdata=None)
    form.territory.choices = [("", "Toute la métropole"), *territories]
    form.theme.choices = [("", "Toutes les thématiques"), *themes]
    page = Page(items=items, page=1, per_page=20, total=min(total, COUNT_CAP),
                capped=total > COUNT_CAP, has_next=len(rows) > 20)
    return render_template("submissions/index.html", form=form, pagination=page,
                           supported=set())
