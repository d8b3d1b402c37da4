"""Tools the team asks for: who handles what, internal notes, what partners sent, time in stage,
workshops as events. Every test goes through the pages."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Lead, Submission, Workshop, WorkshopInvitation

from .lead_pages import french, text_of


def _journal(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _selected(page: str, name: str) -> str | None:
    """The value of the option the <select name=...> shows chosen."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"'
                       r'[^>]*selected', select_html.group(1))
    return next((v for v in chosen.groups() if v is not None), None) if chosen else None


# Who handles what -------------------------------------------------------------------------------

def test_a_contribution_is_assigned_and_waits_in_its_person_s_queue(app, client, auth, make,
                                                                    moderator):
    colleague = make.user(email="colleague@example.org", display_name="Noor", role="admin")
    pending = make.submission(status="pending", title="Un besoin en attente de Noor")
    make.submission(status="pending", title="Un besoin que personne ne suit")
    auth.login(moderator)
    review = f"/moderation/contributions/{pending.id}"
    assert _selected(client.get(review).text, "assignee") in (None, "")
    response = client.post(f"{review}/responsable", data={"assignee": colleague.id})
    assert response.status_code == 302
    page = client.get(review)
    assert _selected(page.text, "assignee") == str(colleague.id)
    # Saving the form as shown changes nothing and journals nothing more.
    client.post(f"{review}/responsable", data={"assignee": colleague.id})
    assert len(_journal(app, "submission_assign")) == 1

    dashboard = text_of(client.get("/moderation/"))
    assert "Noor" in dashboard and french(app, "Nobody yet") in dashboard
    auth.logout()
    auth.login(colleague)
    mine = client.get("/moderation/ma-file")
    assert "Un besoin en attente de Noor" in text_of(mine)
    assert "Un besoin que personne ne suit" not in text_of(mine)
    assert 'href="/moderation/ma-file"' in mine.text


def test_only_the_team_can_be_put_in_charge(app, client, auth, make, moderator, resident):
    need = make.submission(status="pending")
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{need.id}/responsable",
                           data={"assignee": resident.id})
    assert response.status_code == 422  # not one of the offered names
    assert 'aria-invalid="true"' in response.text
    with app.app_context():
        assert db.session.get(Submission, need.id).assignee_id is None


def test_a_lead_is_assigned_from_its_page_and_listed_in_my_leads(app, client, auth, make,
                                                                 moderator):
    colleague = make.user(email="colleague@example.org", display_name="Noor", role="moderator")
    lead = make.lead(moderator=moderator, title="Épicerie solidaire")
    auth.login(moderator)
    page = client.get(f"/pistes/{lead.id}")
    assert _selected(page.text, "assignee") == str(moderator.id)
    client.post(f"/pistes/{lead.id}/responsable", data={"assignee": moderator.id})
    assert _journal(app, "lead_assign") == []
    assert "Épicerie solidaire" in text_of(client.get("/pistes/mes-pistes"))
    client.post(f"/pistes/{lead.id}/responsable", data={"assignee": colleague.id})
    assert "Épicerie solidaire" not in text_of(client.get("/pistes/mes-pistes"))
    with app.app_context():
        assert db.session.get(Lead, lead.id).owner_id == colleague.id
    assert len(_journal(app, "lead_assign")) == 1
    assert client.get("/pistes/mes-pistes?page=x").status_code == 400


# Internal notes ---------------------------------------------------------------------------------

SECRET = "Note-interne-7f3a : l'auteur a appelé, projet sensible"


def test_an_internal_note_is_kept_with_author_and_date_and_never_leaks(app, client, auth, make,
                                                                       moderator):
    author = make.user(email="autrice@example.org", display_name="Autrice")
    need = make.submission(author, title="Un besoin publié et annoté")
    auth.login(moderator)
    review = f"/moderation/contributions/{need.id}"
    empty = client.post(f"{review}/notes", data={"note": "  "})
    assert empty.status_code == 422
    assert french(app, "Write the note.") in text_of(empty)
    assert client.post(f"{review}/notes", data={"note": SECRET}).status_code == 302
    page = text_of(client.get(review))
    assert SECRET in page and "Inès" in page
    assert len(_journal(app, "internal_note_add")) == 1
    assert all(SECRET not in str(entry.after) for entry in _journal(app, "internal_note_add"))

    # Nowhere else: not for the moderator on the public page, not for anyone on the public side.
    public_urls = [f"/contributions/{need.id}", "/contributions/", "/api/v1/submissions",
                   f"/api/v1/submissions/{need.id}", "/donnees-ouvertes/contributions.csv",
                   "/donnees-ouvertes/contributions.json", "/flux/contributions.atom"]
    for url in public_urls:
        assert "Note-interne-7f3a" not in client.get(url).get_data(as_text=True), url
    auth.logout()
    for url in public_urls:
        assert "Note-interne-7f3a" not in client.get(url).get_data(as_text=True), url
    auth.login(author)
    for url in ["/compte/", "/compte/activite", f"/contributions/{need.id}"]:
        response = client.get(url)
        assert response.status_code == 200 and "Note-interne-7f3a" not in response.text, url
    assert client.get(review).status_code == 403


