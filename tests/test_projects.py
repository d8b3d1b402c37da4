"""Public project pages: what a lead shows, what it keeps private, and the way back."""
from __future__ import annotations

from portal.extensions import db
from portal.models import Lead


def test_a_private_lead_has_no_public_page(client, make):
    lead = make.lead(public=False)
    assert client.get(f"/projets/{lead.id}").status_code == 404
    assert client.get("/projets/424242").status_code == 404
    assert lead.title not in client.get("/projets/").text


def test_the_public_page_shows_chosen_sections_only(client, make, app):
    lead = make.lead(public=True, sections=("need",), notes="Note interne confidentielle")
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        saved.need, saved.existing_offers = "Des aînés seuls", "Un CCAS qui manque de moyens"
        saved.economic_model, saved.budget = "Modèle hybride", "80 000 euros"
        db.session.commit()
    page = client.get(f"/projets/{lead.id}")
    assert page.status_code == 200
    assert "Des aînés seuls" in page.text
    for secret in ("Note interne confidentielle", "Un CCAS qui manque de moyens",
                   "Modèle hybride", "80 000 euros"):
        assert secret not in page.text
    assert page.text.count("<h1") == 1


def test_decisions_show_only_when_chosen(client, auth, moderator, make):
    shown = make.lead(moderator=moderator, public=True, sections=("decisions",))
    hidden = make.lead(moderator=moderator, public=True, sections=())
    auth.login(moderator)
    for lead in (shown, hidden):
        client.post(f"/pistes/{lead.id}/etape", data={
            f"lead{lead.id}-to_stage": "opportunity",
            f"lead{lead.id}-note": "Étude lancée avec le CCAS"})
    auth.logout()
    assert "Étude lancée avec le CCAS" in client.get(f"/projets/{shown.id}").text
    assert "Étude lancée avec le CCAS" not in client.get(f"/projets/{hidden.id}").text
    assert 'aria-current="step"' in client.get(f"/projets/{hidden.id}").text


def test_sources_link_to_the_project_and_back(client, make):
    submission = make.submission(title="Trop d'aînés isolés à Saint-Ouen")
    lead = make.lead([submission], public=True)
    project = client.get(f"/projets/{lead.id}")
    assert f"/contributions/{submission.id}" in project.text
    assert f"/projets/{lead.id}" in client.get(f"/contributions/{submission.id}").text


def test_the_projects_page_counts_per_stage_and_filters(client, make):
    a = make.lead(public=True, title="Projet A")
    make.lead(public=True, title="Projet B")
    page = client.get("/projets/")
    assert page.status_code == 200 and "Projet A" in page.text and "Projet B" in page.text
    filtered = client.get(f"/projets/?territory={a.territory_id}")
    assert "Projet A" in filtered.text and "Projet B" not in filtered.text
    assert client.get("/projets/?theme=abc").status_code == 400


def test_an_abandoned_project_says_why_even_without_its_decisions(client, auth, moderator, make):
    lead = make.lead(moderator=moderator, public=True, sections=())
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/etape", data={
        f"lead{lead.id}-to_stage": "abandoned", f"lead{lead.id}-note": "Arrêt",
        f"lead{lead.id}-reason": "Un service équivalent a ouvert à côté"})
    auth.logout()
    assert "Un service équivalent a ouvert à côté" in client.get(f"/projets/{lead.id}").text


def test_supporters_are_counted_once_across_sources(client, make):
    one, two = make.submission(kind="need"), make.submission(kind="idea")
    fan = make.user()
    make.support(one, fan)
    make.support(two, fan)
    make.support(two)
    lead = make.lead([one, two], public=True)
    page = client.get(f"/projets/{lead.id}").text
    assert "2 habitant·es les ont soutenues" in page
    assert "(Besoin, 1 soutien)" in page and "(Idée, 2 soutiens)" in page


def test_the_submission_page_offers_conversion_only_when_the_rule_allows(client, auth, moderator,
                                                                         make, app):
    published, taken = make.submission(), make.submission()
    lead = make.lead([taken], moderator, public=True, title="Un café des aînés")
    auth.login(moderator)
    page = client.get(f"/contributions/{published.id}").text
    assert f"/pistes/nouvelle?contributions={published.id}" in page
    page = client.get(f"/contributions/{taken.id}").text
    assert "/pistes/nouvelle?contributions=" not in page
    # The way back: the page links to the public project it became.
    assert f'href="/projets/{lead.id}"' in page and "Un café des aînés" in page


def test_the_projects_list_filters_by_theme_and_territory(client, make):
    one = make.lead(public=True, title="Épicerie solidaire")
    other = make.lead(public=True, title="Garage solidaire")
    page = client.get(f"/projets/?theme={one.theme_id}").text
    assert "Épicerie solidaire" in page and "Garage solidaire" not in page
    page = client.get(f"/projets/?territory={other.territory_id}").text
    assert "Garage solidaire" in page and "Épicerie solidaire" not in page
    assert client.get("/projets/?theme=douze").status_code == 400


def test_an_abandoned_project_shows_no_offer_form_and_refuses_offers(client, auth, moderator,
                                                                     resident, make, app):
    from .lead_pages import french, text_of

    lead = make.lead(moderator=moderator, public=True)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/etape", data={
        f"lead{lead.id}-to_stage": "abandoned", f"lead{lead.id}-note": "Fin",
        f"lead{lead.id}-reason": "Le local est vendu."})
    auth.logout()
    auth.login(resident)
    page = client.get(f"/projets/{lead.id}")
    assert "Le local est vendu." in page.text and 'name="offer-message"' not in page.text
    refused = client.post(f"/projets/{lead.id}/proposer", data={
        "offer-kind": "carry", "offer-message": "Je peux reprendre le projet."})
    assert refused.status_code == 403
    assert french(app, "This project does not take offers.") in text_of(refused)
