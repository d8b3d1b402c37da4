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

#: Elements the portal's own pages never hold (its one inline SVG chart is on /pistes/synthese).
FOREIGN_ELEMENTS = {"iframe", "object", "embed", "svg", "math", "base", "marquee", "details",
                    "video", "audio", "isindex", "keygen", "x", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "xlink:href"}


class Inert(HTMLParser):
    """Collects whatever in a page could run: a handler attribute, a foreign element, a script
    that is not ours, a script URL, a refresh."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in FOREIGN_ELEMENTS:
            self.found.append(f"<{tag}>")
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


def assert_inert(page: str, where: str) -> None:
    parser = Inert()
    parser.feed(page)
    assert parser.found == [], where


@pytest.fixture
def written(app, make, moderator, admin):
    """Each payload in each field, written through the use cases the forms and the API call."""
    territory, theme = make.territory(), make.theme()
    with app.app_context():
        moderator_row = db.session.get(User, moderator.id)
        organisation = partners.create_organisation(
            db.session.get(User, admin.id), "Service <b>économie</b>", "metropole_service", None)
        ids = []
        for n, payload in enumerate(XSS_PAYLOADS):
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
        for n, payload in enumerate(XSS_PAYLOADS[:10]):
            partners.forward(organisation, None, title=f"Opportunité {n} {payload}"[:160],
                             description=f"Une description assez longue : {payload}",
                             territory_id=territory.id, theme_id=theme.id,
                             reference=f"REF-{n}", contact=payload[:120],
                             possible_partners=payload)
    return ids


def test_every_payload_comes_out_as_text(app, client, auth, moderator, outbox, written):
    """Written once (seventy accounts, contributions, comments), read everywhere."""
    exports_and_feeds(client)
    mails(outbox)
    pages(app, client, auth, moderator, written)


def pages(app, client, auth, moderator, written):
    urls = ["/", "/contributions/?sort=newest", "/plan-du-site"]
    urls += [f"/contributions/?page={n}" for n in range(1, 5)]
    urls += [f"/contributions/{submission_id}" for submission_id in written]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)
    auth.login(moderator)
    for url in ["/moderation/", "/moderation/file-d-attente", "/moderation/comptes",
                *[f"/moderation/contributions/{i}" for i in written[:20]]]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)
    with app.app_context():  # the forwarded opportunities wait in the queue
        for row in db.session.query(Submission).filter_by(status="pending"):
            assert_inert(client.get(f"/moderation/contributions/{row.id}").text, row.title)


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
