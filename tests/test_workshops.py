"""Co-construction workshops and committee meetings."""
from __future__ import annotations

from portal.extensions import db
from portal.models import AgendaItem, Lead, Notification, Workshop, WorkshopInvitation

from .lead_pages import french, text_of


def test_a_workshop_is_recorded_and_supporters_invited_once(client, auth, moderator, make, app,
                                                          outbox):
    need, idea = make.submission(), make.submission(kind="idea")
    fan = make.user(email="fan@example.org")
    make.support(need, fan)
    make.support(idea, fan)
    make.support(idea, make.user(email="autre@example.org"))
    lead = make.lead([need, idea], moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/ateliers", data={
        "held_on": "2026-02-10", "place": "Centre social Arc-en-ciel", "participant_count": "14",
        "organisations": "CCAS, Petits Frères des Pauvres", "outcome": "Trois scénarios"})
    assert response.status_code == 302
    with app.app_context():
        workshop_id = db.session.query(Workshop).one().id
    client.post(f"/pistes/ateliers/{workshop_id}/inviter")
    client.post(f"/pistes/ateliers/{workshop_id}/inviter")
    with app.app_context():  # the two authors who raised the need and idea, and two supporters
        assert db.session.query(WorkshopInvitation).count() == 4
        assert db.session.query(Notification).filter_by(event="workshop_invitation").count() == 4
    assert "Centre social Arc-en-ciel" in outbox.messages("fan@example.org")[-1].get_body(
        ("plain",)).get_content()


def test_workshop_form_errors_keep_the_text(client, auth, moderator, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/ateliers", data={
        "held_on": "", "place": "Salle des fêtes", "participant_count": "-3"})
    assert response.status_code == 422 and "Salle des fêtes" in response.text


def test_the_committee_decides_on_its_agenda(client, auth, moderator, committee_member, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/etape", data={f"lead{lead.id}-to_stage": "opportunity",
                                                  f"lead{lead.id}-note": "Étude"})
    response = client.post("/pistes/comite", data={"name": "Comité d'engagement",
                                                   "held_on": "2026-04-02"})
    meeting_url = response.headers["Location"]
    meeting_id = int(meeting_url.rstrip("/").rsplit("/", 1)[1])
    assert client.post(f"/pistes/{lead.id}/ordre-du-jour", data={
        "meeting": meeting_id, "target_stage": "carrier_search"}).status_code == 302
    auth.logout()
    auth.login(committee_member)
    refused = client.post("/pistes/comite", data={"name": "X", "held_on": "2026-04-02"})
    assert refused.status_code == 403
    assert french(app, "Only the Fabrique's team manages project leads.") in text_of(refused)
    page = client.get(f"/pistes/comite/{meeting_id}")
    assert lead.title.replace("'", "&#39;") in page.text
    with app.app_context():
        item_id = db.session.query(AgendaItem).one().id
    assert client.post(f"/pistes/comite/points/{item_id}/decision", data={
        f"item{item_id}-decision": "go", f"item{item_id}-note": ""}).status_code == 422
    assert client.post(f"/pistes/comite/points/{item_id}/decision", data={
        f"item{item_id}-decision": "go",
        f"item{item_id}-note": "Opportunité confirmée"}).status_code == 302
    with app.app_context():
        saved = db.session.get(Lead, lead.id)
        assert saved.stage == "carrier_search"
        assert saved.history[-1].committee_name == "Comité d'engagement"
        assert saved.history[-1].decision_date.isoformat() == "2026-04-02"
    again = client.post(f"/pistes/comite/points/{item_id}/decision", data={
        f"item{item_id}-decision": "no_go", f"item{item_id}-note": "Encore"})
    assert again.status_code == 422 and "Encore" in again.text
    assert french(app, "The decision on this lead is already recorded.") in text_of(again)
    assert client.post("/pistes/comite/points/99999/decision", data={}).status_code == 404


def test_a_no_go_leaves_the_lead_where_it_is(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    meeting = client.post("/pistes/comite", data={"name": "Comité", "held_on": "2026-04-02"})
    meeting_id = int(meeting.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/pistes/{lead.id}/ordre-du-jour", data={"meeting": meeting_id,
                                                          "target_stage": "opportunity"})
    twice = client.post(f"/pistes/{lead.id}/ordre-du-jour", data={
        "meeting": meeting_id, "target_stage": "opportunity"})
    assert twice.status_code == 422
    assert french(app, "This lead is already on the agenda of this meeting.") in text_of(twice)
    with app.app_context():
        item_id = db.session.query(AgendaItem).one().id
    client.post(f"/pistes/comite/points/{item_id}/decision", data={
        f"item{item_id}-decision": "no_go", f"item{item_id}-note": "Offre existante"})
    with app.app_context():
        assert db.session.get(Lead, lead.id).stage == "detected"
        assert db.session.get(AgendaItem, item_id).decision == "no_go"


def test_the_outcome_is_recorded_after_the_workshop(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator, public=True)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/ateliers", data={"held_on": "2026-02-10",
                                                     "place": "Maison des aînés"})
    with app.app_context():
        workshop_id = db.session.query(Workshop).one().id
    assert client.post(f"/pistes/ateliers/{workshop_id}/compte-rendu", data={
        f"workshop{workshop_id}-participant_count": "-1",
        f"workshop{workshop_id}-outcome": "Texte gardé"}).status_code == 422
    assert client.post(f"/pistes/ateliers/{workshop_id}/compte-rendu", data={
        f"workshop{workshop_id}-participant_count": "21",
        f"workshop{workshop_id}-organisations": "CCAS",
        f"workshop{workshop_id}-outcome": "Un triporteur"}).status_code == 302
    auth.logout()
    page = client.get(f"/projets/{lead.id}").text
    assert "Un triporteur" in page and "21 participant·es" in page
    assert client.post("/pistes/ateliers/999/compte-rendu").status_code == 302  # visitor: log in


def test_a_workshop_without_date_and_place_is_refused_on_both(client, auth, moderator, make, app):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    response = client.post(f"/pistes/{lead.id}/ateliers", data={
        "held_on": "", "place": "", "outcome": "Texte gardé"})
    assert response.status_code == 422 and "Texte gardé" in response.text
    assert french(app, "Give the date of the workshop.") in text_of(response)
    assert french(app, "This field is required.") in text_of(response)
