"""Every refusal a use case raises reaches the person as a page that says why: 403 with its
reason, a form shown again (422) with each message on its field and what was typed kept."""
from __future__ import annotations

from portal.extensions import db
from portal.models import ReplyTemplate, Submission, User
from portal.services.submissions import moderation, posting

BODY = "Un texte assez long pour décrire ce qui manque dans le quartier."
BLOCKED = "Votre compte est bloqué par l’équipe de modération"


def pending(app, make, author=None):
    """A contribution posted through the use case, as the form does (pre-moderation)."""
    author = author or make.user()
    territory, theme = make.territory(), make.theme()
    with app.test_request_context():
        submission = posting.submit(db.session.get(User, author.id), kind="need",
                                    title="Un banc place du marché", body=BODY,
                                    territory_id=territory.id, theme_id=theme.id)
        return submission.id


def published(app, make, moderator, author=None):
    submission_id = pending(app, make, author)
    with app.test_request_context():
        posting.publish(db.session.get(Submission, submission_id),
                        db.session.get(User, moderator.id))
    return submission_id


def block(app, moderator, user):
    with app.test_request_context():
        moderation.block(db.session.get(User, moderator.id), db.session.get(User, user.id),
                         hide_content=False)


def test_a_blocked_resident_who_posts_is_told_why(app, client, auth, make, moderator, resident):
    territory, theme = make.territory(), make.theme()
    auth.login(resident)
    block(app, moderator, resident)
    for response in (client.get("/contributions/nouvelle"),
                     client.post("/contributions/nouvelle", data={
                         "kind": "need", "title": "Un banc place du marché", "body": BODY,
                         "territory": territory.id, "theme": theme.id, "author_offer": "none"})):
        assert response.status_code == 403
        assert BLOCKED in response.text


def test_a_blocked_resident_cannot_support_comment_or_report(app, client, auth, make, moderator,
                                                              resident):
    submission_id = published(app, make, moderator)
    auth.login(resident)
    block(app, moderator, resident)
    for url, data in ((f"/contributions/{submission_id}/soutenir", {}),
                      (f"/contributions/{submission_id}/commentaires", {"body": "Bonne idée"}),
                      (f"/contributions/{submission_id}/signaler", {"reason": "spam"})):
        response = client.post(url, data=data)
        assert response.status_code == 403 and BLOCKED in response.text, url


def test_the_review_form_shows_the_services_refusal_on_its_field(app, client, auth, make,
                                                                 moderator):
    submission_id = pending(app, make)
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        territory_id, theme_id = submission.territory_id, submission.theme_id
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{submission_id}", data={
        "title": "Un banc, place du marché", "body": BODY, "territory": territory_id,
        "theme": theme_id, "tags": "mobilier, " + "x" * 61})
    assert response.status_code == 422
    assert "Une étiquette a au plus 60 caractères." in response.text
    assert "Un banc, place du marché" in response.text  # what was typed is kept


def test_a_short_template_as_decline_reason_is_refused_on_the_form(app, client, auth, make,
                                                                  moderator):
    submission_id = pending(app, make)
    with app.app_context():
        template = ReplyTemplate(title="Court", body="Non.")
        db.session.add(template)
        db.session.commit()
        template_id = template.id
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{submission_id}/refuser",
                           data={"template": template_id, "reason": ""})
    assert response.status_code == 422
    assert "Écrivez au moins 10 caractères." in response.text


def test_moderation_refusals_are_403_pages_with_their_reason(app, client, auth, make, admin,
                                                              moderator):
    waiting = pending(app, make)
    public = published(app, make, moderator)
    auth.login(admin)
    cases = [
        (f"/moderation/contributions/{waiting}/reponse",
         {"text": "Merci.", "status": "under_study"}, "Publiez cette contribution avant"),
        (f"/moderation/contributions/{public}/details", {"message": "Où ?"},
         "Seule une contribution en attente de modération"),
        (f"/moderation/comptes/{moderator.id}/bloquer", {}, "ne peuvent pas être bloqué·es"),
        (f"/moderation/comptes/{admin.id}/role", {"role": "resident"},
         "Vous ne pouvez pas changer votre propre rôle."),
    ]
    for url, data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert message in response.text, url


def test_a_tag_too_long_in_a_bulk_action_is_shown_on_the_confirmation(app, client, auth, make,
                                                                     moderator):
    submission_id = pending(app, make)
    auth.login(moderator)
    response = client.post("/moderation/file-d-attente/lot", data={
        "ids": [submission_id], "action": "tag", "tags": "y" * 61, "confirmed": "yes"})
    assert response.status_code == 422
    assert "Une étiquette a au plus 60 caractères." in response.text


def test_bulk_publish_through_the_queue(app, client, auth, make, moderator):
    first, second = pending(app, make), pending(app, make)
    auth.login(moderator)
    response = client.post("/moderation/file-d-attente/lot", data={
        "ids": [first, second], "action": "publish", "confirmed": "yes"},
        follow_redirects=True)
    assert "2 contributions publiées." in response.text
    with app.app_context():
        assert {db.session.get(Submission, i).status for i in (first, second)} == {"published"}


def test_opening_the_dashboard_writes_nothing(app, client, auth, make, moderator,
                                             count_queries):
    make.submission(status="pending")
    auth.login(moderator)
    client.get("/moderation/")
    with count_queries() as counter:
        response = client.get("/moderation/")
    assert response.status_code == 200
    writes = [s for s in counter.statements
              if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    with client.session_transaction() as cookie:
        assert cookie["moderation_last_visit"]


def test_the_dashboard_counts_what_others_did_since_the_previous_visit(app, client, auth, make,
                                                                       moderator):
    auth.login(moderator)
    client.get("/moderation/")
    other = make.user(role="moderator")
    published(app, make, other)
    with client.session_transaction() as cookie:
        cookie["moderation_last_visit"] = "2000-01-01T00:00:00"
    page = client.get("/moderation/").text
    assert "<strong>1</strong>" in page
    with client.session_transaction() as cookie:
        cookie["moderation_last_visit"] = "not a date"
    assert client.get("/moderation/").status_code == 200
