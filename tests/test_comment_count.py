"""Hidden comments are not counted: the page, the listing card and the open data agree with the
thread a visitor reads, whoever hid or showed the comment (reports, a moderator, a block)."""
from __future__ import annotations

import html

from portal.extensions import db
from portal.models import Submission


def _counts(client, submission_id: int) -> tuple[str, int]:
    """What a visitor reads: the heading of the thread, the open data's count."""
    page = html.unescape(client.get(f"/contributions/{submission_id}").text)
    heading = page.split('id="comments-title">', 1)[1].split("<", 1)[0]
    items = client.get("/donnees-ouvertes/contributions.json").get_json()["items"]
    exported = next(item["comment_count"] for item in items if item["id"] == submission_id)
    return heading, exported


def _report(client, auth, make, comment_id: int, times: int = 3) -> None:
    for _ in range(times):
        auth.login(make.user())
        client.post(f"/contributions/commentaires/{comment_id}/signaler",
                    data={"reason": "insult"})
        auth.logout()


def test_reports_hide_a_comment_from_the_count_and_a_restore_brings_it_back(
        app, client, auth, make, moderator):
    need = make.submission(title="Une laverie solidaire")
    make.comment(need, body="Très utile")
    rude = make.comment(need, body="Propos injurieux")
    assert _counts(client, need.id) == ("2 commentaires", 2)

    _report(client, auth, make, rude.id)
    assert _counts(client, need.id) == ("1 commentaire", 1)

    auth.login(moderator)
    client.post(f"/moderation/signalements/commentaire/{rude.id}/retablir")
    auth.logout()
    assert _counts(client, need.id) == ("2 commentaires", 2)

    _report(client, auth, make, rude.id)
    auth.login(moderator)
    client.post(f"/moderation/signalements/commentaire/{rude.id}/masquer")
    assert _counts(client, need.id) == ("1 commentaire", 1)
    # Deleting a comment already hidden does not take it off the count twice.
    client.post(f"/contributions/commentaires/{rude.id}/supprimer")
    assert _counts(client, need.id) == ("1 commentaire", 1)
    client.post(f"/moderation/masques/commentaire/{rude.id}/retablir")
    assert _counts(client, need.id) == ("1 commentaire", 1)


def test_a_block_that_hides_comments_takes_them_off_the_count_and_unblocking_restores_it(
        app, client, auth, make, moderator):
    need = make.submission()
    author = make.user(display_name="Dominique")
    make.comment(need, author, body="Premier commentaire de Dominique")
    make.comment(need, author, body="Second commentaire de Dominique")
    make.comment(need, body="Un autre avis")
    auth.login(moderator)
    client.post(f"/moderation/comptes/{author.id}/bloquer", data={"hide_content": "y"})
    assert _counts(client, need.id) == ("1 commentaire", 1)
    client.post(f"/moderation/comptes/{author.id}/debloquer", data={"restore_content": "y"})
    assert _counts(client, need.id) == ("3 commentaires", 3)


def test_deleting_a_visible_comment_counts_it_out_once(app, client, auth, make):
    need = make.submission()
    author = make.user()
    comment = make.comment(need, author)
    auth.login(author)
    client.post(f"/contributions/commentaires/{comment.id}/supprimer")
    client.post(f"/contributions/commentaires/{comment.id}/supprimer")
    assert _counts(client, need.id) == ("0 commentaire", 0)
    with app.app_context():
        assert db.session.get(Submission, need.id).comment_count == 0
