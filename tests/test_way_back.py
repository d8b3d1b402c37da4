"""The way back (issue 10): what a resident who raised a need, and a neighbour who supported it,
learn of its fate when it becomes a private lead that is studied, paused and abandoned."""
from __future__ import annotations

import re
from datetime import date

from portal.extensions import db
from portal.models import Lead, Notification, Submission, User
from portal.services.leads import pipeline

PRIVATE_NOTE = "Note interne : le CCAS refuse de financer"


def _id(location: str) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", location).group(1))


def _mail_texts(outbox, to: str) -> list[str]:
    return [message.get_content() for message in outbox.messages(to)]


def test_a_need_turned_into_a_private_lead_tells_its_people_every_step(
        app, client, auth, make, moderator, outbox):
    territory, theme = make.territory("Étouvie"), make.theme("Alimentation")
    author = make.user(email="autrice@example.org", display_name="Inès")
    supporter = make.user(email="voisin@example.org", display_name="Karim")

    auth.login(author)
    response = client.post("/contributions/nouvelle", data={
        "kind": "need", "title": "Une épicerie solidaire à Étouvie",
        "body": "Depuis la fermeture du supermarché, il faut prendre deux bus pour faire ses "
                "courses.", "target_public": "familles", "territory": str(territory.id),
        "theme": str(theme.id), "author_offer": "none"})
    need_id = _id(response.headers["Location"])
    auth.logout()
    auth.login(moderator)
    client.post(f"/contributions/{need_id}/publier")
    auth.logout()
    auth.login(supporter)
    client.post(f"/contributions/{need_id}/soutenir")
    auth.logout()

    # The team makes a lead of it and keeps the fiche private.
    auth.login(moderator)
    response = client.post("/pistes/nouvelle", data={
        "submission_ids": str(need_id), "title": "Épicerie solidaire d'Étouvie",
        "summary": "Une épicerie pour le quartier.", "territory": territory.id,
        "theme": theme.id})
    lead_id = _id(response.headers["Location"])

    def move(to_stage, **extra):
        data = {"to_stage": to_stage, "note": PRIVATE_NOTE, **extra}
        assert client.post(f"/pistes/{lead_id}/etape", data={
            f"lead{lead_id}-{k}": v for k, v in data.items()}).status_code == 302

    move("opportunity")
    move("paused", reason="Attente d'un local libre")
    move("abandoned", reason="Aucun porteur identifié sur le territoire")
    auth.logout()

    expected = [
        "La Fabrique vérifie que le besoin est réel",
        "Le projet est en veille pour le moment. Pourquoi\u202f: Attente d'un local libre",
        "Le projet a été abandonné. Pourquoi\u202f: Aucun porteur identifié sur le territoire",
    ]
    for person in (author, supporter):
        texts = _mail_texts(outbox, person.email)
        news = [t for t in texts if "Des nouvelles de" in t]
        assert len(news) == 3, texts
        for mail, sentence in zip(news, expected, strict=True):
            assert sentence in mail
            assert PRIVATE_NOTE not in mail
            assert f"/projets/{lead_id}" not in mail and f"/pistes/{lead_id}" not in mail
            assert f"/contributions/{need_id}" in mail
        with app.app_context():
            told = db.session.query(Notification).filter_by(
                user_id=person.id, event="lead_stage").count()
        assert told == 3

    # The contribution's page tells the same short story, with dates, and nothing private.
    auth.login(supporter)
    page = client.get(f"/contributions/{need_id}").get_data(as_text=True)
    story = page[page.index("Ce qu'il est advenu"):page.index('class="submission-body"')]
    for step in ("Publiée.", "Elle est devenue une piste de projet.",
                 "La Fabrique vérifie que le besoin est réel",
                 "Pourquoi\u202f: Attente d&#39;un local libre",
                 "Pourquoi\u202f: Aucun porteur identifié sur le territoire"):
        assert step in story
    assert story.count("<time") == 5
    assert PRIVATE_NOTE not in page
    assert f"/projets/{lead_id}" not in page
    assert "Devenue une piste de projet" in page

    # The author's notifications say it in the same words.
    auth.logout()
    auth.login(author)
    inbox = client.get("/compte/notifications/").get_data(as_text=True)
    assert "Aucun porteur identifié sur le territoire" in inbox


def test_the_badge_links_to_the_project_only_when_it_is_public(client, make, moderator):
    private_need, public_need = make.submission(), make.submission()
    private = make.lead([private_need], moderator)
    public = make.lead([public_need], moderator, public=True)
    page = client.get(f"/contributions/{private_need.id}").get_data(as_text=True)
    assert f"/projets/{private.id}" not in page
    page = client.get(f"/contributions/{public_need.id}").get_data(as_text=True)
    assert re.search(rf'<a href="/projets/{public.id}">\s*<span class="badge badge-in_project">',
                     page)


def test_a_created_enterprise_is_told_by_its_name(app, make, moderator, outbox):
    author = make.user(email="createur@example.org")
    need = make.submission(author)
    lead = make.lead([need], moderator)
    go = {"committee_name": "Comité", "decision_date": date(2026, 3, 1), "decision": "go"}
    with app.app_context():
        actor = db.session.get(User, moderator.id)
        row = db.session.get(Lead, lead.id)
        for stage, extra in (("opportunity", {}), ("carrier_search", go), ("feasibility", {}),
                             ("launch", go)):
            pipeline.move(row, actor, stage, note="Étape", **extra)
        pipeline.record_creation(row, actor, name="Les P'tits Paniers", legal_form="SCIC",
                                 created_on=date(2026, 5, 1), note=PRIVATE_NOTE)
        assert db.session.get(Submission, need.id).status == "in_project"
    mails = [t for t in _mail_texts(outbox, author.email) if "Des nouvelles de" in t]
    assert len(mails) == 5
    assert "Son nom\u202f: Les P'tits Paniers." in mails[-1]
    assert PRIVATE_NOTE not in mails[-1]
