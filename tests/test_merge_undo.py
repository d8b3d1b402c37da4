"""A merge states what it will do before it runs, tells the target's author, and can be undone
exactly: each support (and its day), each follow, the counters and the status come back."""
from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import DailySupport, Follow, Notification, Submission, User, Vote, utcnow
from portal.services.accounts.notifications import follow


def plain(text: str) -> str:
    """A page's text with its French spaces (narrow no-break) read as plain ones."""
    return html.unescape(text).replace("\u202f", " ").replace("\xa0", " ")


def rows(app) -> dict:
    """Every row a merge may touch, as plain tuples."""
    with app.app_context():
        return {
            "votes": sorted(db.session.execute(select(
                Vote.id, Vote.submission_id, Vote.user_id, Vote.created_at)).all()),
            "follows": sorted(db.session.execute(select(
                Follow.id, Follow.submission_id, Follow.user_id)).all()),
            "buckets": sorted(db.session.execute(select(
                DailySupport.submission_id, DailySupport.day, DailySupport.count)).all()),
            "submissions": sorted(db.session.execute(select(
                Submission.id, Submission.status, Submission.support_count,
                Submission.merged_into_id, Submission.public_answer)).all()),
        }


def follows(app, user, submission):
    with app.app_context():
        follow(db.session.get(User, user.id), db.session.get(Submission, submission.id))
        db.session.commit()


def setup_pair(app, make, moderator, client, auth):
    """A target with 2 own supporters, a source with 3 supporters of its own and 2 who
    supported both, some supports given on earlier days; the source answered."""
    target_author = make.user(email="cible@example.org")
    target = make.submission(target_author, title="Une laverie solidaire à Étouvie")
    source_author = make.user(email="source@example.org")
    source = make.submission(source_author, title="Laverie solidaire pour Étouvie")
    both = [make.user() for _ in range(2)]
    for user in [*both, make.user(), make.user()]:
        make.support(target, user)
    for user in [*both, *(make.user() for _ in range(3)), target_author]:
        make.support(source, user)
    with app.app_context():  # supports given on other days: the trending buckets must come back
        for days, vote_id in enumerate(db.session.scalars(select(Vote.id).where(
                Vote.submission_id == source.id).order_by(Vote.id)), start=1):
            db.session.execute(update(Vote).where(Vote.id == vote_id)
                               .values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()
        from portal.services.submissions.counters import recount
        recount()
        db.session.commit()
    follows(app, source_author, source)
    follows(app, both[0], source)
    follows(app, both[0], target)
    auth.login(moderator)
    client.post(f"/moderation/contributions/{source.id}/reponse",
                data={"text": "Nous regardons.", "status": "under_study"})
    return target, source


def test_the_confirmation_states_direction_and_counts(app, client, auth, make, moderator):
    target, source = setup_pair(app, make, moderator, client, auth)
    before = rows(app)
    page = client.post(f"/moderation/contributions/{target.id}/fusion",
                       data={"sources": [source.id]})
    text = plain(page.text)
    assert page.status_code == 200
    assert ("« Laverie solidaire pour Étouvie » sera fusionnée dans « Une laverie solidaire à "
            "Étouvie » :") in text
    assert "3 soutiens déplacés" in text
    assert "3 habitant·es y comptent déjà (soutenaient les deux ou l'ont écrite)" in text
    assert rows(app) == before  # the confirmation changes nothing


def test_merge_then_undo_restores_every_row(app, client, auth, make, moderator, outbox):
    target, source = setup_pair(app, make, moderator, client, auth)
    before = rows(app)
    response = client.post(f"/moderation/contributions/{target.id}/fusion",
                           data={"sources": [source.id], "confirmed": "yes"})
    assert response.status_code == 302
    merged = rows(app)
    assert merged != before
    with app.app_context():
        assert db.session.get(Submission, target.id).support_count == 4 + 3
        assert db.session.get(Submission, source.id).status == "merged"
        told = db.session.scalars(select(Notification).join(User).where(
            User.email == "cible@example.org", Notification.event == "merged_here")).all()
        assert len(told) == 1
    assert any("Laverie solidaire pour Étouvie" in message.get_content()
               for message in outbox.messages("cible@example.org"))

    review = client.get(f"/moderation/contributions/{source.id}").text
    assert "Annuler la fusion" in review
    undone = client.post(f"/moderation/contributions/{source.id}/defusion")
    assert undone.status_code == 302
    assert "La fusion est annulée" in plain(client.get(undone.location).text)
    assert rows(app) == before


def test_undo_twice_is_refused_with_a_message(app, client, auth, make, moderator):
    target, source = setup_pair(app, make, moderator, client, auth)
    client.post(f"/moderation/contributions/{target.id}/fusion",
                data={"sources": [source.id], "confirmed": "yes"})
    assert client.post(f"/moderation/contributions/{source.id}/defusion").status_code == 302
    after_first = rows(app)
    again = client.post(f"/moderation/contributions/{source.id}/defusion")
    assert again.status_code == 422
    assert ("Cette contribution n'est pas fusionnée, ou sa fusion a déjà été annulée."
            in plain(again.text))
    assert rows(app) == after_first


def test_undo_is_refused_once_the_target_was_merged_elsewhere(app, client, auth, make,
                                                              moderator):
    target, source = setup_pair(app, make, moderator, client, auth)
    further = make.submission(title="Laverie et repassage solidaires à Étouvie")
    client.post(f"/moderation/contributions/{target.id}/fusion",
                data={"sources": [source.id], "confirmed": "yes"})
    client.post(f"/moderation/contributions/{further.id}/fusion",
                data={"sources": [target.id], "confirmed": "yes"})
    before = rows(app)
    refused = client.post(f"/moderation/contributions/{source.id}/defusion")
    assert refused.status_code == 422
    assert ("« Une laverie solidaire à Étouvie » a depuis été fusionnée dans une autre "
            "contribution : annulez d'abord cette fusion.") in plain(refused.text)
    assert rows(app) == before
    # Undoing the later merge first, then the earlier one, brings back the very first state.
    assert client.post(f"/moderation/contributions/{target.id}/defusion").status_code == 302
    assert client.post(f"/moderation/contributions/{source.id}/defusion").status_code == 302


def test_a_contribution_never_merged_cannot_be_unmerged(app, client, auth, make, moderator,
                                                        resident):
    lone = make.submission()
    auth.login(moderator)
    assert client.post(f"/moderation/contributions/{lone.id}/defusion").status_code == 422
    auth.logout()
    auth.login(resident)
    assert client.post(f"/moderation/contributions/{lone.id}/defusion").status_code == 403


def test_merge_and_undo_are_journaled(app, client, auth, make, moderator):
    from portal.models import AuditEntry

    target, source = setup_pair(app, make, moderator, client, auth)
    client.post(f"/moderation/contributions/{target.id}/fusion",
                data={"sources": [source.id], "confirmed": "yes"})
    client.post(f"/moderation/contributions/{source.id}/defusion")
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_id == source.id, AuditEntry.target_type == "submissions")).all()
    assert actions[-2:] == ["merge", "merge_undo"]
