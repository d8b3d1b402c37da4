"""The way back for a partner (issue 10): the account that forwarded an item follows it, the API's
`updated_since` sees every stage of its lead, and the webhook payloads agree with the API."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import MessageKind, Notification, OutboxMessage

PRIVATE_NOTE = "Note interne : le bailleur hésite"


def _webhooks(app) -> list[dict]:
    with app.app_context():
        return [m.payload for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.WEBHOOK)
            .order_by(OutboxMessage.id))]


def test_a_forwarded_opportunity_tells_its_partner_each_step(app, client, auth, admin, make,
                                                             moderator, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    territory, theme = make.territory("Longueau"), make.theme("Insertion")
    agent = make.user(email="agent@metropole.example.org", display_name="Service éco")
    auth.login(admin)
    response = client.post("/admin/organisations", data={
        "name": "Direction de l'économie", "kind": "metropole_service", "territory": ""})
    organisation_url = response.headers["Location"]
    client.post(organisation_url + "/membres", data={"email": agent.email})
    page = client.post(organisation_url + "/jetons", data={
        "name": "Script", "scopes": ["opportunities:read", "opportunities:write"]})
    headers = {"Authorization": "Bearer " + re.search(r'value="(fab_[^"]+)"', page.text)[1]}
    auth.logout()

    auth.login(agent)
    assert client.post("/partenaires/webhook", data={  # the secret, shown once
        "webhook_url": "https://127.0.0.1:9/hook"}).status_code == 200
    client.post("/partenaires/transmettre", data={
        "title": "Un local vacant rue Jean Jaurès", "description": "Le local de 200 m² est vide "
        "depuis la fermeture du magasin ; le bailleur est ouvert à un projet.",
        "territory": territory.id, "theme": theme.id, "reference": "ECO-7"})
    auth.logout()
    item = client.get("/api/v1/opportunities", headers=headers).get_json()["items"][0]
    item_id = item["id"]

    auth.login(moderator)
    client.post(f"/contributions/{item_id}/publier")
    lead_id = int(client.post("/pistes/nouvelle", data={
        "submission_ids": str(item_id), "title": "Reprise du local", "summary": "Le reprendre.",
        "territory": territory.id, "theme": theme.id}).headers["Location"].rsplit("/", 1)[1])
    before_move = client.get(f"/api/v1/opportunities/{item_id}",
                             headers=headers).get_json()["updated_at"]
    since = {"updated_since": before_move}
    assert client.get("/api/v1/opportunities", query_string=since,
                      headers=headers).get_json()["items"] == []

    assert client.post(f"/pistes/{lead_id}/etape", data={
        f"lead{lead_id}-to_stage": "abandoned", f"lead{lead_id}-note": PRIVATE_NOTE,
        f"lead{lead_id}-reason": "Pas de porteur"}).status_code == 302
    auth.logout()

    # The API sees the stage change; the last webhook says the same, at the same time.
    changed = client.get("/api/v1/opportunities", query_string=since,
                         headers=headers).get_json()["items"]
    assert [(i["id"], i["lead_stage"]) for i in changed] == [(item_id, "abandoned")]
    events = _webhooks(app)
    assert [e["event"] for e in events] == ["published", "in_project", "lead_stage"]
    assert events[-1]["item"] == changed[0]
    published = events[0]["item"]
    assert published["status"] == "published" and published["updated_at"] > item["updated_at"]

    # The forwarding account was told each step, on the site and by mail, like an author.
    with app.app_context():
        told = db.session.scalars(select(Notification.event).where(
            Notification.user_id == agent.id).order_by(Notification.id)).all()
    assert told == ["published", "in_project", "lead_stage"]
    mails = [m.get_content() for m in outbox.messages(agent.email)]
    assert any("Le projet a été abandonné. Pourquoi\u202f: Pas de porteur" in m for m in mails)
    assert not any(PRIVATE_NOTE in m for m in mails)


def test_a_reference_reused_with_another_content_is_refused(client, auth, admin, make):
    make.territory("Camon"), make.theme("Mobilité")  # the codes the document lists
    auth.login(admin)
    organisation_url = client.post("/admin/organisations", data={
        "name": "Service mobilité", "kind": "metropole_service",
        "territory": ""}).headers["Location"]
    page = client.post(organisation_url + "/jetons", data={
        "name": "Script", "scopes": ["opportunities:write"]})
    headers = {"Authorization": "Bearer " + re.search(r'value="(fab_[^"]+)"', page.text)[1]}
    auth.logout()
    document = client.get("/api/v1/openapi.json").get_json()
    new_item = document["components"]["schemas"]["NewItem"]["properties"]
    item = {"title": "Une navette vers la zone d'activités", "reference": "MOB-1",
            "territory": new_item["territory"]["enum"][-1], "theme": new_item["theme"]["enum"][0],
            "description": "Les salariés de la zone n'ont pas de bus avant 7 heures du matin."}
    first = client.post("/api/v1/opportunities", json=item, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/v1/opportunities", json=item, headers=headers)
    assert (again.status_code, again.get_json()["id"]) == (200, first.get_json()["id"])
    other = client.post("/api/v1/opportunities", json={**item, "title": "Un autre titre ici"},
                        headers=headers)
    assert other.status_code == 409
    error = other.get_json()["error"]
    assert error["item_id"] == first.get_json()["id"]
    assert error["fields"]["reference"].startswith("Cette référence a déjà servi pour un autre")
    assert "409" in document["paths"]["/opportunities"]["post"]["responses"]
