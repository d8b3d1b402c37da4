"""Issue 10, "Done when": one need from a resident and one opportunity from a partner (through
the API) go through publication, conversion, every stage of a private lead and of a public one,
to abandonment and to a created enterprise. At each step: what the author, a supporter and the
partner see on their pages, in their mails (read from the outbox) and, for the partner, in the API
and in the webhook payloads its server receives."""
from __future__ import annotations

import json
import re

from werkzeug.datastructures import MultiDict

from portal.services.partners import webhooks
from portal.worker import drain_safely

from .conftest import Auth
from .form_roundtrip import submitted_fields
from .lead_pages import french, text_of
from .services.partners.servers import Receiver

PRIVATE_NOTE = "Note interne : le bailleur hésite encore"
GO = {"committee_name": "Comité d'engagement", "decision_date": "2026-03-01", "decision": "go"}
#: Every move of both leads: (stage, extra fields), the committee deciding past the gates.
MOVES = [("opportunity", {}), ("carrier_search", GO), ("feasibility", {}), ("launch", GO),
         ("paused", {"reason": "Attente d'un local libre"}), ("launch", {})]


def _id(location: str) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", location).group(1))


def _news_sentence(app, stage: str, reason: str = "", name: str = "") -> str:
    """What a person is told of a stage, in French, as the portal words it."""
    from flask_babel import force_locale

    from portal.services.leads.stages import public_news

    with app.test_request_context(), force_locale("fr"):
        return public_news(stage, reason=reason, enterprise=name)


def _stage_label(app, stage: str) -> str:
    from flask_babel import force_locale

    from portal.services.leads.stages import STAGE_LABELS

    with app.test_request_context(), force_locale("fr"):
        return str(STAGE_LABELS[stage])


class Person:
    """One account of the journey with its own browser, logged in once through the form, and
    what it has read so far in its mailbox."""

    def __init__(self, app, user, outbox):
        self.user, self.outbox, self.seen = user, outbox, 0
        self.client = app.test_client()
        Auth(self.client).login(user)

    def new_mails(self) -> list[str]:
        mails = [m.get_content() for m in self.outbox.messages(self.user.email)]
        fresh, self.seen = mails[self.seen:], len(mails)
        return fresh


