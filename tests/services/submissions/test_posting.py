"""Posting, editing, withdrawing, publishing and declining: every refusal of the use cases."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Revision, Submission, SubmissionStatus, utcnow
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.submissions import posting

BODY = "Un texte assez long pour décrire ce qui manque dans le quartier."


def post(author, territory, theme, **values):
    fields = {"kind": "need", "title": "Un banc place du marché", "body": BODY,
              "territory_id": territory.id, "theme_id": theme.id, **values}
    return posting.submit(author, **fields)


def test_one_error_carries_every_failed_field(ctx, make):
    author, territory, theme = ctx.get(make.user()), make.territory(), make.theme()
    with pytest.raises(InvalidInput) as caught:
        posting.submit(author, kind="need", title="", body="x" * 20, territory_id=territory.id,
                       theme_id=theme.id)
    assert caught.value.errors == {"title": ["This field is required."],
                                   "body": ["Write at least 30 characters."]}
    assert db.session.query(Submission).count() == 0


def test_too_long_texts_and_unknown_choices_are_refused(ctx, make):
    author = ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        posting.submit(author, kind="poem", title="t" * 500, body="b" * 10_001,
                       territory_id=9999, theme_id=None, target_public="p" * 161,
                       author_offer="maybe", source="rumour")
    errors = caught.value.errors
    assert errors["title"] == ["Write at most 160 characters."]
    assert errors["body"] == ["Write at most 10000 characters."]
    assert errors["target_public"] == ["Write at most 160 characters."]
    assert errors["kind"] == ["Choose whether this is a need or an idea."]
    assert errors["territory"] == ["Choose a territory from the list."]
    assert errors["theme"] == ["Choose a theme from the list."]
    assert errors["author_offer"] == ["Choose one of the offered answers."]
    assert errors["source"] == ["Choose one of the offered answers."]


def test_blocked_and_unconfirmed_accounts_cannot_post(ctx, make):
    territory, theme = make.territory(), make.theme()
    blocked = ctx.get(make.user())
    blocked.blocked_at = utcnow()
    with pytest.raises(NotAllowed, match="blocked by the moderators"):
        post(blocked, territory, theme)
    with pytest.raises(NotAllowed, match="Confirm your e-mail address"):
        post(ctx.get(make.user(verified=False)), territory, theme)


def test_texts_are_stored_stripped(ctx, make):
    submission = post(ctx.get(make.user()), make.territory(), make.theme(),
                      title="  Un banc place du marché  ", target_public="   ")
    assert submission.title == "Un banc place du marché" and submission.target_public is None
    assert submission.status == SubmissionStatus.PENDING


def test_edit_checks_the_same_rules_and_who_may_edit(ctx, make):
    author, territory, theme = ctx.get(make.user()), make.territory(), make.theme()
    submission = post(author, territory, theme)
    with pytest.raises(InvalidInput) as caught:
        posting.edit(submission, author, title="court", body="", territory_id=territory.id,
                     theme_id=theme.id, target_public=None, author_offer="none")
    assert set(caught.value.errors) == {"title", "body"}
    with pytest.raises(NotAllowed, match="can no longer be edited"):
        posting.edit(submission, ctx.get(make.user()), title="Un autre titre", body=BODY,
                     territory_id=territory.id, theme_id=theme.id, target_public=None,
                     author_offer="none")
    posting.edit(submission, author, title="Un banc et une fontaine", body=BODY,
                 territory_id=territory.id, theme_id=theme.id, target_public="Les aînés",
                 author_offer="carry")
    assert submission.title == "Un banc et une fontaine"
    assert db.session.query(Revision).filter_by(submission_id=submission.id).count() == 1


def test_withdraw_publish_and_decline_refusals(ctx, make):
    author, territory, theme = ctx.get(make.user()), make.territory(), make.theme()
    moderator = ctx.get(make.user(role="moderator"))
    submission = post(author, territory, theme)
    with pytest.raises(NotAllowed, match="cannot withdraw"):
        posting.withdraw(submission, ctx.get(make.user()))
    with pytest.raises(NotAllowed, match="cannot be published now"):
        posting.publish(submission, author)
    with pytest.raises(NotAllowed, match="cannot be declined now"):
        posting.decline(submission, author, "Une raison suffisante.")
    with pytest.raises(InvalidInput) as caught:
        posting.decline(submission, moderator, "   ")
    assert caught.value.errors == {"reason": ["Give the reason residents will read."]}
    with pytest.raises(InvalidInput) as caught:
        posting.decline(submission, moderator, "Non.")
    assert caught.value.errors == {"reason": ["Write at least 10 characters."]}
    posting.decline(submission, moderator, "  Cela existe déjà au centre social.  ")
    assert submission.public_answer == "Cela existe déjà au centre social."
    with pytest.raises(NotAllowed, match="cannot withdraw"):
        posting.withdraw(submission, author)