# What partners sent -----------------------------------------------------------------------------

def _organisation_with_token(client, auth, admin, name: str, kind: str) -> str:
    """An organisation and its API token, made on the admin pages as an administrator would."""
    auth.login(admin)
    response = client.post("/admin/organisations", data={"name": name, "kind": kind,
                                                         "territory": ""})
    organisation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.post(f"/admin/organisations/{organisation_id}/jetons",
                       data={"name": "script", "scopes": ["opportunities:write"]})
    auth.logout()
    return re.search(r'id="new-token" type="text" readonly value="(fab_[^"]+)"', page.text)[1]


def test_what_a_partner_sent_by_the_api_is_shown_to_moderators_and_credited_publicly(
        app, client, auth, admin, moderator, make):
    commune, theme = make.territory("Dury"), make.theme("Logement")
    token = _organisation_with_token(client, auth, admin, "Direction de l'économie",
                                     "metropole_service")
    sent = client.post("/api/v1/opportunities", headers={"Authorization": f"Bearer {token}"},
                       json={"title": "Un bâtiment vide rue de la Gare",
                             "description": "L'ancienne poste de Dury est vide depuis deux ans ;"
                                            " la mairie cherche un projet d'utilité sociale.",
                             "territory": commune.code, "theme": theme.code,
                             "reference": "DEV-1", "contact": "Mme Martin, service économie",
                             "possible_partners": "Foncière solidaire, CCAS de Dury"})
    assert sent.status_code == 201
    item_id = sent.get_json()["id"]
    auth.login(moderator)
    review = text_of(client.get(f"/moderation/contributions/{item_id}"))
    for shown in ("Direction de l'économie", "Mme Martin, service économie",
                  "Foncière solidaire, CCAS de Dury", "DEV-1"):
        assert shown in review
    assert french(app, "a former resident") not in review
    client.post(f"/moderation/contributions/{item_id}/publier")
    auth.logout()

    former = french(app, "a former resident")
    for url in (f"/contributions/{item_id}", "/contributions/"):
        page = text_of(client.get(url))
        assert "Direction de l'économie" in page and former not in page, url
    record = client.get(f"/api/v1/submissions/{item_id}").get_json()
    assert record["author_display_name"] == "Direction de l'économie"
    assert "<name>Direction de l'économie</name>" in text_of(client.get("/flux/contributions.atom"))
    exported = client.get("/donnees-ouvertes/contributions.json").get_json()
    assert [row["author_display_name"] for row in exported["items"]] == ["Direction de l'économie"]


def test_how_a_relay_gathered_the_need_is_shown_to_moderators(app, client, auth, admin,
                                                             moderator, make):
    commune, theme = make.territory("Longueau"), make.theme("Insertion")
    relay_person = make.user(email="centre-social@example.org", display_name="Sami")
    auth.login(admin)
    response = client.post("/admin/organisations", data={
        "name": "Centre social d'Étouvie", "kind": "relay", "territory": ""})
    organisation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/admin/organisations/{organisation_id}/membres",
                data={"email": relay_person.email})
    auth.logout()
    auth.login(relay_person)
    client.post("/partenaires/transmettre", data={
        "title": "Les mères seules manquent de garde le soir",
        "description": "Lors de notre atelier, huit mères ont dit ne pas pouvoir accepter un "
                       "emploi en horaires décalés faute de garde.",
        "territory": commune.id, "theme": theme.id, "contact": "Awa, animatrice",
        "gathering_method": "workshop", "people_count": "8"})
    auth.logout()
    with app.app_context():
        need_id = db.session.scalar(select(Submission.id))
    auth.login(moderator)
    review = text_of(client.get(f"/moderation/contributions/{need_id}"))
    for shown in ("Centre social d'Étouvie", "Awa, animatrice", "Sami",
                  french(app, "A workshop"), french(app, "How the need was gathered")):
        assert shown in review
    assert re.search(r"<dd>8</dd>", review)


# Time in stage ----------------------------------------------------------------------------------

def _at_stage_for(app, lead_id: int, days: int) -> None:
    """Let `days` pass since the lead reached its stage (as waiting would)."""
    from datetime import timedelta

    from portal.models import utcnow

    with app.app_context():
        lead = db.session.get(Lead, lead_id)
        lead.created_at = lead.stage_changed_at = utcnow() - timedelta(days=days)
        db.session.commit()


