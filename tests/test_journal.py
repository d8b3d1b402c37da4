"""The journal records every back-office action, and reads in words.

`ACTIONS` drives each back-office POST route through its page as staff would and expects the
journal entry it writes; `test_every_back_office_post_route_is_journaled` fails when a route is
added to the back-office without a case here."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.labels import ACTION_LABELS
from portal.models import AuditEntry, Lead, OutboxMessage, Submission, User

from .visible import visible_text

#: Back-office blueprints: every POST route of theirs is a staff action.
BACK_OFFICE = ("moderation", "leads", "committee", "lead_corrections", "admin")
#: POST routes of other areas that staff use, and those that are not staff actions.
STAFF_ELSEWHERE = ("submissions.delete_comment", "submissions.publish", "submissions.decline",
                   "partners.webhook")


@dataclass
class World:
    """What the actions act on, made through the portal's use cases."""

    admin: User
    author: User
    partner: User
    submission: Submission
    similar: Submission
    pending: Submission
    lead: Lead
    in_lead_id: int
    comment_id: int
    offer_id: int
    workshop_id: int
    meeting_id: int
    item_id: int
    organisation_id: int
    token_id: int
    template_id: int


@pytest.fixture
def world(app, make, admin) -> World:
    from portal.services.leads import committee, offers, workshops
    from portal.services.partners import forwarding, tokens
    from portal.services.submissions import moderation

    author = make.user(email="autrice@example.org")
    submission = make.submission(author, title="Une laverie solidaire à Étouvie")
    similar = make.submission(title="Laverie solidaire pour Étouvie")
    pending = make.submission(status="pending", title="Un jardin partagé")
    make.support(similar)
    in_lead = make.submission(author, title="Personnes âgées isolées")
    lead = make.lead([in_lead], admin, public=True)
    comment = make.comment(submission, author)
    partner = make.user(email="agent@example.org")
    with app.app_context():
        actor = db.session.get(User, admin.id)
        resident = db.session.get(User, author.id)
        offer = offers.offer_on_submission(resident, db.session.get(Submission, in_lead.id),
                                           kind="carry", message="Je veux porter ce projet.")
        the_lead = db.session.get(Lead, lead.id)
        workshop = workshops.add_workshop(the_lead, actor, held_on=_date("2026-02-10"),
                                          place="Centre social", participant_count=None)
        meeting = committee.create_meeting(actor, name="Comité d'engagement",
                                           held_on=_date("2026-04-02"))
        item = committee.put_on_agenda(meeting, the_lead, actor, "opportunity")
        organisation = forwarding.create_organisation(actor, "CCAS", "association", None)
        forwarding.attach_user(actor, organisation, partner.email)
        _secret, token = tokens.issue(actor, organisation, "Import", ["opportunities:write"])
        template = moderation.save_template(actor, None, "Hors territoire",
                                            "Ce besoin sort du territoire.")
        db.session.commit()
        ids = (offer.id, workshop.id, meeting.id, item.id, organisation.id, token.id,
               template.id)
    return World(admin, author, partner, submission, similar, pending, lead, in_lead.id,
                 comment.id, *ids)


def _date(text):
    from datetime import date

    return date.fromisoformat(text)


def _queued_message(app) -> int:
    """A mail the setup queued (the author hears of the conversion) and nothing sent yet."""
    with app.app_context():
        return db.session.scalar(select(func.max(OutboxMessage.id)).where(
            OutboxMessage.state == "queued"))