def test_a_need_and_an_opportunity_go_all_the_way_and_everyone_hears_of_each_step(
        app, client, make, admin, moderator, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    territory, theme = make.territory("Étouvie"), make.theme("Alimentation")
    author = Person(app, make.user(email="ines@example.org", display_name="Inès"), outbox)
    supporter = Person(app, make.user(email="karim@example.org", display_name="Karim"), outbox)
    agent = Person(app, make.user(email="agent@metropole.example.org",
                                  display_name="Service éco", role="partner"), outbox)
    team = Person(app, moderator, outbox).client

    with Receiver() as receiver:
        # The Fabrique attaches the partner's account; the partner makes its token and webhook.
        fabrique = Person(app, admin, outbox).client
        organisation_url = fabrique.post("/admin/organisations", data={
            "name": "Direction de l'économie", "kind": "metropole_service",
            "territory": ""}).headers["Location"]
        fabrique.post(organisation_url + "/membres", data={"email": agent.user.email})
        page = agent.client.post("/partenaires/jetons", data={
            "name": "CRM", "scopes": ["opportunities:read", "opportunities:write"]})
        token = re.search(r'id="new-token" type="text" readonly value="(fab_[^"]+)"',
                          page.text)[1]
        api = {"Authorization": f"Bearer {token}"}
        secret = re.search(r'id="webhook-secret" value="([^"]+)"', agent.client.post(
            "/partenaires/webhook", data={"webhook_url": receiver.url}).text)[1]

        def webhook_events() -> list[dict]:
            drain_safely(app)
            events = []
            for headers, body in receiver.received:
                assert headers[webhooks.SIGNATURE_HEADER] == webhooks.sign(
                    secret, headers[webhooks.TIMESTAMP_HEADER], body)
                events.append(json.loads(body))
            return events

        # A resident raises a need; the partner forwards an opportunity through the API.
        need_id = _id(author.client.post("/contributions/nouvelle", data={
            "kind": "need", "title": "Une épicerie solidaire à Étouvie",
            "body": "Depuis la fermeture du supermarché, il faut prendre deux bus pour faire "
                    "ses courses.", "target_public": "familles", "territory": str(territory.id),
            "theme": str(theme.id), "author_offer": "none"}).headers["Location"])
        document = client.get("/api/v1/openapi.json").get_json()
        codes = document["components"]["schemas"]["NewItem"]["properties"]
        created = client.post("/api/v1/opportunities", headers=api, json={
            "title": "Un local vacant pour une activité", "reference": "ECO-7",
            "description": "Le local de 200 m² de l'ancienne poste est vide depuis deux ans.",
            "territory": codes["territory"]["enum"][0], "theme": codes["theme"]["enum"][0]})
        assert created.status_code == 201 and created.get_json()["status"] == "pending"
        item_id = created.get_json()["id"]

        # Publication.
        team.post(f"/contributions/{need_id}/publier")
        team.post(f"/contributions/{item_id}/publier")
        supporter.client.post(f"/contributions/{need_id}/soutenir")
        published = french(app, "“%(title)s” is published.", title="@").split("@")[1]
        assert any(published in mail for mail in author.new_mails())
        assert any(published in mail for mail in agent.new_mails())
        assert client.get(f"/api/v1/opportunities/{item_id}",
                          headers=api).get_json()["status"] == "published"
        assert [e["event"] for e in webhook_events()] == ["published"]

        # Conversion: the need into a private lead, the opportunity into a public one.
        private_id = _id(team.post("/pistes/nouvelle", data={
            "submission_ids": str(need_id), "title": "Épicerie solidaire d'Étouvie",
            "summary": "Une épicerie pour le quartier.", "territory": territory.id,
            "theme": theme.id}).headers["Location"])
        public_id = _id(team.post("/pistes/nouvelle", data={
            "submission_ids": str(item_id), "title": "Reprise du local de la poste",
            "summary": "Une activité dans le local.", "territory": territory.id,
            "theme": theme.id}).headers["Location"])
        edit_url = f"/pistes/{public_id}/modifier"
        fields = MultiDict(submitted_fields(team.get(edit_url).text, edit_url, edit_url))
        fields.setlist("is_public", ["y"])
        fields.setlist("public_sections", ["need", "decisions", "outcome"])
        assert team.post(edit_url, data=fields).status_code == 302
        in_project = french(app, "“%(title)s” became part of a project lead: “%(lead)s”.",
                            title="@", lead="@").split("@")[1]
        for person in (author, supporter, agent):
            assert any(in_project in mail for mail in person.new_mails()), person.user.email
        assert webhook_events()[-1]["event"] == "in_project"

        def move(lead_id, stage, extra):
            data = {"to_stage": stage, "note": PRIVATE_NOTE, **extra}
            response = team.post(f"/pistes/{lead_id}/etape",
                                   data={f"lead{lead_id}-{k}": v for k, v in data.items()})
            assert response.status_code == 302, text_of(response)

        def check_resident_side(stage, reason=""):
            """Author and supporter get the stage in plain words by mail; the contribution's
            page and Mon activité tell it; nothing private, no link to the private fiche."""
            sentence = _news_sentence(app, stage, reason)
            for person in (author, supporter):
                mails = person.new_mails()
                news = [m for m in mails if sentence in m]
                assert len(news) == 1, (person.user.email, stage, mails)
                assert PRIVATE_NOTE not in news[0]
                assert f"/pistes/{private_id}" not in news[0]
                assert f"/projets/{private_id}" not in news[0]
            story = text_of(author.client.get(f"/contributions/{need_id}"))
            assert sentence in story and PRIVATE_NOTE not in story
            assert sentence in text_of(author.client.get("/compte/activite"))

        def check_partner_side(stage, name=""):
            """The partner is told by mail, its dashboard shows the stage, the API and the
            webhook payload agree on the item and its time."""
            sentence = _news_sentence(app, stage, name=name)
            assert any(sentence in mail for mail in agent.new_mails()), stage
            item = client.get(f"/api/v1/opportunities/{item_id}", headers=api).get_json()
            assert item["lead_stage"] == stage
            event = webhook_events()[-1]
            assert event == {"event": "lead_stage", "item": item}
            assert _stage_label(app, stage) in text_of(agent.client.get("/partenaires/"))

        # Every stage of both leads.
        for stage, extra in MOVES:
            move(private_id, stage, extra)
            check_resident_side(stage, extra.get("reason", ""))
            move(public_id, stage, extra)
            check_partner_side(stage)
            if stage == "paused":  # the author of the paused need is asked if it still stands
                asked = [m for m in outbox.messages(author.user.email)
                         if m["Subject"] == french(app, "Is it still a need?")]
                assert len(asked) == 1
                assert "/compte/activite/toujours-un-besoin/" in asked[0].get_content()

        # The public project shows its decisions and the feed carries the news.
        project = text_of(client.get(f"/projets/{public_id}"))
        assert "Attente d'un local libre" in project
        assert client.get(f"/projets/{private_id}").status_code == 404

        # Abandonment of the private lead; creation of the enterprise from the public one.
        move(private_id, "abandoned", {"reason": "Aucun porteur identifié sur le territoire"})
        check_resident_side("abandoned", "Aucun porteur identifié sur le territoire")
        assert team.post(f"/pistes/{public_id}/entreprise", data={
            "enterprise-name": "La Poste Solidaire", "enterprise-legal_form": "SCIC",
            "enterprise-created_on": "2026-06-01",
            "enterprise-note": PRIVATE_NOTE}).status_code == 302
        check_partner_side("created", name="La Poste Solidaire")
        assert "La Poste Solidaire" in text_of(client.get(f"/projets/{public_id}"))
        feed = client.get("/flux/projets.atom").get_data(as_text=True)
        assert "La Poste Solidaire" in feed and "Épicerie solidaire" not in feed

        # The partner's listing through the API pages and sees the final state.
        listing = client.get("/api/v1/opportunities", headers=api).get_json()
        assert [(i["id"], i["lead_stage"]) for i in listing["items"]] == [(item_id, "created")]
        assert listing["next"] is None

    # In the end each one's "Mon activité" tells the whole story in plain words.
    activity = text_of(author.client.get("/compte/activite"))
    assert _news_sentence(app, "abandoned", "Aucun porteur identifié sur le territoire") \
        in activity
    assert french(app, "Answer for “%(title)s”", title="Une épicerie solidaire à Étouvie") \
        in activity
    assert "Une épicerie solidaire à Étouvie" in text_of(
        supporter.client.get("/compte/activite"))
