"""Partners manage their organisation's API tokens themselves (issue 10): made with scopes shown
as words and the token shown once, last use seen, revoked, journaled; a partner account without
an organisation is told what to ask the Fabrique."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, User
from portal.services.partners import forwarding as partners

from .lead_pages import french, text_of


def _organisation(app, admin, name: str) -> int:
    with app.app_context():
        return partners.create_organisation(db.session.get(User, admin.id), name,
                                            "metropole_service", None).id


def _attach(app, user, organisation_id: int) -> None:
    with app.app_context():
        db.session.get(User, user.id).partner_organisation_id = organisation_id
        db.session.commit()


def test_a_partner_makes_uses_and_revokes_a_token(app, client, auth, make, admin):
    agent = make.user(email="agent@metropole.example.org", role="partner")
    _attach(app, agent, _organisation(app, admin, "Direction de l'économie"))
    auth.login(agent)
    page = text_of(client.get("/partenaires/"))
    assert french(app, "API tokens") in page
    page = client.post("/partenaires/jetons", data={"name": "Script du CRM",
                                                    "scopes": ["opportunities:read"]})
    assert page.status_code == 200
    token = re.search(r'id="new-token" type="text" readonly value="(fab_[^"]+)"', page.text)[1]
    listing = text_of(page)
    assert french(app, "Read its items") in listing and ">opportunities:read" not in listing
    assert french(app, "never") in listing

    api = client.get("/api/v1/opportunities", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    listing = text_of(client.get("/partenaires/jetons"))
    assert token not in listing  # shown once
    assert "Script du CRM" in listing and french(app, "never") not in listing  # last use

    with app.app_context():
        token_id = db.session.scalar(select(AuditEntry.target_id).where(
            AuditEntry.action == "token_create"))
    response = client.post(f"/partenaires/jetons/{token_id}/revoquer")
    assert response.status_code == 302
    assert french(app, "The token is revoked.") in text_of(client.get(response.headers["Location"]))
    assert client.get("/api/v1/opportunities",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with app.app_context():
        journal = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id).where(
            AuditEntry.action.like("token_%")).order_by(AuditEntry.id)).all()
    assert journal == [("token_create", agent.id), ("token_revoke", agent.id)]


def test_refusals_bad_form_and_another_organisations_token(app, client, auth, make, admin):
    agent = make.user(role="partner")
    _attach(app, agent, _organisation(app, admin, "Direction de l'économie"))
    other = make.user(role="partner")
    _attach(app, other, _organisation(app, admin, "Bailleur social"))
    auth.login(other)
    token_page = client.post("/partenaires/jetons", data={"name": "Le leur",
                                                          "scopes": ["opportunities:write"]})
    assert token_page.status_code == 200
    auth.logout()
    with app.app_context():
        their_token = db.session.scalar(select(AuditEntry.target_id).where(
            AuditEntry.action == "token_create"))

    auth.login(agent)
    response = client.post("/partenaires/jetons", data={"name": "   ", "scopes": []})
    assert response.status_code == 422
    page = text_of(response)
    assert french(app, "Choose at least one scope.") in page
    response = client.post("/partenaires/jetons", data={"name": "Mon script",
                                                        "scopes": ["opportunities:delete"]})
    assert response.status_code == 422
    assert 'value="Mon script"' in response.text  # what was typed is kept
    assert client.post(f"/partenaires/jetons/{their_token}/revoquer").status_code == 404
    assert "Le leur" not in client.get("/partenaires/jetons").text


def test_a_partner_account_without_an_organisation_is_told_what_to_ask(app, client, auth,
                                                                       make):
    lost = make.user(email="sans-orga@example.org", role="partner")
    auth.login(lost)
    for url in ("/partenaires/", "/partenaires/jetons"):
        response = client.get(url)
        assert response.status_code == 403
        page = text_of(response)
        assert french(app, "Your account is not attached to an organisation yet") in page
        assert "sans-orga@example.org" in page
    auth.logout()
    auth.login(make.user())  # a resident is simply not a partner
    response = client.get("/partenaires/")
    assert response.status_code == 403
    assert french(app, "Your account is not attached to an organisation yet") not in \
        text_of(response)
