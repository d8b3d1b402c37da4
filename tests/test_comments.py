"""Comments: posted on open submissions, edited for 15 minutes, deleted without breaking threads."""
from __future__ import annotations

from portal.extensions import db
from portal.models import Comment, Submission


def comment_count(app, submission_id):
    with app.app_context():
        return db.session.get(Submission, submission_id).comment_count


def test_a_resident_comments_and_markdown_is_sanitised(app, client, auth, resident, make):
    submission = make.submission()
    auth.login(resident)
    body = "Même constat à **Longueau** <script>alert(1)</script> [lien](javascript:alert(1))"
    response = client.post(f"/contributions/{submission.id}/commentaires", data={"body": body})
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    page = client.get(f"/contributions/{submission.id}").text
    assert "<strong>Longueau</strong>" in page
    assert "<script>alert" not in page and "javascript:" not in page
    assert comment_count(app, submission.id) == 1


def test_an_empty_comment_comes_back_with_a_message(app, client, auth, resident, make):
    submission = make.submission()
    auth.login(resident)
    response = client.post(f"/contributions/{submission.id}/commentaires", data={"body": " "})
    assert response.status_code == 422 and 'id="body-error"' in response.text
    assert comment_count(app, submission.id) == 0


def test_no_comment_on_a_pending_submission(app, client, auth, resident, make):
    submission = make.submission(resident, status="pending")
    auth.login(resident)
    response = client.post(f"/contributions/{submission.id}/commentaires",
                           data={"body": "Un commentaire"})
    assert response.status_code == 403
    assert comment_count(app, submission.id) == 0


def test_the_author_edits_within_fifteen_minutes_only(app, client, auth, resident, make):
    submission = make.submission()
    fresh = make.comment(submission, resident, "Premier jet")
    old = make.comment(submission, resident, "Écrit il y a longtemps", age_minutes=16)
    auth.login(resident)
    response = client.post(f"/contributions/commentaires/{fresh.id}/modifier",
                           data={"body": "Version corrigée"})
    assert response.status_code == 302
    with app.app_context():
        edited = db.session.get(Comment, fresh.id)
        assert edited.body == "Version corrigée" and edited.edited_at is not None
    assert client.post(f"/contributions/commentaires/{old.id}/modifier",
                       data={"body": "Trop tard"}).status_code == 403
    auth.logout()
    auth.login(make.user())
    assert client.get(f"/contributions/commentaires/{fresh.id}/modifier").status_code == 403


def test_deleting_keeps_the_thread(app, client, auth, resident, make):
    submission = make.submission()
    comment = make.comment(submission, resident, "Un avis que je retire")
    make.comment(submission, body="Une réponse qui reste")
    auth.login(make.user())
    client.post(f"/contributions/commentaires/{comment.id}/supprimer")
    assert comment_count(app, submission.id) == 2
    auth.logout()
    auth.login(resident)
    client.post(f"/contributions/commentaires/{comment.id}/supprimer")
    page = client.get(f"/contributions/{submission.id}").text
    assert "Un avis que je retire" not in page and "Une réponse qui reste" in page
    assert comment_count(app, submission.id) == 1
    with app.app_context():
        assert db.session.get(Comment, comment.id).body == "Un avis que je retire"


def test_a_moderator_deletes_any_comment(app, client, auth, moderator, make):
    submission = make.submission()
    comment = make.comment(submission, body="Contenu à retirer")
    auth.login(moderator)
    client.post(f"/contributions/commentaires/{comment.id}/supprimer")
    assert comment_count(app, submission.id) == 0


def test_unknown_comment_is_404(client, auth, resident):
    auth.login(resident)
    assert client.get("/contributions/commentaires/999/modifier").status_code == 404
    assert client.post("/contributions/commentaires/999/supprimer").status_code == 404