#: endpoint -> (the action it journals, how staff drive it through its page).
ACTIONS = {
    "moderation.review": ("edit", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.submission.id}", data={
            "title": "Une laverie solidaire au cœur d'Étouvie", "body": w.submission.body,
            "territory": w.submission.territory_id, "theme": w.submission.theme_id,
            "tags": ""})),
    "moderation.publish": ("publish", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.pending.id}/publier")),
    "moderation.publish_and_trust": ("trust", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.pending.id}/publier-et-faire-confiance")),
    "moderation.decline": ("decline", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.pending.id}/refuser",
        data={"reason": "Ce besoin sort du territoire de la métropole.", "template": ""})),
    "moderation.decline_and_block": ("block", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.pending.id}/refuser-et-bloquer",
        data={"reason": "Publicité sans rapport avec le quartier.", "template": ""})),
    "moderation.assign": ("submission_assign", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.submission.id}/responsable",
        data={"assignee": w.admin.id})),
    "moderation.add_note": ("internal_note_add", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.submission.id}/notes",
        data={"note": "L'autrice a appelé : elle connaît un local."})),
    "moderation.request_details": ("request_details", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.pending.id}/details",
        data={"message": "Dans quel quartier ?"})),
    "moderation.answer": ("answer", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.submission.id}/reponse",
        data={"text": "Nous étudions ce besoin.", "status": "under_study"})),
    "moderation.merge": ("merge", lambda c, w, app: c.post(
        f"/moderation/contributions/{w.submission.id}/fusion",
        data={"sources": [w.similar.id], "confirmed": "yes"})),
    "moderation.undo_merge": ("merge_undo", lambda c, w, app: (
        c.post(f"/moderation/contributions/{w.submission.id}/fusion",
               data={"sources": [w.similar.id], "confirmed": "yes"}),
        c.post(f"/moderation/contributions/{w.similar.id}/defusion"))[-1]),
    "moderation.bulk": ("publish", lambda c, w, app: c.post(
        "/moderation/file-d-attente/lot",
        data={"ids": [w.pending.id], "action": "publish", "confirmed": "yes"})),
    "moderation.decide_flag": ("hide", lambda c, w, app: c.post(
        f"/moderation/signalements/commentaire/{w.comment_id}/masquer")),
    "moderation.restore_hidden": ("restore", lambda c, w, app: (
        c.post(f"/moderation/signalements/contribution/{w.submission.id}/masquer"),
        c.post(f"/moderation/masques/contribution/{w.submission.id}/retablir"))[-1]),
    "moderation.block": ("block", lambda c, w, app: c.post(
        f"/moderation/comptes/{w.author.id}/bloquer", data={"hide_content": "y"})),
    "moderation.unblock": ("unblock", lambda c, w, app: (
        c.post(f"/moderation/comptes/{w.author.id}/bloquer", data={}),
        c.post(f"/moderation/comptes/{w.author.id}/debloquer", data={}))[-1]),
    "moderation.change_role": ("role_change", lambda c, w, app: c.post(
        f"/moderation/comptes/{w.author.id}/role", data={"role": "committee"})),
    "moderation.templates": ("template", lambda c, w, app: c.post(
        f"/moderation/modeles/{w.template_id}",
        data={"title": "Hors métropole", "body": "Ce besoin sort de la métropole."})),
    "submissions.publish": ("publish", lambda c, w, app: c.post(
        f"/contributions/{w.pending.id}/publier")),
    "submissions.decline": ("decline", lambda c, w, app: c.post(
        f"/contributions/{w.pending.id}/refuser",
        data={"reason": "Ce besoin sort du territoire de la métropole."})),
    "submissions.delete_comment": ("comment_delete", lambda c, w, app: c.post(
        f"/contributions/commentaires/{w.comment_id}/supprimer")),
    "leads.convert": ("lead_convert", lambda c, w, app: c.post("/pistes/nouvelle", data={
        "submission_ids": str(w.submission.id), "title": "Une laverie solidaire",
        "summary": "Laver son linge à prix doux.", "territory": w.submission.territory_id,
        "theme": w.submission.theme_id})),
    "leads.attach": ("lead_attach", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/rattacher", data={"submission_ids": str(w.submission.id)})),
    "leads.assign": ("lead_assign", lambda c, w, app: c.post(  # the converter, now nobody
        f"/pistes/{w.lead.id}/responsable", data={"assignee": ""})),
    "leads.edit": ("lead_fiche", lambda c, w, app: c.post(f"/pistes/{w.lead.id}/modifier", data={
        "title": "Rompre l'isolement des aînés", "summary": "Un résumé.", "origin": "residents",
        "territory": w.lead.territory_id, "theme": w.lead.theme_id, "owner": w.admin.id})),
    "leads.add_partner": ("lead_partner_add", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/partenaires",
        data={"name": "Mairie", "kind": "collectivity", "role": "funder"})),
    "leads.remove_partner": ("lead_partner_remove", lambda c, w, app: (
        c.post(f"/pistes/{w.lead.id}/partenaires",
               data={"name": "Mairie", "kind": "collectivity", "role": "funder"}),
        c.post(f"/pistes/{w.lead.id}/partenaires/{_partner_id(app, w)}/supprimer"))[-1]),
    "leads.move": ("lead_move", lambda c, w, app: c.post(f"/pistes/{w.lead.id}/etape", data={
        f"lead{w.lead.id}-to_stage": "paused", f"lead{w.lead.id}-note": "En attente d'un local",
        f"lead{w.lead.id}-reason": "Pas de local"})),
    "leads.record_creation": ("lead_enterprise", lambda c, w, app: (_to_launch(c, w), c.post(
        f"/pistes/{w.lead.id}/entreprise", data={
            "enterprise-name": "Les Aînés Connectés", "enterprise-legal_form": "SCIC",
            "enterprise-created_on": "2026-09-01", "enterprise-note": "Statuts déposés"}))[-1]),
    "leads.put_on_agenda": ("lead_agenda", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/ordre-du-jour",
        data={"meeting": _other_meeting(app, w), "target_stage": "opportunity"})),
    "leads.add_workshop": ("workshop_add", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/ateliers", data={"held_on": "2026-03-10", "place": "Mairie"})),
    "leads.workshop_event": ("workshop_event_change", lambda c, w, app: c.post(
        f"/pistes/ateliers/{w.workshop_id}/evenement", data={
            f"event{w.workshop_id}-held_on": "2026-02-12",
            f"event{w.workshop_id}-starts_at": "18:30",
            f"event{w.workshop_id}-place": "Maison du quartier"})),
    "leads.workshop_outcome": ("workshop_outcome", lambda c, w, app: c.post(
        f"/pistes/ateliers/{w.workshop_id}/compte-rendu", data={
            f"workshop{w.workshop_id}-participant_count": "21",
            f"workshop{w.workshop_id}-organisations": "CCAS",
            f"workshop{w.workshop_id}-outcome": "Un triporteur"})),
    "leads.invite": ("workshop_invite", lambda c, w, app: c.post(
        f"/pistes/ateliers/{w.workshop_id}/inviter")),
    "leads.contact_offer": ("offer_contact", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/offres/{w.offer_id}/contact",
        data={f"offer{w.offer_id}-text": "Pouvons-nous nous rencontrer ?"})),
    "leads.qualify_offer": ("offer_status", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/offres/{w.offer_id}/statut",
        data={f"status{w.offer_id}-status": "selected"})),
    "committee.meetings": ("meeting_create", lambda c, w, app: c.post(
        "/pistes/comite", data={"name": "Comité de pilotage", "held_on": "2026-06-02"})),
    "committee.decide": ("committee_decision", lambda c, w, app: c.post(
        f"/pistes/comite/points/{w.item_id}/decision", data={
            f"item{w.item_id}-decision": "go", f"item{w.item_id}-note": "Opportunité confirmée"})),
    "lead_corrections.detach": ("lead_detach", lambda c, w, app: c.post(
        f"/pistes/{w.lead.id}/contributions/{w.in_lead_id}/detacher")),
    "lead_corrections.delete": ("lead_delete", lambda c, w, app: (
        c.post("/pistes/nouvelle", data={
            "submission_ids": str(w.submission.id), "title": "Piste en double",
            "summary": "Par erreur.", "territory": w.submission.territory_id,
            "theme": w.submission.theme_id}),
        c.post(f"/pistes/{_lead_titled(app, 'Piste en double')}/supprimer",
               data={"reason": "Créée deux fois"}))[-1]),
    "admin.organisations": ("organisation_create", lambda c, w, app: c.post(
        "/admin/organisations", data={"name": "Régie de quartier", "kind": "association",
                                      "territory": ""})),
    "admin.attach": ("role_change", lambda c, w, app: c.post(
        f"/admin/organisations/{w.organisation_id}/membres", data={"email": w.author.email})),
    "admin.create_token": ("token_create", lambda c, w, app: c.post(
        f"/admin/organisations/{w.organisation_id}/jetons",
        data={"name": "Lecture", "scopes": ["opportunities:read"]})),
    "admin.revoke_token": ("token_revoke", lambda c, w, app: c.post(
        f"/admin/jetons/{w.token_id}/revoquer")),
    "admin.stage_targets": ("stage_target_set", lambda c, w, app: c.post(
        "/admin/etapes", data={"detected": "6", "opportunity": "12", "carrier_search": "6",
                               "feasibility": "9", "launch": "12"})),
    "admin.retry_message": ("outbox_retry", lambda c, w, app: c.post(
        f"/admin/envois/{_queued_message(app)}/relancer")),
    "partners.webhook": ("webhook_change", lambda c, w, app: c.post(
        "/partenaires/webhook", data={"webhook_url": ""})),
}
#: Who drives each route, when it is not the administrator.
DRIVERS = {"partners.webhook": "partner"}


