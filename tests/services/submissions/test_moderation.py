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


def test_bulk_publish_refuses_everything_when_one_item_fails(ctx, pending, moderator):
    """A failure on one item (here the actor loses the right mid-way: a resident) publishes
    none of them."""
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
