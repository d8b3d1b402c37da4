"""Comments, flags, supports and merges: every refusal of their use cases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.models import SubmissionStatus, utcnow
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.submissions import comments, flags, merging, moderation, posting, votes

BODY = "Un texte assez long pour décrire ce qui manque dans le quartier."


@pytest.fixture
def world(ctx, make):
    """A published contribution, moderated in pre-moderation mode as the app does it."""
    territory, theme = make.territory(), make.theme()
    author, moderator = ctx.get(make.user()), ctx.get(make.user(role="moderator"))

    def contribution(title="Un banc place du marché", publish=True):
        submission = posting.submit(author, kind="need", title=title, body=BODY,
                                    territory_id=territory.id, theme_id=theme.id)
        return posting.publish(submission, moderator) if publish else submission

    return type("World", (), {"author": author, "moderator": moderator,
                              "contribution": staticmethod(contribution)})


def blocked(ctx, make):
    user = ctx.get(make.user())
    user.blocked_at = utcnow()
    return user


def test_comment_refusals(ctx, make, world):
    submission, reader = world.contribution(), ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        comments.add_comment(reader, submission, " x ")
    assert caught.value.errors == {"body": ["Write at least 2 characters."]}
    with pytest.raises(InvalidInput) as caught:
        comments.add_comment(reader, submission, "x" * 5001)
    assert caught.value.errors == {"body": ["Write at most 5000 characters."]}
    with pytest.raises(NotAllowed, match="blocked by the moderators"):
        comments.add_comment(blocked(ctx, make), submission, "Bonne idée")
    pending = world.contribution("Une fontaine", publish=False)
    with pytest.raises(NotAllowed, match="cannot comment on this contribution"):
        comments.add_comment(reader, pending, "Bonne idée")
    comment = comments.add_comment(reader, submission, "  Bonne idée  ")
    assert comment.body == "Bonne idée"
    with pytest.raises(InvalidInput) as caught:
        comments.edit_comment(reader, comment, "")
    assert caught.value.errors == {"body": ["This field is required."]}
    with pytest.raises(NotAllowed, match="within 15 minutes"):
        comments.edit_comment(ctx.get(make.user()), comment, "Très bonne idée")
    comment.created_at = utcnow() - timedelta(hours=1)
    with pytest.raises(NotAllowed, match="within 15 minutes"):
        comments.edit_comment(reader, comment, "Très bonne idée")
    with pytest.raises(NotAllowed, match="cannot delete this comment"):
        comments.delete_comment(ctx.get(make.user()), comment)
    comments.delete_comment(world.moderator, comment)
    with pytest.raises(NotAllowed, match="cannot delete this comment"):
        comments.delete_comment(reader, comment)


def test_flag_refusals(ctx, make, world):
    submission, reader = world.contribution(), ctx.get(make.user())
    with pytest.raises(InvalidInput) as caught:
        flags.flag_submission(reader, submission, "boring", "x" * 1001)
    assert caught.value.errors == {"reason": ["Choose one of the offered reasons."],
                                   "details": ["Write at most 1000 characters."]}
    with pytest.raises(NotAllowed, match="cannot report this contribution"):
        flags.flag_submission(world.author, submission, "spam")
    with pytest.raises(NotAllowed, match="blocked by the moderators"):
        flags.flag_submission(blocked(ctx, make), submission, "spam")
    flags.flag_submission(reader, submission, "spam", "  publicité  ")
    with pytest.raises(NotAllowed, match="already reported"):
        flags.flag_submission(reader, submission, "spam")
    comment = comments.add_comment(world.author, submission, "Merci à tous")
    with pytest.raises(NotAllowed, match="cannot report this comment"):
        flags.flag_comment(world.author, comment, "spam")
    with pytest.raises(NotAllowed, match="Only moderators"):
        flags.restore(reader, submission)
    with pytest.raises(NotAllowed, match="Only moderators"):
        flags.confirm_hidden(reader, comment)


def test_support_refusals(ctx, make, world):
    submission = world.contribution()
    with pytest.raises(NotAllowed, match="cannot support your own contribution"):
        votes.support(world.author, submission)
    with pytest.raises(NotAllowed, match="blocked by the moderators"):
        votes.support(blocked(ctx, make), submission)
    with pytest.raises(NotAllowed, match="Confirm your e-mail address"):
        votes.support(ctx.get(make.user(verified=False)), submission)
    posting.withdraw(submission, world.author)
    with pytest.raises(NotAllowed, match="cannot support this contribution"):
        votes.support(ctx.get(make.user()), submission)


def test_merge_refusals(ctx, make, world):
    target, source = world.contribution(), world.contribution("Un banc près du marché")
    with pytest.raises(NotAllowed, match="Only moderators"):
        merging.merge(world.author, [source], target)
    with pytest.raises(InvalidInput, match="at least one contribution"):
        merging.merge(world.moderator, [], target)
    with pytest.raises(InvalidInput, match="cannot be merged into itself"):
        merging.merge(world.moderator, [target], target)
    posting.withdraw(source, world.author)
    with pytest.raises(InvalidInput, match="already merged or withdrawn"):
        merging.merge(world.moderator, [source], target)
    with pytest.raises(InvalidInput, match="published or awaiting moderation"):
        merging.merge(world.moderator, [target], source)
    assert source.status == SubmissionStatus.WITHDRAWN


def test_decline_then_answer_a_declined_one(ctx, world):
    submission = world.contribution()
    posting.decline(submission, world.moderator, "Cela existe déjà au centre social.")
    moderation.answer(submission, world.moderator, "Nous y revenons.", SubmissionStatus.PUBLISHED)
    assert submission.status == SubmissionStatus.PUBLISHED


def test_moderators_restore_or_confirm_what_was_flagged(ctx, make, world):
    submission = world.contribution()
    comment = comments.add_comment(world.author, submission, "Merci à tous")
    flags.flag_submission(ctx.get(make.user()), submission, "spam")
    flags.flag_comment(ctx.get(make.user()), comment, "insult")
    flags.confirm_hidden(world.moderator, submission)
    flags.confirm_hidden(world.moderator, comment)
    assert submission.status == SubmissionStatus.HIDDEN and comment.is_hidden
    flags.restore(world.moderator, submission)
    flags.restore(world.moderator, comment)
    assert submission.status == SubmissionStatus.PUBLISHED and not comment.is_hidden
    assert (submission.flag_count, comment.flag_count) == (0, 0)
