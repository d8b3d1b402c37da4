"""Answers: the statuses an answer may give, and the history of every answer given."""
from __future__ import annotations

import html

import pytest

from portal.extensions import db
from portal.models import Answer, Submission, User
from portal.services.core.errors import InvalidInput
from portal.services.submissions import moderation

from .form_roundtrip import resubmit_unchanged, submitted_fields


def _answers(submission):
    return {"answers": [(a.status, a.text) for a in submission.answers]}


def test_the_answer_form_never_offers_in_project(app, client, auth, make, moderator):
    need = make.submission()
    auth.login(moderator)
    page = client.get(f"/moderation/contributions/{need.id}")
    assert 'value="in_project"' not in page.text
    assert "Devenue une piste de projet" not in html.unescape(page.text)
    response = client.post(f"/moderation/contributions/{need.id}/reponse",
                           data={"text": "Nous lançons une étude.", "status": "in_project"})
    assert response.status_code == 422
    assert "Statut public\u202f: N'est pas un choix valide." in html.unescape(response.text)
    with app.app_context():
        assert db.session.get(Submission, need.id).status == "published"


def test_the_service_refuses_in_project_too(app, make, moderator):
    need = make.submission()
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        moderation.answer(db.session.get(Submission, need.id),
                          db.session.get(User, moderator.id), "Nous étudions.", "in_project")
    assert refused.value.errors == {"status": ["Choisissez un des statuts proposés."]}


def test_a_contribution_in_a_project_keeps_its_status_when_answered(app, client, auth, make,
                                                                   moderator):
    need = make.submission()
    make.lead([need], moderator)
    auth.login(moderator)
    url = f"/moderation/contributions/{need.id}"
    action = f"{url}/reponse"
    assert dict(submitted_fields(client.get(url).text, action))["status"] == "in_project"
    client.post(action, data={"text": "La piste avance : un atelier en mars.",
                              "status": "in_project"})
    with app.app_context():
        saved = db.session.get(Submission, need.id)
        assert (saved.status, saved.public_answer) == (
            "in_project", "La piste avance : un atelier en mars.")
    other = make.submission()
    with app.app_context(), pytest.raises(InvalidInput):
        moderation.answer(db.session.get(Submission, other.id),
                          db.session.get(User, moderator.id), "Retour.", "in_project")


def test_each_answer_is_kept_and_the_current_one_is_the_last(app, client, auth, make,
                                                             moderator):
    need = make.submission()
    auth.login(moderator)
    action = f"/moderation/contributions/{need.id}/reponse"
    client.post(action, data={"text": "Nous regardons cela de près.", "status": "under_study"})
    client.post(action, data={"text": "Une étude d'opportunité commence.",
                              "status": "under_study"})
    with app.app_context():
        saved = db.session.get(Submission, need.id)
        assert [a.text for a in saved.answers] == ["Nous regardons cela de près.",
                                                   "Une étude d'opportunité commence."]
        assert saved.public_answer == "Une étude d'opportunité commence."
    review = html.unescape(client.get(f"/moderation/contributions/{need.id}").text)
    assert "Réponses données" in review and "Nous regardons cela de près." in review
    public = html.unescape(client.get(f"/contributions/{need.id}").text)
    current, former = public.split("Réponses précédentes de la Fabrique")
    assert "Une étude d'opportunité commence." in current.split("La réponse de la Fabrique")[1]
    assert "Nous regardons cela de près." in former
    resubmit_unchanged(app, client, f"/moderation/contributions/{need.id}", action, Submission,
                       need.id, extra=_answers)


def test_declined_then_published_no_longer_shows_the_refusal_as_the_answer(app, client, auth,
                                                                          make, moderator):
    need = make.submission(status="pending")
    auth.login(moderator)
    client.post(f"/moderation/contributions/{need.id}/refuser",
                data={"reason": "Ce besoin concerne une autre métropole."})
    public = html.unescape(client.get(f"/contributions/{need.id}").text)
    assert "La réponse de la Fabrique" in public
    assert client.post(f"/moderation/contributions/{need.id}/publier").status_code == 302
    public = html.unescape(client.get(f"/contributions/{need.id}").text)
    assert "La réponse de la Fabrique" not in public
    assert "Réponses précédentes de la Fabrique" in public
    assert "Ce besoin concerne une autre métropole." in public.split(
        "Réponses précédentes de la Fabrique")[1]
    with app.app_context():
        saved = db.session.get(Submission, need.id)
        assert (saved.status, saved.public_answer) == ("published", None)
        assert [(a.status, a.text) for a in db.session.scalars(db.select(Answer))] == [
            ("declined", "Ce besoin concerne une autre métropole.")]