def test_leads_past_their_stage_target_are_flagged_in_words_on_board_list_and_dashboard(
        app, client, auth, moderator, admin, make):
    late = make.lead(moderator=moderator, title="Garage solidaire")
    make.lead(moderator=moderator, title="Cantine de quartier")
    _at_stage_for(app, late.id, 100)  # past the 3 months of "detected"
    auth.login(moderator)
    overdue, on_time = french(app, "overdue"), french(app, "on time")
    for url in ("/pistes/", "/pistes/liste"):
        page = text_of(client.get(url))
        assert page.count(overdue) == 1 and page.count(on_time) == 1, url
        assert 'class="pace pace-overdue"' in page
    dashboard = text_of(client.get("/moderation/"))
    section = dashboard.split(french(app, "Leads past their stage's target"))[1]
    assert "Garage solidaire" in section and "Cantine de quartier" not in section
    auth.logout()

    auth.login(admin)
    client.post("/admin/etapes", data={"detected": "6", "opportunity": "12",
                                       "carrier_search": "6", "feasibility": "9",
                                       "launch": "12"})
    assert french(app, "overdue") not in text_of(client.get("/pistes/"))
    assert french(app, "No lead is past its target.") in text_of(client.get("/moderation/"))


def test_an_admin_sets_the_target_of_each_stage(app, client, auth, admin, moderator):
    auth.login(moderator)
    assert client.get("/admin/etapes").status_code == 403
    auth.logout()
    auth.login(admin)
    page = client.get("/admin/etapes").text
    for name, months in (("detected", 3), ("opportunity", 12), ("carrier_search", 6),
                         ("feasibility", 9), ("launch", 12)):
        assert re.search(rf'name="{name}"[^>]*value="{months}"', page), name
    shown = {"detected": "3", "opportunity": "12", "carrier_search": "6", "feasibility": "9",
             "launch": "12"}
    unchanged = client.post("/admin/etapes", data=shown, follow_redirects=True)
    assert french(app, "Nothing changed.") in text_of(unchanged)
    assert _journal(app, "stage_target_set") == []
    refused = client.post("/admin/etapes", data={**shown, "opportunity": "0",
                                                 "launch": "douze"})
    assert refused.status_code == 422
    assert french(app, "A whole number of months from %(low)d to %(high)d.", low=1,
                  high=120) in text_of(refused)
    assert 'value="douze"' in refused.text
    client.post("/admin/etapes", data={**shown, "opportunity": "9"})
    assert re.search(r'name="opportunity"[^>]*value="9"', client.get("/admin/etapes").text)
    assert [e.after for e in _journal(app, "stage_target_set")] == [
        {"stage": "opportunity", "months": 9}]


def test_a_lead_page_shows_the_time_spent_at_each_stage(app, client, auth, moderator, make):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/etape", data={f"lead{lead.id}-to_stage": "opportunity",
                                                  f"lead{lead.id}-note": "Étude lancée"})
    page = text_of(client.get(f"/pistes/{lead.id}"))
    table = page.split(french(app, "Time spent at each stage"))[1].split("</table>")[0]
    assert french(app, "Detected") in table and french(app, "Opportunity study") in table
    assert table.count(french(app, "so far")) == 1
    assert french(app, "%(num)s month", num=12).replace("12", "") in table


# Workshops as events ----------------------------------------------------------------------------

def _workshop_with_invitations(app, client, auth, make, moderator):
    """A lead whose need was raised by an English reader and supported by a French one; the
    moderator records a workshop on 28 November 2026 at 18:30 and invites them."""
    author = make.user(email="jane@example.org", display_name="Jane")
    auth.login(author)
    client.post("/langue", data={"language": "en"})  # Jane reads the portal in English
    auth.logout()
    client.post("/langue", data={"language": "fr"})  # this browser goes back to French
    need = make.submission(author, title="Nowhere to leave the children in the evening")
    supporter = make.support(need, make.user(email="fan@example.org", display_name="Fanny"))
    lead = make.lead([need], moderator)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/ateliers", data={
        "held_on": "2026-11-28", "starts_at": "18:30", "place": "Centre social d'Étouvie; salle 2",
        "participant_count": ""})
    with app.app_context():
        workshop_id = db.session.scalar(select(Workshop.id))
    client.post(f"/pistes/ateliers/{workshop_id}/inviter")
    client.post(f"/pistes/ateliers/{workshop_id}/inviter")  # a second click invites nobody again
    auth.logout()
    return lead, workshop_id, author, supporter