def _to_launch(client, w: World) -> None:
    from .test_stages import GO, move

    for stage, extra in (("opportunity", {}), ("carrier_search", GO), ("feasibility", {}),
                         ("launch", GO)):
        assert move(client, w.lead.id, stage, **extra).status_code == 302


def _partner_id(app, w: World) -> int:
    from portal.models import LeadPartner

    with app.app_context():
        return db.session.scalar(select(func.max(LeadPartner.id)))


def _other_meeting(app, w: World) -> int:
    from portal.services.leads import committee

    with app.app_context():
        meeting = committee.create_meeting(db.session.get(User, w.admin.id), name="Comité d'été",
                                           held_on=_date("2026-07-02"))
        return meeting.id


def _lead_titled(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Lead.id).where(Lead.title == title))


def entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()


def test_every_back_office_post_route_is_journaled(app):
    """The list of routes comes from the app itself (what `flask routes` prints)."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules()
               if "POST" in (rule.methods or ()) and (
                   rule.endpoint.split(".")[0] in BACK_OFFICE
                   or rule.endpoint in STAFF_ELSEWHERE)}
    assert posting == set(ACTIONS), "add a case to ACTIONS for each new back-office action"


@pytest.mark.parametrize("endpoint", sorted(ACTIONS))
def test_the_action_writes_a_journal_entry(app, client, auth, world, endpoint):
    action, drive = ACTIONS[endpoint]
    driver = {"partner": world.partner}.get(DRIVERS.get(endpoint), world.admin)
    before = len(entries(app, action))
    auth.login(driver)
    response = drive(client, world, app)
    assert response.status_code in (200, 302), (endpoint, response.status_code)
    written = entries(app, action)[before:]
    assert written, f"{endpoint} wrote no “{action}” entry"
    assert all(entry.actor_id == driver.id for entry in written)


def test_every_action_code_has_its_label():
    """Each code a service journals (a literal in `audit.record(...)`) has one label."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "portal"
    codes = set()
    for path in root.rglob("*.py"):
        codes |= set(re.findall(r"audit\.record(?:_changes)?\(\s*\w+(?:\.\w+)?,\s*\"(\w+)\"",
                                path.read_text(encoding="utf-8")))
    assert codes and codes <= set(ACTION_LABELS), codes - set(ACTION_LABELS)
    assert set(ACTIONS[e][0] for e in ACTIONS) <= set(ACTION_LABELS)


