"""Feeds (issue 10): the projects' feed carries each public project's news with its public
words only and links to anchors that exist; each filtered listing advertises its own feed."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

from portal.extensions import db
from portal.models import Lead, User
from portal.services.leads import pipeline

from .lead_pages import french

ATOM = "{http://www.w3.org/2005/Atom}"
PRIVATE_NOTE = "Note interne : le bailleur hésite encore"


def _entries(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    return [{"title": e.find(f"{ATOM}title").text, "summary": e.find(f"{ATOM}summary").text,
             "link": e.find(f"{ATOM}link").get("href")} for e in feed.iter(f"{ATOM}entry")]


def _move(app, lead, moderator, to_stage, **details):
    with app.app_context():
        pipeline.move(db.session.get(Lead, lead.id), db.session.get(User, moderator.id),
                      to_stage, **details)


def _opens(client, link: str) -> str:
    """The page a feed link opens, and the anchor it points to must exist on it."""
    parts = urlsplit(link)
    page = client.get(parts.path)
    assert page.status_code == 200
    assert f'id="{parts.fragment}"' in page.text, f"no anchor {parts.fragment}"
    return html.unescape(page.text)


def test_project_news_carry_public_words_and_link_to_their_move(app, client, make, moderator):
    shown = make.lead(title="Laverie solidaire", public=True)
    quiet = make.lead(title="Recyclerie", public=True, sections=("need",))
    hidden = make.lead(title="Projet confidentiel", public=False)
    _move(app, shown, moderator, "opportunity", note="Étude lancée avec le CCAS")
    _move(app, shown, moderator, "paused", note=PRIVATE_NOTE, reason="Attente d'un local")
    _move(app, quiet, moderator, "opportunity", note=PRIVATE_NOTE)
    _move(app, hidden, moderator, "opportunity", note=PRIVATE_NOTE)

    entries = _entries(client, "/flux/projets.atom")
    titles = [entry["title"] for entry in entries]
    assert len(entries) == 3 and not any("confidentiel" in title for title in titles)
    paused = next(e for e in entries if e["title"].startswith("Laverie") and "veille" in
                  e["title"])
    assert "Attente d'un local" in paused["summary"]
    # The page shows its decisions: their notes are public there, and in the feed.
    assert PRIVATE_NOTE in paused["summary"]
    page = _opens(client, paused["link"])
    assert "Attente d'un local" in page
    recyclerie = next(e for e in entries if e["title"].startswith("Recyclerie"))
    assert PRIVATE_NOTE not in recyclerie["summary"]  # its decisions are not public
    assert recyclerie["summary"] == french(
        app, "The Fabrique checks that the need is real, that nothing nearby answers it "
             "already, and that an enterprise could answer it.")
    assert recyclerie["link"].endswith("#where-title")
    _opens(client, recyclerie["link"])


def test_each_filtered_listing_advertises_its_own_feed(app, client, make, moderator):
    amiens, longueau = make.territory("Amiens"), make.territory("Longueau")
    food = make.theme("Alimentation")
    make.submission(title="Une épicerie à Amiens", territory=amiens, theme=food)
    make.submission(title="Un besoin à Longueau", territory=longueau, theme=food)
    with app.app_context():
        amiens_code = db.session.get(type(amiens), amiens.id).code
        food_code = db.session.get(type(food), food.id).code

    page = client.get(f"/contributions/?territory={amiens.id}&theme={food.id}&kind=need").text
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"',
                     page)[1].replace("&amp;", "&")
    assert f"territoire={amiens_code}" in feed and f"thematique={food_code}" in feed
    assert "type=need" in feed
    titles = [entry["title"] for entry in _entries(client, feed)]
    assert titles == ["Une épicerie à Amiens"]
    assert 'href="/flux/contributions.atom"' in client.get("/contributions/").text

    lead = make.lead(title="Épicerie solidaire", public=True)
    with app.app_context():
        lead_territory = db.session.get(Lead, lead.id).territory
        code = lead_territory.code
    projects = client.get(f"/projets/?territory={lead_territory.id}").text
    feed = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"',
                     projects)[1]
    assert feed == f"/flux/projets.atom?territoire={code}"
    assert client.get("/flux/contributions.atom?type=nimporte").status_code == 404