def test_workshop_invitations_reach_the_need_s_author_in_their_language_with_a_calendar(
        app, client, auth, make, moderator, outbox):
    from icalendar import Calendar

    _lead, workshop_id, author, _supporter = _workshop_with_invitations(app, client, auth,
                                                                       make, moderator)
    with app.app_context():
        assert db.session.query(WorkshopInvitation).count() == 2
    english = outbox.messages("jane@example.org")[-1]
    text = english.get_body(("plain",)).get_content()
    assert "When: November 28, 2026 at 6:30\u202fPM" in text and "novembre" not in text
    assert english["Subject"] == "Invitation to a co-construction workshop"
    french_mail = outbox.messages("fan@example.org")[-1].get_body(("plain",)).get_content()
    assert "28 novembre 2026 à 18:30" in french_mail
    assert f"http://portal.test/projets/ateliers/{workshop_id}" in text

    attachment = next(english.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "atelier.ics"
    raw = attachment.get_content()
    raw = raw.decode() if isinstance(raw, bytes) else raw
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["UID"]) == f"workshop-{workshop_id}@portal.test"
    assert event.decoded("DTSTART").isoformat() == "2026-11-28T17:30:00+00:00"  # 18:30 in Paris
    assert "DTSTART:20261128T173000Z" in raw.replace("\r\n ", "")
    assert str(event["SUMMARY"]) == "Co-construction workshop: Rompre l'isolement"
    assert str(event["LOCATION"]) == "Centre social d'Étouvie; salle 2"
    assert "LOCATION:Centre social d'Étouvie\\; salle 2" in raw.replace("\r\n ", "")
    assert str(event["URL"]) == f"http://portal.test/projets/ateliers/{workshop_id}"

    auth.login(author)  # the in-site notification reads in English too
    client.post("/langue", data={"language": "en"})
    assert "November 28, 2026 at 6:30" in text_of(client.get("/compte/notifications/"))


def test_invited_residents_answer_through_the_page_and_the_team_sees_the_answers(
        app, client, auth, make, moderator, outbox):
    lead, workshop_id, author, supporter = _workshop_with_invitations(app, client, auth, make,
                                                                     moderator)
    link = outbox.last_link("fan@example.org")
    assert link == f"/projets/ateliers/{workshop_id}"
    auth.login(supporter)
    page = client.get(link)
    assert page.status_code == 200 and 'name="answer"' in page.text
    with app.app_context():  # reading the invitation wrote nothing
        assert db.session.query(WorkshopInvitation).filter(
            WorkshopInvitation.answer.is_not(None)).count() == 0
    empty = client.post(f"{link}/reponse", data={})
    assert empty.status_code == 422
    assert french(app, "Say whether you are coming.") in text_of(empty)
    assert client.post(f"{link}/reponse", data={"answer": "coming"}).status_code == 302
    assert french(app, "You answered: %(answer)s.", answer=french(app, "I am coming")) in text_of(
        client.get(link))
    ics = client.get(f"{link}/atelier.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in ics.text
    auth.logout()

    auth.login(author)
    client.post(f"{link}/reponse", data={"answer": "not_coming"})
    auth.logout()
    outsider = make.user(email="other@example.org")
    auth.login(outsider)
    assert client.get(link).status_code == 404
    assert client.post(f"{link}/reponse", data={"answer": "coming"}).status_code == 404
    auth.logout()

    auth.login(moderator)
    page = text_of(client.get(f"/pistes/{lead.id}"))
    answers = page.split(french(app, "Answers"))[1]
    assert re.search(rf"<strong>1</strong> {french(app, 'Coming')}", answers)
    assert re.search(rf"<strong>1</strong> {french(app, 'Not coming')}", answers)
    assert f"Fanny: {french(app, 'Coming')}" in answers
    assert client.get(f"{link}/atelier.ics").status_code == 200


def test_the_workshop_form_shows_the_stored_date_time_and_place(app, client, auth, make,
                                                                moderator):
    lead = make.lead(moderator=moderator)
    auth.login(moderator)
    client.post(f"/pistes/{lead.id}/ateliers", data={
        "held_on": "2026-11-28", "starts_at": "18:30", "place": "Maison du quartier"})
    with app.app_context():
        workshop_id = db.session.scalar(select(Workshop.id))
    page = client.get(f"/pistes/{lead.id}").text
    prefix = f"event{workshop_id}-"
    assert re.search(rf'name="{prefix}held_on"[^>]*value="2026-11-28"', page)
    assert re.search(rf'name="{prefix}starts_at"[^>]*value="18:30"', page)
    assert re.search(rf'name="{prefix}place"[^>]*value="Maison du quartier"', page)
    data = {f"{prefix}held_on": "2026-11-28", f"{prefix}starts_at": "18:30",
            f"{prefix}place": "Maison du quartier"}
    client.post(f"/pistes/ateliers/{workshop_id}/evenement", data=data)
    assert _journal(app, "workshop_event_change") == []
    client.post(f"/pistes/ateliers/{workshop_id}/evenement",
                data={**data, f"{prefix}starts_at": "19:00"})
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).starts_at.isoformat() == "19:00:00"
    assert len(_journal(app, "workshop_event_change")) == 1
