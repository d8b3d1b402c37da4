"""The moderators' use cases: review, details, answer, bulk actions, blocking, roles, templates."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import AuditEntry, ReplyTemplate, SubmissionStatus
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.submissions import moderation, posting

BODY = "Un texte assez long pour décrire ce qui manque dans le quartier."


@pytest.fixture
def pending(ctx, make):
    territory, theme = make.territory(), make.theme()
    author = ctx.get(make.user())

    def build(title="Un banc place du marché"):
        return posting.submit(author, kind="need", title=title, body=BODY,
                              territory_id=territory.id, theme_id=theme.id)

    return build


@pytest.fixture
def moderator(ctx, make):
    return ctx.get(make.user(role="moderator"))


def test_review_checks_content_and_tags_together(ctx, pending, moderator):
    submission = pending()
    with pytest.raises(InvalidInput) as caught:
        moderation.review(submission, moderator, title="", body="court",
                          territory_id=submission.territory_id, theme_id=submission.theme_id,
                          tags="x" * 61)
    assert caught.value.errors == {"tags": ["A tag has at most 60 characters."],
                                   "title": ["This field is required."],
                                   "body": ["Write at least 30 characters."]}
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.review(submission, ctx.get(submission.author), title="Un bon titre",
                          body=BODY, territory_id=submission.territory_id,
                          theme_id=submission.theme_id, tags="")
    moderation.review(submission, moderator, title="Un banc, place du marché", body=BODY,
                      territory_id=submission.territory_id, theme_id=submission.theme_id,
                      tags="Mobilier, aînés, mobilier")
    assert sorted(t.name for t in submission.tags) == ["aînés", "mobilier"]


def test_request_details_refusals(ctx, pending, moderator):
    submission = pending()
    with pytest.raises(InvalidInput) as caught:
        moderation.request_details(submission, moderator, "  ")
    assert caught.value.errors == {"message": ["Say what is missing."]}
    with pytest.raises(InvalidInput) as caught:
        moderation.request_details(submission, moderator, "x" * 2001)
    assert caught.value.errors == {"message": ["Write at most 2000 characters."]}
    posting.publish(submission, moderator)
    with pytest.raises(NotAllowed, match="Only a contribution awaiting moderation"):
        moderation.request_details(submission, moderator, "Où exactement ?")


def test_answer_refusals(ctx, pending, moderator):
    submission = pending()
    with pytest.raises(NotAllowed, match="Publish this contribution before answering"):
        moderation.answer(submission, moderator, "Merci.", SubmissionStatus.UNDER_STUDY)
    posting.publish(submission, moderator)
    with pytest.raises(InvalidInput) as caught:
        moderation.answer(submission, moderator, " ", "merged")
    assert caught.value.errors == {"status": ["Choose one of the offered statuses."],
                                   "text": ["Write the answer residents will read."]}
    with pytest.raises(InvalidInput) as caught:
        moderation.answer(submission, moderator, "x" * 5001, SubmissionStatus.UNDER_STUDY)
    assert caught.value.errors == {"text": ["Write at most 5000 characters."]}
    moderation.answer(submission, moderator, "  Nous étudions.  ", SubmissionStatus.UNDER_STUDY)
    assert submission.public_answer == "Nous étudions."
    assert submission.status == SubmissionStatus.UNDER_STUDY


def test_bulk_publish_is_one_transaction(app, ctx, pending, moderator):
    first, second, third = pending(), pending("Une fontaine"), pending("Un jardin partagé")
    fourth = pending("Un atelier vélo")
    posting.publish(fourth, moderator)  # already published: left as it is, not counted
    commits = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn: commits.append(conn)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        count = moderation.bulk_publish([first.id, second.id, third.id, fourth.id], moderator)
    finally:
        event.remove(engine, "commit", listener)
    # One commit for the three, then (today) one by `notifications.deliver` after it.
    assert count == 3 and len(commits) <= 2
    assert {first.status, second.status, third.status} == {SubmissionStatus.PUBLISHED}
    assert db.session.query(AuditEntry).filter_by(action="publish").count() == 4


def test_bulk_publish_by_a_resident_publishes_none(ctx, pending, moderator):
    """Refused as a whole: nothing is published (all or nothing holds because the items share
    one commit, see the test above)."""
    first, second = pending(), pending("Une fontaine")
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.bulk_publish([first.id, second.id], ctx.get(first.author))
    assert {first.status, second.status} == {SubmissionStatus.PENDING}


def test_bulk_tag_refusals(ctx, pending, moderator):
    submission = pending()
    for text, message in (("", "This field is required."), (" , ,", "Give at least one tag."),
                          ("x" * 301, "Write at most 300 characters."),
                          ("y" * 61, "A tag has at most 60 characters.")):
        with pytest.raises(InvalidInput) as caught:
            moderation.bulk_tag([submission.id], moderator, text)
        assert caught.value.errors == {"tags": [message]}
    assert moderation.bulk_tag([submission.id], moderator, "aînés") == 1


def test_who_can_be_blocked(ctx, make, moderator):
    resident = ctx.get(make.user())
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.block(ctx.get(make.user()), resident, hide_content=False)
    for other in (moderator, ctx.get(make.user(role="moderator")),
                  ctx.get(make.user(role="admin"))):
        with pytest.raises(NotAllowed, match="cannot be blocked here"):
            moderation.block(moderator, other, hide_content=False)
    moderation.block(moderator, resident, hide_content=True)
    assert resident.is_blocked
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.unblock(resident, resident)


def test_change_role_refusals(ctx, make):
    admin, user = ctx.get(make.user(role="admin")), ctx.get(make.user())
    with pytest.raises(NotAllowed, match="Only administrators"):
        moderation.change_role(ctx.get(make.user(role="moderator")), user, "moderator")
    with pytest.raises(NotAllowed, match="your own role"):
        moderation.change_role(admin, admin, "resident")
    with pytest.raises(InvalidInput) as caught:
        moderation.change_role(admin, user, "king")
    assert caught.value.errors == {"role": ["Choose one of the offered roles."]}
    assert moderation.change_role(admin, user, "committee").role == "committee"


def test_reply_template_refusals(ctx, moderator):
    with pytest.raises(InvalidInput) as caught:
        moderation.save_template(moderator, None, " ", "x" * 5001)
    assert caught.value.errors == {"title": ["This field is required."],
                                   "body": ["Write at most 5000 characters."]}
    with pytest.raises(NotAllowed, match="Only moderators"):
        moderation.save_template(None, None, "Doublon", "Cela existe déjà.")
    template = moderation.save_template(moderator, None, " Doublon ", " Cela existe déjà. ")
    assert (template.title, template.body) == ("Doublon", "Cela existe déjà.")
    assert db.session.query(ReplyTemplate).count() == 1


def test_the_dashboard_only_reads(ctx, count_queries, moderator):
    with count_queries() as counter:
        moderation.dashboard(moderator, since=None)
    assert all(s.lstrip().upper().startswith("SELECT") for s in counter.statements)


def test_the_queue_filters_and_sets_aside_those_waiting_for_their_author(ctx, make, moderator):
    territory, theme = make.territory(), make.theme()
    author = ctx.get(make.user())
    need = posting.submit(author, kind="need", title="Un banc place du marché", body=BODY,
                          territory_id=territory.id, theme_id=theme.id)
    idea = posting.submit(author, kind="idea", title="Une fontaine au parc", body=BODY,
                          territory_id=make.territory().id, theme_id=make.theme().id)
    moderation.request_details(idea, moderator, "Quel parc ?")
    items, waiting = moderation.queue()
    assert (items.items, waiting) == ([need], [idea])
    assert moderation.queue(kind="idea")[0].items == []
    items, waiting = moderation.queue(kind="need", theme_id=theme.id, source="resident",
                                      territory_id=territory.id)
    assert (items.items, waiting) == ([need], [])
    items, waiting = moderation.queue(territory_id=make.territory().id)
    assert (items.items, waiting) == ([], [])


def test_searching_accounts_and_reading_the_journal(ctx, make, moderator, pending):
    make.user(email="zoe@example.org", display_name="Zoé 50%")
    assert [u.display_name for u in moderation.search_users("50%").items] == ["Zoé 50%"]
    assert [u.email for u in moderation.search_users("ZOE@").items] == ["zoe@example.org"]
    assert moderation.search_users(None).total == 3  # Zoé, the moderator, an author
    submission = pending()
    posting.publish(submission, moderator)
    assert moderation.journal_actions() == ["publish"]
    assert moderation.journal_actors() == [moderator]
    assert moderation.journal(action="publish", actor_id=moderator.id,
                              target_type="submissions").total == 1
    assert moderation.journal(action="decline").total == 0
    assert moderation.submissions_by_id([submission.id]) == [submission]
    assert moderation.revisions(submission) == []
    assert moderation.reply_templates() == []


def test_blocking_may_hide_contributions_and_comments(ctx, make, moderator, pending):
    from portal.services.submissions import comments

    submission = posting.publish(pending(), moderator)
    commenter = ctx.get(make.user())
    comments.add_comment(commenter, submission, "Bonne idée")
    moderation.block(moderator, commenter, hide_content=True)
    assert db.session.query(AuditEntry).filter_by(action="block").one().after["hidden_items"] == 1
    moderation.unblock(moderator, commenter)
    assert not commenter.is_blocked
