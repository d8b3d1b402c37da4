"""Open data exports and Atom feeds: the documented columns, and nothing private."""
from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

from portal.services.submissions.opendata import LEAD_COLUMNS, SUBMISSION_COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_page_documents_every_column(client):
    page = client.get("/donnees-ouvertes").text
    for column in SUBMISSION_COLUMNS + LEAD_COLUMNS:
        assert f"<code>{column}</code>" in page
    assert "Licence Ouverte" in page


def test_csv_and_json_exports_have_the_columns_and_no_email(client, make):
    author = make.user(email="secret@example.org", display_name="Nadia B.")
    make.submission(author, title="Une laverie solidaire")
    make.submission(author, title="Pas encore modérée", status="pending")
    response = client.get("/donnees-ouvertes/contributions.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(rows[0].keys()) == SUBMISSION_COLUMNS
    assert [r["title"] for r in rows] == ["Une laverie solidaire"]
    assert rows[0]["author_display_name"] == "Nadia B."
    data = client.get("/donnees-ouvertes/contributions.json").get_json()
    assert data["licence"].startswith("Licence Ouverte") and len(data["items"]) == 1
    assert "secret@example.org" not in response.get_data(as_text=True) + str(data)
    leads = list(csv.reader(io.StringIO(client.get("/donnees-ouvertes/projets.csv")
                                        .get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(leads[0]) == LEAD_COLUMNS
    assert client.get("/donnees-ouvertes/contributions.xls").status_code == 404


def test_atom_feeds_all_per_territory_and_per_theme(client, make):
    dury, theme = make.territory("Dury"), make.theme("Mobilité")
    make.submission(title="Navette vers la zone d'emploi", territory=dury, theme=theme)
    make.submission(title="Ailleurs", territory=make.territory("Camon"))
    response = client.get("/flux/contributions.atom")
    assert response.mimetype == "application/atom+xml"
    titles = [e.find(f"{ATOM}title").text
              for e in ElementTree.fromstring(response.data).iter(f"{ATOM}entry")]
    assert sorted(titles) == ["Ailleurs", "Navette vers la zone d'emploi"]
    for query in (f"territoire={dury.code}", f"thematique={theme.code}"):
        feed = ElementTree.fromstring(client.get(f"/flux/contributions.atom?{query}").data)
        assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == [
            "Navette vers la zone d'emploi"]
    assert client.get("/flux/contributions.atom?territoire=nowhere").status_code == 404
    projects = ElementTree.fromstring(client.get("/flux/projets.atom").data)
    assert projects.tag == f"{ATOM}feed"


def test_public_leads_show_only_their_public_sections(app, client, make):
    from portal.extensions import db
    from portal.models import Lead, User
    from portal.services.leads.pipeline import move

    moderator = make.user(role="moderator")
    public = make.lead(moderator=moderator, title="Épicerie solidaire", public=True,
                       sections=("need",), notes="Notes internes")
    make.lead(moderator=moderator, title="Piste confidentielle", public=False)
    with app.test_request_context():
        lead = db.session.get(Lead, public.id)
        lead.budget = "120 000 € d'investissement"
        db.session.commit()
        move(lead, db.session.get(User, moderator.id), "opportunity",
             note="Le besoin est confirmé par l'enquête.")
    exported = client.get("/donnees-ouvertes/projets.json").get_json()["items"]
    assert [item["title"] for item in exported] == ["Épicerie solidaire"]
    assert exported[0]["need"] and exported[0]["budget"] is None
    assert "Notes internes" not in str(exported)
    api = client.get("/api/v1/leads").get_json()["items"]
    assert [item["stage"] for item in api] == ["opportunity"]
    feed = ElementTree.fromstring(client.get("/flux/projets.atom").data)
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert any(title.startswith("Épicerie solidaire") for title in titles)
    assert not any("confidentielle" in title for title in titles)


def test_feeds_and_the_api_link_to_public_url_whatever_host_the_request_claims(
        app, client, make, monkeypatch):
    """A poisoned Host or X-Forwarded-Host never reaches a link that leaves the site (in
    production no SERVER_NAME is set, so the request's host is all Flask would know)."""
    make.submission(title="Pas de bus le dimanche à Longueau")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    hostile = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    for path in ("/flux/contributions.atom", "/flux/projets.atom", "/api/v1/openapi.json",
                 "/api/v1/submissions"):
        response = client.get(path, headers=hostile)
        assert response.status_code == 200, path
        assert "evil.example" not in response.text, path
    assert "http://portal.test/contributions/" in client.get(
        "/flux/contributions.atom", headers=hostile).text


def test_every_csv_neutralises_formulas_and_carries_a_bom(app, client, auth, make, moderator):
    """A cell starting with =, +, -, @ is text to a spreadsheet, not a formula to run."""
    from portal.services.core.tables import cell

    assert [cell(v) for v in ("=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "ok", -3,
                               None)] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)",
                                          "'\tx", "ok", -3, ""]
    make.submission(title="=HYPERLINK(\"http://evil.example\")")
    auth.login(moderator)
    make.lead(title="@SUM(1+1) une piste")
    for path in ("/donnees-ouvertes/contributions.csv", "/pistes/export.csv",
                 "/pistes/synthese.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff"), path
        cells = [value for row in csv.reader(io.StringIO(text[1:])) for value in row]
        assert not [value for value in cells if value.startswith(("=", "+", "@"))], path
    assert "'=HYPERLINK" in client.get("/donnees-ouvertes/contributions.csv").get_data(
        as_text=True)
