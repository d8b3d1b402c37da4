"""Reports: once per resident, hidden at the threshold, then restored or kept hidden."""
from __future__ import annotations

from portal.extensions import db
from portal.models import Comment, Submission


def status(app, submission_id):
    with app.app_context():
        return db.session.get(Submission, submission_id).status


def comment_state(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.hidden_at is not None, comment.flag_count


def flag_comment(client, auth, user, comment):
    auth.login(user)
    response = client.post(f"/contributions/commentaires/{comment.id}/signaler",
                           data={"reason": "insult"})
    auth.logout()
    return response


def test_three_reports_hide_an_insulting_comment_until_a_moderator_decides(app, client, auth,
                                                                          make, moderator,
                                                                          outbox):
    submission = make.submission()
    author = make.user(email="insulte@example.org")
    comment = make.comment(submission, author, "Vous êtes tous des imbéciles")
    reporters = [make.user() for _ in range(3)]
    flag_comment(client, auth, reporters[0], comment)
    flag_comment(client, auth, reporters[0], comment)
    assert comment_state(app, comment.id) == (False, 1)
    flag_comment(client, auth, reporters[1], comment)
    flag_comment(client, auth, reporters[2], comment)
    assert comment_state(app, comment.id) == (True, 3)
    assert "imbéciles" not in client.get(f"/contributions/{submission.id}").text
    assert outbox.messages("insulte@example.org")

    auth.login(moderator)
    assert "imbéciles" in client.get("/moderation/signalements").text
    client.post(f"/moderation/signalements/commentaire/{comment.id}/masquer")
    assert comment_state(app, comment.id) == (True, 0)
    assert "imbéciles" not in client.get("/moderation/signalements").text


def test_a_moderator_restores_unfounded_reports(app, client, auth, make, moderator):
    need = make.submission()
    for _ in range(3):
        auth.login(make.user())
        client.post(f"/contributions/{need.id}/signaler", data={"reason": "spam"})
        auth.logout()
    assert status(app, need.id) == "hidden"
    assert client.get(f"/contributions/{need.id}").status_code == 404
    auth.login(moderator)
    client.post(f"/moderation/signalements/contribution/{need.id}/retablir")
    assert status(app, need.id) == "published"
    with app.app_context():
        assert db.session.get(Submission, need.id).flag_count == 0


def test_reports_need_a_reason_and_not_on_ones_own_content(app, client, auth, make):
    author = make.user()
    need = make.submission(author)
    auth.login(make.user())
    client.post(f"/contributions/{need.id}/signaler", data={"reason": "because"})
    auth.logout()
    auth.login(author)
    client.post(f"/contributions/{need.id}/signaler", data={"reason": "spam"})
    with app.app_context():
        assert db.session.get(Submission, need.id).flag_count == 0


def test_visitors_cannot_report(client, make):
    need = make.submission()
    response = client.post(f"/contributions/{need.id}/signaler", data={"reason": "spam"})
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def test_residents_cannot_decide_on_reports(client, auth, make, resident):
    need = make.submission()
    auth.login(resident)
    assert client.post(
        f"/moderation/signalements/contribution/{need.id}/retablir").status_code == 403
