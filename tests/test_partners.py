"""Partner organisations: the admin screens, forwarding by form, relays, the dashboard."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken, PartnerOrganisation, Submission, User


@pytest.fixture
def place(make):
    return {"commune": make.territory("Longueau"), "theme": make.theme("Insertion")}


def create_organisation(client, name="Direction de l'économie - Métropole",
                        kind="metropole_service"):
    response = client.post("/admin/organisations", data={"name": name, "kind": kind,
                                                         "territory": ""})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize("url", ["/admin/organisations", "/partenaires/",
                                 "/partenaires/transmettre"])
def test_visitors_log_in_and_residents_are_refused(client, auth, resident, url):
    assert client.get(url).status_code == 302
    auth.login(resident)
    assert client.get(url).status_code == 403


def test_moderators_cannot_administer(client, auth, moderator):
    auth.login(moderator)
    assert client.get("/admin/organisations").status_code == 403


def test_an_admin_creates_an_organisation_attaches_a_person_and_issues_a_token(
        app, client, auth, admin, make):
    agent = make.user(email="agent@metropole.example")
    auth.login(admin)
    organisation_id = create_organisation(client)
    duplicate = client.post("/admin/organisations", data={
        "name": "Direction de l'économie - Métropole", "kind": "company", "territory": ""})
    assert duplicate.status_code == 422
    assert client.post(f"/admin/organisations/{organisation_id}/membres",
                       data={"email": "nobody@example.org"}).status_code == 422
    client.post(f"/admin/organisations/{organisation_id}/membres",
                data={"email": "agent@metropole.example"})
    with app.app_context():
        attached = db.session.get(User, agent.id)
        assert (attached.role, attached.partner_organisation_id) == ("partner", organisation_id)
    page = client.post(f"/admin/organisations/{organisation_id}/jetons",
                       data={"name": "script", "scopes": ["opportunities:write"]})
    token = re.search(r'id="new-token" type="text" readonly value="(fab_[^"]+)"', page.text)[1]
    assert token not in client.get(f"/admin/organisations/{organisation_id}").text
    with app.app_context():
        record = db.session.scalar(select(ApiToken))
        assert record.token_hash != token and record.scopes == ["opportunities:write"]
    assert client.post(f"/admin/organisations/{organisation_id}/jetons",
                       data={"name": "no scope"}).status_code == 422
    client.post(f"/admin/jetons/{record.id}/revoquer")
    with app.app_context():
        assert db.session.get(ApiToken, record.id).revoked_at is not None


def test_a_partner_forwards_by_form_and_follows_it_on_the_dashboard(app, client, auth, admin,
                                                                   make, moderator, place):
    agent = make.user(email="agent@metropole.example")
    auth.login(admin)
    organisation_id = create_organisation(client)
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    auth.login(agent)
    form = {"title": "Un local vacant rue Jean Jaurès", "description": "Le local de 200 m² est "
            "vide depuis la fermeture du magasin ; le bailleur est ouvert à un projet.",
            "territory": place["commune"].id, "theme": place["theme"].id,
            "reference": "ECO-12", "contact": "M. Leroy"}
    assert client.post("/partenaires/transmettre", data=form).status_code == 302
    assert client.post("/partenaires/transmettre", data=form).status_code == 302
    bad = client.post("/partenaires/transmettre", data={**form, "title": "x", "reference": "E-2"})
    assert bad.status_code == 422 and "Le local de 200 m²" in bad.text
    with app.app_context():
        items = db.session.scalars(select(Submission)).all()
        assert len(items) == 1
        assert (items[0].kind, items[0].source, items[0].status, items[0].author_id) == (
            "opportunity", "partner", "pending", agent.id)
        item_id = items[0].id
    auth.logout()
    auth.login(moderator)
    client.post(f"/contributions/{item_id}/publier")
    client.post(f"/moderation/contributions/{item_id}/reponse",
                data={"text": "Étude lancée avec le bailleur.", "status": "under_study"})
    auth.logout()
    auth.login(agent)
    dashboard = client.get("/partenaires/").text
    assert "Étude lancée avec le bailleur." in dashboard and "ECO-12" in dashboard


def test_a_relay_posts_a_need_with_how_it_was_gathered(app, client, auth, admin, make, place):
    relay_person = make.user(email="centre-social@example.org")
    auth.login(admin)
    organisation_id = create_organisation(client, "Centre social d'Étouvie", "relay")
    client.post(f"/admin/organisations/{organisation_id}/membres",
                data={"email": relay_person.email})
    auth.logout()
    auth.login(relay_person)
    page = client.get("/partenaires/transmettre")
    assert 'name="gathering_method"' in page.text
    client.post("/partenaires/transmettre", data={
        "title": "Les mères seules manquent de garde le soir",
        "description": "Lors de notre atelier, huit mères ont dit ne pas pouvoir accepter un "
                       "emploi en horaires décalés faute de garde.",
        "territory": place["commune"].id, "theme": place["theme"].id,
        "gathering_method": "workshop", "people_count": "8"})
    with app.app_context():
        need = db.session.scalar(select(Submission))
        assert (need.kind, need.source, need.gathering_method, need.people_count) == (
            "need", "relay", "workshop", 8)


def test_webhook_setting_refuses_local_addresses(app, client, auth, admin, make):
    agent = make.user()
    auth.login(admin)
    organisation_id = create_organisation(client)
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    auth.login(agent)
    response = client.post("/partenaires/webhook", data={"webhook_url": "https://127.0.0.1/x"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(PartnerOrganisation, organisation_id).webhook_url is None
