"""Project leads in the back-office: conversion, the fiche, who may open what, board and list."""
from __future__ import annotations

import csv
import io
import re

import pytest

from portal.extensions import db
from portal.models import Lead, Notification, Offer, Submission

from .lead_pages import french, text_of

PROTECTED = ["/pistes/", "/pistes/liste", "/pistes/export.csv", "/pistes/nouvelle"]


@pytest.mark.parametrize("url", PROTECTED)
def test_visitors_are_sent_to_log_in(client, app, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("url", PROTECTED)
def test_residents_and_committee_members_may_not_open_the_board(client, auth, resident,
                                                                committee_member, url):
    auth.login(resident)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(committee_member)
    assert client.get(url).status_code == 403


def test_committee_members_reach_their_screens_only(client, auth, committee_member, make):
    lead = make.lead()
    auth.login(committee_member)
    assert client.get("/pistes/comite").status_code == 200
    assert client.get("/pistes/synthese").status_code == 200
    assert client.get(f"/pistes/{lead.id}").status_code == 403


def test_a_moderator_converts_submissions_into_a_lead(client, auth, moderator, make, app, outbox):
    territory, theme = make.territory("Saint-Ouen"), make.theme("Bien-vieillir")
    author = make.user(email="auteur@example.org")
    need = make.submission(author, territory=territory, theme=theme, title="Personnes âgées seules")
    idea = make.submission(kind="idea", territory=territory, theme=theme, title="Un café des aînés")
    make.support(need, make.user(email="voisine@example.org"))
    make.support(idea, make.user(email="voisine2@example.org"))
    auth.login(moderator)
    page = client.get(f"/pistes/nouvelle?contributions={need.id}")
    assert page.status_code == 200 and f'value="{need.id}"' in page.text
    response = client.post("/pistes/nouvelle", data={
        "submission_ids": f"{need.id}, {idea.id}", "title": "Rompre l'isolement des aînés",
        "summary": "Créer du lien avec les aînés seuls.", "territory": territory.id,
        "theme": theme.id})
    assert response.status_code == 302
    with app.app_context():
        lead = db.session.query(Lead).one()
        assert {s.id for s in lead.submissions} == {need.id, idea.id}
        assert db.session.get(Submission, need.id).status == "in_project"
        # The two supporters and the two authors (each follows what they posted).
        assert db.session.query(Notification).filter_by(event="in_project").count() == 4
    assert outbox.messages("voisine@example.org")
    detail = client.get(response.headers["Location"])
    assert "Rompre l&#39;isolement des aînés" in detail.text


def test_conversion_refuses_unknown_or_taken_submissions_and_keeps_the_text(client, auth, app,
                                                                           moderator, make):
    from portal.services.submissions.moderation import answer

    submission, reopened = make.submission(), make.submission()
    pending = make.submission(status="pending")
    make.lead([submission], moderator)
    make.lead([reopened], moderator)
    with app.app_context():  # answered and set back to "published", yet still in its lead
        answer(db.session.get(Submission, reopened.id), db.session.get(type(moderator),
                                                                       moderator.id),
               "Toujours ouverte.", "published")
    not_published = "Contribution %(id)d is not published: it cannot become a project lead."
    taken = "Contribution %(id)d already belongs to a project lead."
    auth.login(moderator)
    for ids, message in (
            (submission.id, french(app, taken, id=submission.id)),
            (pending.id, french(app, not_published, id=pending.id)),
            (reopened.id, french(app, "Contribution %(id)d already belongs to a project lead.",
                                 id=reopened.id)),
            (999999, french(app, "There is no contribution number %(id)d.", id=999999)),
            ("douze", french(app, "Give contribution numbers separated by commas, e.g. 12, 15."))):
        response = client.post("/pistes/nouvelle", data={
            "submission_ids": ids, "title": "Un titre tapé", "summary": "Un résumé tapé",
            "territory": submission.territory_id, "theme": submission.theme_id})
        assert response.status_code == 422
        assert "Un titre tapé" in response.text and "Un résumé tapé" in response.text
        assert message in text_of(response)


def test_the_conversion_form_refuses_title_and_summary_at_once(client, auth, app, moderator,
                                                              make):
    need = make.submission()
    auth.login(moderator)
    response = client.post("/pistes/nouvelle", data={
        "submission_ids": str(need.id), "title": "", "summary": "",
        "territory": need.territory_id, "theme": need.theme_id})
    assert response.status_code == 422
    # In the summary above the form and by each of the two fields.
    assert text_of(response).count(french(app, "This field is required.")) == 4


def test_more_submissions_can_be_attached_later(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    other = make.submission()
    auth.login(moderator)
    assert client.post(f"/pistes/{lead.id}/rattacher",
                       data={"submission_ids": str(other.id)}).status_code == 302
    assert client.post(f"/pistes/{lead.id}/rattacher",
                       data={"submission_ids": str(other.id)}).status_code == 422
    with app.app_context():
        assert len(db.session.get(Lead, lead.id).links) == 2


def test_the_fiche_is_qualified_with_team_and_partners(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    colleague = make.user(role="moderator", display_name="Yann")
    auth.login(moderator)
    form = client.get(f"/pistes/{lead.id}/modifier")
    assert form.status_code == 200 and 'name="public_sections"' in form.text
    assert form.text.count("<h1") == 1
    response = client.post(f"/pistes/{lead.id}/modifier", data={
        "title": "Rompre l'isolement", "summary": "Résumé", "origin": "residents",
        "territory": lead.territory_id, "theme": lead.theme_id, "need": "Des aînés seuls",
        "target_public": "Personnes âgées", "existing_offers": "Un CCAS débordé",
        "economic_model": "Prestations + subventions", "carrier_profile": "Une association",
        "budget": "80 k€", "notes": "Secret", "owner": moderator.id, "members": [colleague.id],
        "is_public": "y", "public_sections": ["need", "existing"]})
    assert response.status_code == 302
    assert client.post(f"/pistes/{lead.id}/partenaires", data={
        "name": "Mairie de Saint-Ouen", "kind": "collectivity", "role": "funder",
        "commitment": "Local prêté"}).status_code == 302
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        assert saved.existing_offers == "Un CCAS débordé" and saved.is_public
        assert saved.public_sections == ["need", "existing"]
        assert [m.user_id for m in saved.members] == [colleague.id]
        assert saved.partners[0].role == "funder"
    page = client.get(f"/pistes/{lead.id}")
    assert "Mairie de Saint-Ouen" in page.text and "Yann" in page.text


def test_a_resident_cannot_be_put_in_charge(client, auth, app, moderator, resident, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/modifier", data={
        "title": "Titre", "origin": "residents", "territory": lead.territory_id,
        "theme": lead.theme_id, "owner": resident.id, "summary": "Résumé"})
    assert response.status_code == 422
    # The form offers the team only; the use case checks it too (tests/services/leads).
    assert (f'{french(app, "Person in charge")}\u202f: {french(app, "Not a valid choice.")}'
            in text_of(response))


def test_board_list_and_csv(client, auth, moderator, make):
    a = make.lead(moderator=moderator, title="Épicerie solidaire")
    b = make.lead(moderator=moderator, title="Garage associatif")
    auth.login(moderator)
    board = client.get("/pistes/")
    assert board.status_code == 200
    assert "Épicerie solidaire" in board.text and f'name="lead{a.id}-to_stage"' in board.text
    assert client.get(f"/pistes/?territory={a.territory_id}").text.count("lead-card") == 1
    assert client.get("/pistes/?territory=abc").status_code == 400
    listing = client.get("/pistes/liste?sort=title")
    assert listing.text.index("Épicerie") < listing.text.index("Garage")
    assert client.get("/pistes/liste?sort=nope").status_code == 400
    export = client.get("/pistes/export.csv")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert {r["title"] for r in rows} == {"Épicerie solidaire", "Garage associatif"}
    assert rows[0]["stage"] == "detected"
    assert b.id


def test_unknown_lead_is_404(client, auth, moderator):
    auth.login(moderator)
    assert client.get("/pistes/424242").status_code == 404
    assert client.post("/pistes/424242/etape", data={}).status_code == 404


def test_admins_run_the_pipeline_too(client, auth, admin, make):
    lead = make.lead()
    auth.login(admin)
    assert client.get("/pistes/").status_code == 200
    assert client.get(f"/pistes/{lead.id}").status_code == 200


def test_the_board_has_no_inline_script_and_works_as_forms(client, auth, moderator, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    page = client.get("/pistes/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)", page.text) == []
    assert not re.search(r"\son[a-z]+=", page.text)
    assert "js/board.js" in page.text
    assert f'action="/pistes/{lead.id}/etape"' in page.text
    static = client.get("/static/js/board.js")
    assert static.status_code == 200 and "keydown" in static.get_data(as_text=True)
    static.close()


def test_the_lead_page_has_unique_ids_and_one_h1(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        saved.stage = "launch"
        db.session.commit()
    auth.login(moderator)
    page = client.get(f"/pistes/{lead.id}").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.count("<h1") == 1


@pytest.mark.parametrize("url", ["/pistes/comite", "/pistes/synthese", "/pistes/synthese.csv",
                                 "/pistes/comite/1"])
def test_committee_screens_are_closed_to_visitors_and_residents(client, auth, resident, url):
    assert client.get(url).status_code == 302
    auth.login(resident)
    assert client.get(url).status_code == 403


def test_every_lead_form_carries_the_csrf_token_it_is_checked_against(client, auth, moderator,
                                                                     resident, make, app,
                                                                     monkeypatch):
    """Prefixed forms expect a prefixed token: post each one with CSRF on, as a browser would."""
    lead = make.lead(moderator=moderator, public=True)
    need = make.submission()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def token(page, name):
        tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
        assert tag, f"no {name} in the page"
        return re.search(r'value="([^"]+)"', tag.group(0)).group(1)

    def login(user):
        page = client.get("/compte/connexion").text
        client.post("/compte/connexion", data={"email": user.email,
                                               "password": "correct horse battery",
                                               "csrf_token": token(page, "csrf_token")})

    login(moderator)
    board = client.get("/pistes/").text
    response = client.post(f"/pistes/{lead.id}/etape", data={
        f"lead{lead.id}-csrf_token": token(board, f"lead{lead.id}-csrf_token"),
        f"lead{lead.id}-to_stage": "opportunity", f"lead{lead.id}-note": "Go", "next": "board"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Lead, lead.id).stage == "opportunity"
    client.post("/compte/deconnexion", data={"csrf_token": token(board, "csrf_token")})
    login(resident)
    for url, action in ((f"/projets/{lead.id}", f"/projets/{lead.id}/proposer"),
                        (f"/contributions/{need.id}", f"/projets/contribution/{need.id}/proposer")):
        page = client.get(url).text
        response = client.post(action, data={"offer-csrf_token": token(page, "offer-csrf_token"),
                                             "offer-kind": "contribute",
                                             "offer-message": "Je connais bien le quartier."})
        assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Offer).count() == 2


def test_the_list_filters_by_theme_and_person_and_sorts(client, auth, moderator, make):
    colleague = make.user(role="moderator", display_name="Yann")
    a = make.lead(moderator=moderator, title="Épicerie solidaire")
    b = make.lead(moderator=colleague, title="Atelier vélo")
    auth.login(moderator)
    page = client.get(f"/pistes/liste?theme={a.theme_id}").text
    assert "Épicerie solidaire" in page and "Atelier vélo" not in page
    page = client.get(f"/pistes/liste?owner={colleague.id}").text
    assert "Atelier vélo" in page and "Épicerie solidaire" not in page
    client.post(f"/pistes/{b.id}/etape", data={f"lead{b.id}-to_stage": "opportunity",
                                               f"lead{b.id}-note": "Étude"})
    for sort, first in (("title", "Atelier vélo"), ("stage", "Épicerie solidaire")):
        page = client.get(f"/pistes/liste?sort={sort}").text
        assert page.index(first) < page.index(
            "Épicerie solidaire" if first == "Atelier vélo" else "Atelier vélo")
    assert client.get("/pistes/liste?sort=territory").status_code == 200
