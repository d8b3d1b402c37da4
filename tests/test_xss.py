"""Seventy XSS payloads written into every field a resident, a moderator or a partner fills
(display name, title, text, public, comment, decline reason, forwarded fields), then read back
from every page, export, feed and mail that shows them: they come out as text, never markup."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from portal.extensions import db
from portal.models import Submission, User
from portal.services.partners import forwarding as partners
from portal.services.submissions import posting

from .xss_payloads import XSS_PAYLOADS

#: Elements a payload may bring in. The portal writes a few itself (its icon sprite and icons,
#: <details> disclosures): those are known by rendering the same pages with harmless text first
#: (the own_markup fixture), and only their exact start tags are let through.
FOREIGN_ELEMENTS = {"iframe", "object", "embed", "svg", "math", "base", "marquee", "details",
                    "video", "audio", "isindex", "keygen", "x", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "xlink:href"}


class Inert(HTMLParser):
    """Collects whatever in a page could run: a handler attribute, a foreign element that is
    not one of ours (``own``: exact start tags), a script that is not ours, a script URL, a
    refresh."""

    def __init__(self, own: frozenset[str] = frozenset()):
        super().__init__(convert_charrefs=True)
        self.own = own
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in FOREIGN_ELEMENTS and self.get_starttag_text() not in self.own:
            self.found.append(self.get_starttag_text())
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append("<script> of no file of ours")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            compact = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:",
                                                                "data:text")):
                self.found.append(f"{tag}[{name}={value}]")


class Foreign(HTMLParser):
    """The start tags of the foreign elements of a page, exactly as written."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in FOREIGN_ELEMENTS:
            self.tags.add(self.get_starttag_text())


def assert_inert(page: str, where: str, own: frozenset[str] = frozenset()) -> None:
    parser = Inert(own)
    parser.feed(page)
    assert parser.found == [], where


HARMLESS = ["Un texte sans balise", "Une autre phrase, tout aussi sage"]


def write(app, make, moderator, admin, texts: list[str]) -> list[int]:
    """Each text in each field, written through the use cases the forms and the API call."""
    territory, theme = make.territory(), make.theme()
    with app.app_context():
        moderator_row = db.session.get(User, moderator.id)
        organisation = partners.create_organisation(
            db.session.get(User, admin.id), f"Service {len(texts)} <b>économie</b>",
            "metropole_service", None)
        ids = []
        for n, payload in enumerate(texts):
            author = make.user(display_name=(payload * 2)[:80])
            row = posting.submit(db.session.get(User, author.id), kind="need",
                                 title=f"Besoin {n} {payload}"[:160],
                                 body=f"Un texte assez long pour passer la règle : {payload}",
                                 territory_id=territory.id, theme_id=theme.id,
                                 target_public=payload[:120])
            if n % 5 == 4:  # some declined, their public reason a payload too
                posting.decline(row, moderator_row, f"Refusée : {payload}")
            else:
                posting.publish(row, moderator_row)
                make.comment(row, body=f"Commentaire {payload}")
            ids.append(row.id)
        for n, payload in enumerate(texts[:10]):
            partners.forward(organisation, None, title=f"Opportunité {n} {payload}"[:160],
                             description=f"Une description assez longue : {payload}",
                             territory_id=territory.id, theme_id=theme.id,
                             reference=f"REF-{n}", contact=payload[:120],
                             possible_partners=payload)
    return ids


@pytest.fixture
def own_markup(app, client, auth, make, moderator, admin) -> frozenset[str]:
    """The foreign elements the portal writes itself: the same pages, rendered before any
    payload is written, with harmless text in every field."""
    written = write(app, make, moderator, admin, HARMLESS * 5)
    own: set[str] = set()

    def collect(page: str, where: str) -> None:
        parser = Foreign()
        parser.feed(page)
        own.update(parser.tags)

    pages(app, client, auth, moderator, written, collect)
    auth.logout()
    # What is let through can hide no payload: no payload holds one of these start tags.
    hiding = {tag for tag in own for payload in XSS_PAYLOADS if tag.lower() in payload.lower()}
    assert not hiding, hiding
    return frozenset(own)


@pytest.fixture
def written(app, make, moderator, admin, own_markup):
    """Each payload in each field (after the harmless baseline of own_markup)."""
    return write(app, make, moderator, admin, XSS_PAYLOADS)


def test_every_payload_comes_out_as_text(app, client, auth, moderator, outbox, own_markup,
                                         written):
    """Written once (seventy accounts, contributions, comments), read everywhere."""
    exports_and_feeds(client)
    mails(outbox)
    pages(app, client, auth, moderator, written,
          lambda page, where: assert_inert(page, where, own_markup))


def test_a_payload_written_as_markup_would_be_found(own_markup):
    """The check above can still fail: letting the portal's own icons and disclosures through
    hides nothing of a payload put in a page as is, and each foreign element a payload brings
    (<svg>, <math>, <iframe>, <details>...) is found."""
    page = "<!doctype html><html><body><main>{}</main></body></html>"
    bringing_foreign = 0
    for payload in XSS_PAYLOADS:
        strict, lenient, foreign = Inert(), Inert(own_markup), Foreign()
        for parser in (strict, lenient, foreign):
            parser.feed(page.format(payload))
        assert lenient.found == strict.found, payload
        if foreign.tags:
            bringing_foreign += 1
            assert foreign.tags <= set(lenient.found), payload
    assert bringing_foreign >= 10


def pages(app, client, auth, moderator, written, check):
    urls = ["/", "/contributions/?sort=newest", "/plan-du-site"]
    urls += [f"/contributions/?page={n}" for n in range(1, 5)]
    urls += [f"/contributions/{submission_id}" for submission_id in written]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.text, url)
    auth.login(moderator)
    for url in ["/moderation/", "/moderation/file-d-attente", "/moderation/comptes",
                *[f"/moderation/contributions/{i}" for i in written[:20]]]:
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.text, url)
    with app.app_context():  # the forwarded opportunities wait in the queue
        for row in db.session.query(Submission).filter_by(status="pending"):
            check(client.get(f"/moderation/contributions/{row.id}").text, row.title)


def exports_and_feeds(client):
    feed = client.get("/flux/contributions.atom")
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.data)  # well-formed: every payload escaped in the XML
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("<script>alert(1)</script>" in (title or "") for title in titles)
    for element in root.iter("{http://www.w3.org/2005/Atom}content"):
        if element.get("type") == "html":
            assert_inert(element.text or "", "atom content")
    data = client.get("/donnees-ouvertes/contributions.json")
    assert data.status_code == 200 and data.mimetype == "application/json"
    body = json.dumps(data.get_json(), ensure_ascii=False)
    assert "<script>alert(1)</script>" in body  # data, as written; a JSON client escapes
    table = client.get("/donnees-ouvertes/contributions.csv")
    rows = list(csv.reader(io.StringIO(table.data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    api = client.get("/api/v1/submissions")
    assert api.status_code == 200 and api.mimetype == "application/json"


def mails(outbox):
    mails = outbox.messages()
    assert len(mails) >= len(XSS_PAYLOADS) // 2
    for mail in mails:
        for part in mail.walk():
            if part.get_content_type() == "text/html":
                assert_inert(part.get_content(), mail["Subject"])
            else:
                assert part.get_content_maintype() in ("text", "multipart")
