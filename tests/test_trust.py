"""What a blocked resident can no longer do, what moderators keep of a reported comment, and
names that cannot pass for the Fabrique or its staff."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Comment, Submission, User

from .conftest import PASSWORD, submit_link_page

NEW_PASSWORD = "un tout nouveau mot de passe"


def block(client, auth, moderator, user):
    auth.login(moderator)
    assert client.post(f"/moderation/comptes/{user.id}/bloquer").status_code == 302
    auth.logout()


def test_a_blocked_resident_cannot_edit_their_comment(app, client, auth, make, moderator):
    author = make.user()
    submission = make.submission()
    comment = make.comment(submission, author, "Premier avis, correct.")
    browser = app.test_client()
    browser.post("/compte/connexion", data={"email": author.email, "password": PASSWORD})
    block(client, auth, moderator, author)
    page = browser.get(f"/contributions/commentaires/{comment.id}/modifier")
    assert page.status_code == 302
    refused = browser.post(f"/contributions/commentaires/{comment.id}/modifier",
                           data={"body": "Un texte tout autre, injurieux cette fois."},
                           follow_redirects=True)
    assert "Votre compte est bloqué" in refused.text
    with app.app_context():
        assert db.session.get(Comment, comment.id).body == "Premier avis, correct."


def test_a_blocked_resident_cannot_edit_a_pending_contribution(app, client, auth, make,
                                                              moderator):
    author = make.user()
    submission = make.submission(author, status="pending")
    browser = app.test_client()
    browser.post("/compte/connexion", data={"email": author.email, "password": PASSWORD})
    assert browser.get(f"/contributions/{submission.id}/modifier").status_code == 200
    block(client, auth, moderator, author)
    refused = browser.post(f"/contributions/{submission.id}/modifier", data={
        "title": "Un titre changé après le blocage", "body": "x" * 40,
        "territory": str(submission.territory_id), "theme": str(submission.theme_id)},
        follow_redirects=True)
    assert "Votre compte est bloqué" in refused.text
    with app.app_context():
        assert db.session.get(Submission, submission.id).title == submission.title


def test_a_blocked_resident_cannot_log_in_through_a_reset_link(app, client, auth, make,
                                                              moderator, outbox):
    user = make.user(email="bloque@example.org")
    block(client, auth, moderator, user)
    client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    submit_link_page(client, outbox.last_link(user.email), password=NEW_PASSWORD,
                     password_confirm=NEW_PASSWORD)
    assert client.get("/compte/").status_code == 302
    refused = client.post("/compte/connexion", data={"email": user.email,
                                                     "password": NEW_PASSWORD})
    assert refused.status_code == 422 and "Votre compte est bloqué" in refused.text
    assert client.get("/compte/").status_code == 302


def test_the_reported_version_of_a_comment_stays_for_the_moderators(app, client, auth, make,
                                                                    moderator):
    author = make.user()
    submission = make.submission()
    comment = make.comment(submission, author, "Vous êtes tous des imbéciles")
    auth.login(make.user())
    client.post(f"/contributions/commentaires/{comment.id}/signaler", data={"reason": "insult"})
    auth.logout()
    auth.login(author)
    client.post(f"/contributions/commentaires/{comment.id}/modifier",
                data={"body": "Je retire ce que j'ai dit, tout va bien."})
    auth.logout()
    auth.login(moderator)
    page = client.get("/moderation/signalements").text
    assert "Je retire ce que j" in page
    assert "Vous êtes tous des imbéciles" in page and "version signalée" in page


REGISTRATION = {"email": "nouvelle@example.org", "password": PASSWORD,
                "password_confirm": PASSWORD, "home_territory": "", "consent": "y"}


@pytest.mark.parametrize("name", ["Fabrique", "La Fabrique à initiatives", "fabr1que",
                                  "FABRIQUE ", "Modération", "moderation", "M o d é r a t i o n",
                                  "L'Administrateur", "Admіnistrateur",  # Cyrillic і
                                  "Inès", "INES", "In3s"])
def test_a_name_that_passes_for_the_fabrique_or_its_staff_is_refused(app, client, moderator,
                                                                     name):
    """The moderator fixture is called Inès: her name, however written, is hers."""
    response = client.post("/compte/inscription", data={**REGISTRATION, "display_name": name})
    assert response.status_code == 422
    assert "pourrait être pris pour la Fabrique" in response.text.replace("&#39;", "'")
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nouvelle@example.org")) is None


@pytest.mark.parametrize("name", ["Inès B.", "Fabienne", "Badminton club", "Monique"])
def test_ordinary_names_are_accepted(client, moderator, name):
    response = client.post("/compte/inscription", data={**REGISTRATION, "display_name": name})
    assert response.status_code == 302


def test_staff_carry_a_badge_next_to_their_name(client, auth, make, moderator):
    submission = make.submission(title="Un besoin de jardins partagés")
    resident = make.user(display_name="Camille")
    for author in (moderator, resident):
        auth.login(author)
        client.post(f"/contributions/{submission.id}/commentaires",
                    data={"body": f"Un commentaire de {author.display_name}."})
        auth.logout()
    page = client.get(f"/contributions/{submission.id}").text
    assert re.search(r"<strong>Inès</strong> <span class=\"badge badge-staff\">Équipe de la "
                     r"Fabrique</span>", page)
    assert "<strong>Camille</strong>," in page
