"""The issue's "done when", tried as new users would, through the pages only."""
from __future__ import annotations

import csv
import io
import re

from portal.extensions import db
from portal.models import Lead, Notification, Offer, Submission


def _id(location: str) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", location).group(1))


def test_from_isolated_elders_to_a_created_enterprise(app, client, auth, make, moderator,
                                                      committee_member, outbox):
    metropole = make.territory("Amiens Métropole")
    commune = make.territory("Longueau", parent=metropole)
    theme = make.theme("Bien-vieillir")
    authors = [make.user(email=f"auteur{i}@example.org") for i in range(3)]
    supporter = make.user(email="voisine@example.org", display_name="Nadia")
    carrier = make.user(email="porteuse@example.org", display_name="Sophie")

    # Two needs and an idea about the same problem, posted and published.
    posts = [
        (
            "need",
            "Des personnes âgées seules toute la semaine",
            "Beaucoup d'aînés de Longueau ne voient personne de la semaine, surtout l'hiver.",
        ),
        (
            "need",
            "Plus de visites aux aînés isolés du quartier",
            "Depuis la fermeture du club, les personnes âgées du quartier restent chez elles.",
        ),
        (
            "idea",
            "Un café itinérant pour les aînés de Longueau",
            "Un triporteur qui passe chaque semaine avec du café et des jeux pour créer du lien.",
        ),
    ]
    ids = []
    for author, (kind, title, body) in zip(authors, posts, strict=False):
        auth.login(author)
        response = client.post("/contributions/nouvelle", data={
            "kind": kind, "title": title, "body": body, "target_public": "personnes âgées",
            "territory": str(commune.id), "theme": str(theme.id), "author_offer": "none"})
        ids.append(_id(response.headers["Location"]))
        auth.logout()
    auth.login(moderator)
    for submission_id in ids:
        client.post(f"/contributions/{submission_id}/publier")
    auth.logout()
    auth.login(supporter)
    for submission_id in ids[:2]:
        client.post(f"/contributions/{submission_id}/soutenir")
    auth.logout()

    # They become one lead, made public with its decisions and workshops.
    auth.login(moderator)
    response = client.post("/pistes/nouvelle", data={
        "submission_ids": ", ".join(map(str, ids)), "title": "Rompre l'isolement des aînés",
        "summary": "Créer du lien avec les aînés isolés de Longueau.",
        "territory": commune.id, "theme": theme.id})
    lead_id = _id(response.headers["Location"])
    assert client.post(f"/pistes/{lead_id}/modifier", data={
        "title": "Rompre l'isolement des aînés", "summary": "Créer du lien.",
        "origin": "residents", "territory": commune.id, "theme": theme.id,
        "need": "Des aînés seuls", "carrier_profile": "Une personne du quartier",
        "notes": "Piste interne: le CCAS hésite", "owner": moderator.id, "is_public": "y",
        "public_sections": ["need", "decisions", "workshops", "carrier_profile", "outcome"],
    }).status_code == 302

    def move(to_stage, note, **extra):
        data = {"to_stage": to_stage, "note": note, **extra}
        return client.post(f"/pistes/{lead_id}/etape",
                           data={f"lead{lead_id}-{k}": v for k, v in data.items()})

    # A workshop is held; the supporters are invited.
    assert move("opportunity", "Étude d'opportunité lancée").status_code == 302
    response = client.post(f"/pistes/{lead_id}/ateliers", data={
        "held_on": "2026-02-10", "place": "Centre social de Longueau",
        "participant_count": "18", "organisations": "CCAS, club des aînés",
        "outcome": "Un café itinérant, deux tournées par semaine"})
    assert response.status_code == 302
    workshop_id = int(re.search(r"/pistes/ateliers/(\d+)/inviter",
                                client.get(f"/pistes/{lead_id}").text).group(1))
    client.post(f"/pistes/ateliers/{workshop_id}/inviter")

    # The committee approves the opportunity study.
    meeting_id = _id(client.post("/pistes/comite", data={
        "name": "Comité d'engagement", "held_on": "2026-03-12"}).headers["Location"])
    client.post(f"/pistes/{lead_id}/ordre-du-jour", data={"meeting": meeting_id,
                                                          "target_stage": "carrier_search"})
    auth.logout()
    auth.login(committee_member)
    item_id = int(re.search(r"/pistes/comite/points/(\d+)/decision",
                            client.get(f"/pistes/comite/{meeting_id}").text).group(1))
    assert client.post(f"/pistes/comite/points/{item_id}/decision", data={
        f"item{item_id}-decision": "go",
        f"item{item_id}-note": "Le besoin est réel et rien n'y répond."}).status_code == 302
    auth.logout()

    # A resident offers to carry it and is selected.
    auth.login(carrier)
    assert client.post(f"/projets/{lead_id}/proposer", data={
        "offer-kind": "carry",
        "offer-message": "Aide-soignante, je voudrais lancer ce café."}).status_code == 302
    auth.logout()
    auth.login(moderator)
    with app.app_context():
        offer_id = db.session.query(Offer).one().id
    client.post(f"/pistes/{lead_id}/offres/{offer_id}/contact",
                data={f"offer{offer_id}-text": "Pouvons-nous nous voir jeudi ?"})
    assert (
        "Pouvons-nous nous voir jeudi" in outbox.messages("porteuse@example.org")[-1].get_content()
    )
    client.post(f"/pistes/{lead_id}/offres/{offer_id}/statut",
                data={f"status{offer_id}-status": "selected"})

    # Feasibility is approved, the enterprise is created.
    assert move("feasibility", "Sophie écrit le business plan").status_code == 302
    assert move("launch", "Plan validé", committee_name="Comité d'engagement",
                decision_date="2026-06-18", decision="go").status_code == 302
    assert (
        client.post(
            f"/pistes/{lead_id}/entreprise",
            data={
                "enterprise-name": "Le Café des Aînés",
                "enterprise-legal_form": "SCIC",
                "enterprise-created_on": "2026-09-01",
                "enterprise-note": "Statuts déposés",
            },
        ).status_code
        == 302
    )
    auth.logout()

    with app.app_context():
        lead = db.session.get(Lead, lead_id)
        assert lead.stage == "created" and lead.carrier_name == "Sophie"
        assert [c.to_stage for c in lead.history] == [
            "opportunity", "carrier_search", "feasibility", "launch", "created"]
        assert all(db.session.get(Submission, i).status == "in_project" for i in ids)
        events = [n.event for n in db.session.query(Notification)
                  .filter_by(user_id=supporter.id).order_by(Notification.id)]
    # The supporter heard of each public step, once each.
    assert events.count("in_project") == 1
    assert events.count("workshop_invitation") == 1
    assert events.count("lead_stage") == 5
    assert outbox.messages("voisine@example.org")

    # The trail is on the project page; private notes are not.
    page = client.get(f"/projets/{lead_id}")
    for text in ("Le besoin est réel et rien n", "Le Café des Aînés", "Centre social de Longueau",
                 "Des personnes âgées seules toute la semaine"):
        assert text in page.text
    assert "le CCAS hésite" not in page.text
    assert f"/projets/{lead_id}" in client.get(f"/contributions/{ids[0]}").text

    # The summary counts it.
    auth.login(moderator)
    export = client.get("/pistes/synthese.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(export)))
    funnel = {r["key"]: int(r["value"]) for r in rows if r["section"] == "funnel"}
    assert funnel == {"received": 3, "published": 3, "in_leads": 3, "leads": 1,
                      "opportunity": 1, "carrier_search": 1, "feasibility": 1, "launch": 1,
                      "created": 1}
