"""Merging duplicates: supports add up without counting anyone twice, on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Follow, Submission, User, Vote


def assert_counts_match_rows(app):
    with app.app_context():
        for submission in db.session.scalars(select(Submission)):
            rows = db.session.scalar(select(func.count(Vote.id)).where(
                Vote.submission_id == submission.id))
            assert submission.support_count == rows, submission
        pairs = db.session.execute(select(Vote.submission_id, Vote.user_id)).all()
        assert len(pairs) == len(set(pairs))


def test_two_near_identical_needs_merge_and_supports_add_up(app, client, auth, make, moderator,
                                                            outbox):
    territory, theme = make.territory("Étouvie"), make.theme()
    target = make.submission(make.user(), title="Isolement des personnes âgées à Étouvie",
                             territory=territory, theme=theme)
    duplicate_author = make.user(email="doublon@example.org")
    duplicate = make.submission(duplicate_author, title="Personnes âgées isolées à Étouvie",
                                territory=territory, theme=theme)
    both = [make.user() for _ in range(2)]
    only_target = make.user()
    only_duplicate = [make.user() for _ in range(3)]
    for user in [*both, only_target]:
        make.support(target, user)
    for user in both + only_duplicate:
        make.support(duplicate, user)
    with app.app_context():
        from portal.models import User
        from portal.services.accounts.notifications import follow
        follow(db.session.get(User, duplicate_author.id), db.session.get(Submission, duplicate.id))
        db.session.commit()

    auth.login(moderator)
    review = client.get(f"/moderation/contributions/{target.id}").text
    assert f'value="{duplicate.id}"' in review
    confirm = client.post(f"/moderation/contributions/{target.id}/fusion",
                          data={"sources": [duplicate.id]})
    assert confirm.status_code == 200
    with app.app_context():
        assert db.session.get(Submission, duplicate.id).status == "published"  # not yet
    response = client.post(f"/moderation/contributions/{target.id}/fusion",
                           data={"sources": [duplicate.id], "confirmed": "yes"})
    assert response.status_code == 302

    with app.app_context():
        merged_target = db.session.get(Submission, target.id)
        merged = db.session.get(Submission, duplicate.id)
        assert merged_target.support_count == 2 + 1 + 3
        assert (merged.status, merged.merged_into_id, merged.support_count) == (
            "merged", target.id, 0)
        assert db.session.scalar(select(func.count(Follow.id)).where(
            Follow.submission_id == target.id, Follow.user_id == duplicate_author.id)) == 1
    assert_counts_match_rows(app)
    page = client.get(f"/contributions/{duplicate.id}").text
    assert f'href="/contributions/{target.id}"' in page
    assert outbox.messages("doublon@example.org")


def test_merging_several_at_once_counts_each_resident_once(app, make, moderator):
    from portal.models import User
    from portal.services.submissions.merging import merge

    target_author = make.user()
    target = make.submission(target_author)
    sources = [make.submission() for _ in range(3)]
    crowd = [make.user() for _ in range(4)]
    for source in sources:
        for user in crowd:
            make.support(source, user)
        make.support(source, target_author)
    with app.app_context():
        merge(db.session.get(User, moderator.id),
              [db.session.get(Submission, s.id) for s in sources],
              db.session.get(Submission, target.id))
        assert db.session.get(Submission, target.id).support_count == 4
    assert_counts_match_rows(app)


def test_merge_refuses_itself_and_already_merged(app, client, auth, make, moderator):
    target = make.submission()
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{target.id}/fusion",
                           data={"sources": [target.id]})
    assert response.status_code == 422
    assert client.post(f"/moderation/contributions/{target.id}/fusion",
                       data={"sources": [424242]}).status_code == 404


def test_residents_cannot_merge(client, auth, make, resident):
    target, source = make.submission(), make.submission()
    auth.login(resident)
    assert client.post(f"/moderation/contributions/{target.id}/fusion",
                       data={"sources": [source.id]}).status_code == 403


def test_similar_submissions_are_found_by_shared_words(app, make):
    from portal.services.submissions.merging import similar

    base = make.submission(title="Une épicerie solidaire à Étouvie",
                           body="Les familles modestes d'Étouvie manquent d'une épicerie.")
    close = make.submission(title="Épicerie solidaire pour Étouvie",
                            body="Il faudrait une épicerie solidaire pour les familles.")
    make.submission(
        title="Réparer les vélos", body="Un atelier vélo participatif, ouvert le samedi."
    )
    with app.app_context():
        found = similar(db.session.get(Submission, base.id))
        assert [s.id for s, _score in found] == [close.id]


def test_a_published_supported_contribution_is_never_merged_into_a_pending_one(app, client, auth,
                                                                               make, moderator):
    import html

    from portal.services.core.errors import InvalidInput
    from portal.services.submissions.merging import merge

    published = make.submission(title="Un composteur partagé rue Victor Hugo")
    make.support(published)
    pending = make.submission(status="pending", title="Un composteur partagé rue Hugo")
    auth.login(moderator)
    response = client.post(f"/moderation/contributions/{pending.id}/fusion",
                           data={"sources": [str(published.id)]})
    assert response.status_code == 422
    message = ("«\u202fUn composteur partagé rue Victor Hugo\u202f» est publique "
               "et soutenue\u202f: publiez cette contribution avant d'y fusionner celle-ci.")
    assert message in html.unescape(response.text)
    with app.app_context():
        assert db.session.get(Submission, published.id).status == "published"
        assert db.session.get(Submission, published.id).support_count == 1
        with pytest.raises(InvalidInput) as refused:
            merge(db.session.get(User, moderator.id), [db.session.get(Submission, published.id)],
                  db.session.get(Submission, pending.id))
        assert "est publique et soutenue" in refused.value.message