def readable(page: str) -> str:
    return visible_text(page)


def test_a_lead_journey_reads_in_words_with_before_and_after(app, client, auth, world):
    auth.login(world.admin)
    client.post(f"/pistes/{world.lead.id}/etape", data={
        f"lead{world.lead.id}-to_stage": "paused", f"lead{world.lead.id}-note": "En attente",
        f"lead{world.lead.id}-reason": "Pas de local"})
    client.post(f"/moderation/comptes/{world.author.id}/role", data={"role": "committee"})
    client.post(f"/moderation/contributions/{world.submission.id}/reponse",
                data={"text": "Nous étudions ce besoin à Étouvie.", "status": "under_study"})
    page = client.get("/moderation/journal")
    assert page.status_code == 200
    text = readable(page.text)
    assert "Piste passée à une autre étape" in text
    assert "Étape : Repérée → En veille" in text
    assert "Rôle changé" in text and "Rôle : Habitant·e → Membre du comité" in text
    assert "Réponse publique donnée" in text
    assert "Statut : Publiée → À l'étude" in text
    assert f'href="/moderation/contributions/{world.submission.id}"' in page.text
    assert "Une laverie solidaire à Étouvie" in text
    assert "Une laverie solidaire à Étouvie" in text
    for raw in ("lead_move", "role_change", "under_study", "\\u00e9", '{"', "submissions #"):
        assert raw not in text
    # The filters keep working, with the actions in words.
    filtered = client.get("/moderation/journal?action=role_change")
    assert filtered.status_code == 200
    assert '<option selected value="role_change">Rôle changé</option>' in html.unescape(
        filtered.text)
    assert "Piste passée à une autre étape</td>" not in html.unescape(filtered.text)
    by_target = html.unescape(client.get("/moderation/journal?target_type=leads").text)
    assert "<td>Rôle changé</td>" not in by_target
    assert "<td>Piste passée à une autre étape</td>" in by_target


def test_the_journal_in_english(app, client, auth, world):
    auth.login(world.admin)
    client.post(f"/moderation/comptes/{world.author.id}/role", data={"role": "committee"})
    client.post("/langue", data={"language": "en"})
    page = readable(client.get("/moderation/journal").text)
    assert "Role changed" in page and "Role: Resident → Committee member" in page

