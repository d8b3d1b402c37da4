"""Save a back-office form unchanged, as a browser would, and check nothing moved.

`submitted_fields(page, action)` reads the form whose `action` ends with `action` and returns
what a browser sends when the user presses its button without touching anything: every enabled
input with its value (checkboxes and radios only when checked), every select's selected options
(the first option of a single select when none is selected), every textarea's text.
`resubmit_unchanged(...)` GETs the page, POSTs that data back and asserts the database row (its
columns, plus whatever `extra` reads) is the same before and after.
"""
from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import inspect

from portal.extensions import db


class _FormReader(HTMLParser):
    def __init__(self, action: str, page_url: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.page_url = page_url
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = (attrs.get("action") or self.page_url or "").split("#")[0]
        if tag == "form" and not self.found and target.endswith(self.action):
            self.inside = self.found = True
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs,
                            "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for option in chosen if self._select["multiple"] else chosen[-1:]:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # A browser drops the one newline that follows the opening tag.
            text = text[1:] if text.startswith("\n") else text
            self.fields.append((self._textarea["name"], text.replace("\r\n", "\n")))
            self._textarea = None


def submitted_fields(page: str, action: str, page_url: str | None = None
                     ) -> list[tuple[str, str]]:
    """What the form posting to `action` sends unchanged (a form without an `action` posts to
    `page_url`, the page itself)."""
    reader = _FormReader(action, page_url)
    reader.feed(page)
    assert reader.found, f"no form posting to {action} on the page"
    return reader.fields


def row_state(model, object_id, extra=None) -> dict:
    obj = db.session.get(model, object_id)
    db.session.refresh(obj)
    state = {c.key: getattr(obj, c.key) for c in inspect(model).mapper.column_attrs}
    if extra:
        state.update(extra(obj))
    return state


def resubmit_unchanged(app, client, page_url: str, action: str, model, object_id, *,
                       extra=None, ignore=("updated_at",)):
    """GET `page_url`, POST its form (to `action`) unchanged, assert the row did not change."""
    with app.app_context():
        before = row_state(model, object_id, extra)
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    fields = submitted_fields(page.text, action, page_url)
    response = client.post(action, data=_multidict(fields))
    assert response.status_code in (200, 302), (response.status_code, fields)
    with app.app_context():
        after = row_state(model, object_id, extra)
    changed = {key: (before[key], after[key]) for key in before
               if key not in ignore and before[key] != after[key]}
    assert not changed, f"saving {page_url} unchanged changed {changed}"
    return response


def _multidict(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)
