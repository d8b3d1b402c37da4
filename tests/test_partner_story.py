"""The issue's story, through HTTP only: an organisation and its token, a script that knows only
the OpenAPI document, moderators at work, and a second organisation that sees nothing."""
from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Territory, Theme


def test_a_metropole_service_forwards_opportunities_and_follows_them(app, client, auth, admin,
                                                                      moderator, make):
    metropole = make.territory("Amiens Métropole")
    make.territory("Longueau", parent=metropole)
    make.theme("Insertion et emploi")

    auth.login(admin)
    created = client.post("/admin/organisations", data={
        "name": "Direction de l'économie - Métropole", "kind": "metropole_service",
        "territory": ""})
    organisation_url = created.headers["Location"]
    page = client.post(organisation_url + "/jetons", data={
        "name": "Script du service", "scopes": ["opportunities:write", "opportunities:read"]})
    token = re.search(r'value="(fab_[^"]+)"', page.text)[1]
    other = client.post("/admin/organisations", data={"name": "CCAS", "kind": "association",
                                                      "territory": ""}).headers["Location"]
    stranger = re.search(r'value="(fab_[^"]+)"', client.post(other + "/jetons", data={
        "name": "x", "scopes": ["opportunities:read"]}).text)[1]
    auth.logout()

    # The script reads the document, then the codes it lists.
    document = client.get("/api/v1/openapi.json").get_json()
    forward_path = "/api/v1" + next(p for p in document["paths"] if p == "/opportunities")
    required = document["components"]["schemas"]["NewItem"]["required"]
    territory = document["components"]["schemas"]["NewItem"]["properties"]["territory"]["enum"][-1]
    theme = document["components"]["schemas"]["NewItem"]["properties"]["theme"]["enum"][0]
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for n in range(3):
        item = {"title": f"Opportunité orpheline numéro {n}", "territory": territory,
                "theme": theme, "reference": f"ECO-{n}",
                "description": "Un besoin remonté en conseil municipal, sans porteur à ce jour."}
        assert set(required) <= set(item)
        response = client.post(forward_path, json=item, headers=headers)
        assert response.status_code == 201
        ids.append(response.get_json()["id"])
    again = client.post(forward_path, json={**item, "reference": "ECO-2"}, headers=headers)
    assert (again.status_code, again.get_json()["id"]) == (200, ids[2])
    invalid = client.post(forward_path, json={"title": "?", "territory": "nulle-part"},
                          headers=headers)
    assert invalid.status_code == 422
    assert {"title", "description", "territory", "theme"} <= set(
        invalid.get_json()["error"]["fields"])

    # Moderators publish one and turn another into a lead.
    auth.login(moderator)
    client.post(f"/contributions/{ids[0]}/publier")
    client.post(f"/contributions/{ids[1]}/publier")
    with app.app_context():
        territory_id = db.session.scalar(db.select(Territory.id).where(Territory.code == territory))
        theme_id = db.session.scalar(db.select(Theme.id).where(Theme.code == theme))
    lead = client.post("/pistes/nouvelle", data={
        "submission_ids": str(ids[1]), "title": "Reprise de l'ancienne poste",
        "summary": "Reprendre le local.", "territory": territory_id, "theme": theme_id})
    assert lead.status_code == 302
    auth.logout()

    seen = {item["id"]: item for item in client.get(
        "/api/v1/opportunities", headers=headers).get_json()["items"]}
    assert seen[ids[0]]["status"] == "published" and seen[ids[0]]["lead_stage"] is None
    assert seen[ids[1]]["status"] == "in_project" and seen[ids[1]]["lead_stage"] == "detected"
    assert seen[ids[2]]["status"] == "pending"

    other_headers = {"Authorization": f"Bearer {stranger}"}
    assert client.get("/api/v1/opportunities", headers=other_headers).get_json()["items"] == []
    assert client.get(f"/api/v1/opportunities/{ids[0]}", headers=other_headers).status_code == 404
