"""Posting, reading, editing and withdrawing needs and ideas, and the first moderation acts."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Submission


@pytest.fixture
def place(make):
    metropole = make.territory("Amiens Métropole")
    return {
        "commune": make.territory("Longueau", parent=metropole),
        "theme": make.theme("Mobilité"),
    }


def need_form(place, **overrides):
    data = {"kind": "need", "title": "Pas de bus le dimanche à Longueau",
            "body": "Le dimanche, aucun bus ne relie Longueau au centre d'Amiens avant midi.",
            "target_public": "personnes sans voiture", "territory": str(place["commune"].id),
            "theme": str(place["theme"].id), "author_offer": "contribute"}
    data.update(overrides)
    return data


def stored(app, submission_id):
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        db.session.expunge(submission)
        return submission


def test_a_confirmed_resident_posts_a_need_that_waits_for_moderation(app, client, auth, resident,
                                                                     place):
    auth.login(resident)
    response = client.post("/contributions/nouvelle", data=need_form(place))
    assert response.status_code == 302
    submission_id = int(response.headers["Location"].rsplit("/", 1)[1])
    submission = stored(app, submission_id)
    assert (submission.status, submission.kind, submission.author_offer) == (
        "pending", "need", "contribute")
    # What the search indexes: case, accents and plurals folded ("dimanche" -> "dimanch").
    assert submission.search_text.startswith("pas de bus le dimanch a longueau")
    page = client.get(f"/contributions/{submission_id}")
    assert page.status_code == 200 and "Pas de bus le dimanche" in page.text
    auth.logout()
    assert client.get(f"/contributions/{submission_id}").status_code == 404
    assert "Pas de bus" not in client.get("/contributions/").text


def test_post_moderation_publishes_at_once(app, client, auth, resident, place, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_MODE", "post")
    auth.login(resident)
    response = client.post("/contributions/nouvelle", data=need_form(place, kind="idea"))
    submission_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert stored(app, submission_id).status == "published"
    assert "Pas de bus le dimanche" in client.get("/contributions/").text


@pytest.mark.parametrize("field, value", [
    ("title", "court"), ("body", "trop court"), ("kind", "petition"), ("territory", "999999"),
    ("territory", "abc"), ("theme", ""), ("author_offer", "everything"), ("title", "x" * 161),
])
def test_bad_input_comes_back_with_a_message_and_the_typed_text(app, client, auth, resident,
                                                               place, field, value):
    auth.login(resident)
    response = client.post("/contributions/nouvelle", data=need_form(place, **{field: value}))
    assert response.status_code == 422
    typed = need_form(place, **{field: value})
    kept = typed["body"] if field != "body" else typed["title"]
    assert kept.replace("'", "&#39;") in response.text
    if field in ("title", "body"):
        assert value in response.text
    assert f'id="{field}-error"' in response.text
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_visitors_are_sent_to_log_in_and_unconfirmed_residents_to_confirm(client, auth, make,
                                                                         place):
    response = client.get("/contributions/nouvelle")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    unconfirmed = make.user(verified=False)
    auth.login(unconfirmed)
    response = client.post("/contributions/nouvelle", data=need_form(place))
    assert response.status_code == 302 and response.headers["Location"].endswith("/compte/")


def test_the_author_edits_until_the_first_support(app, client, auth, resident, make, place,
                                                  monkeypatch):
    """In post-moderation a contribution is published at once, untouched by a moderator."""
    monkeypatch.setitem(app.config, "MODERATION_MODE", "post")
    submission = make.submission(resident, territory=place["commune"], theme=place["theme"])
    auth.login(resident)
    form = need_form(place, title="Pas de bus le dimanche matin à Longueau")
    assert client.post(f"/contributions/{submission.id}/modifier", data=form).status_code == 302
    assert stored(app, submission.id).title == "Pas de bus le dimanche matin à Longueau"
    make.support(submission)
    assert client.get(f"/contributions/{submission.id}/modifier").status_code == 403
    assert client.post(f"/contributions/{submission.id}/modifier", data=form).status_code == 403


def test_nobody_else_edits_it(client, auth, make, place):
    submission = make.submission(territory=place["commune"], theme=place["theme"])
    auth.login(make.user())
    assert client.get(f"/contributions/{submission.id}/modifier").status_code == 403


def test_withdrawing_keeps_the_text_for_the_author_only(app, client, auth, resident, make):
    submission = make.submission(resident, body="Un texte que l'auteur veut retirer du portail.")
    auth.login(resident)
    assert client.post(f"/contributions/{submission.id}/retirer").status_code == 302
    assert stored(app, submission.id).status == "withdrawn"
    assert "veut retirer" in client.get(f"/contributions/{submission.id}").text
    auth.logout()
    page = client.get(f"/contributions/{submission.id}")
    assert page.status_code == 200 and "veut retirer" not in page.text


def test_a_moderator_publishes_and_declines_from_the_page(app, client, auth, moderator, make,
                                                          outbox):
    author = make.user(email="auteur@example.org")
    pending = make.submission(author, status="pending")
    auth.login(moderator)
    assert client.post(f"/contributions/{pending.id}/publier").status_code == 302
    published = stored(app, pending.id)
    assert published.status == "published" and published.moderated_at is not None
    other = make.submission(author, status="pending")
    assert client.post(f"/contributions/{other.id}/refuser", data={"reason": ""}).status_code == 302
    assert stored(app, other.id).status == "pending"
    reason = "Ce besoin relève du service des transports, que nous avons prévenu."
    client.post(f"/contributions/{other.id}/refuser", data={"reason": reason})
    declined = stored(app, other.id)
    assert declined.status == "declined" and declined.public_answer == reason
    auth.logout()
    assert reason in client.get(f"/contributions/{other.id}").text


def test_residents_cannot_moderate(app, client, auth, resident, make):
    pending = make.submission(status="pending")
    auth.login(resident)
    assert client.post(f"/contributions/{pending.id}/publier").status_code == 403
    visible = make.submission()
    assert client.post(f"/contributions/{visible.id}/refuser",
                       data={"reason": "Je ne suis pas modérateur"}).status_code == 403
    assert stored(app, visible.id).status == "published"


def test_unknown_submission_is_a_friendly_404(client):
    response = client.get("/contributions/424242")
    assert response.status_code == 404 and "<h1>" in response.text
    assert client.post("/contributions/424242/soutenir").status_code in (302, 404)
