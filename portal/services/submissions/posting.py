"""Posting, editing, withdrawing and the first moderation decisions on a submission."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ... import policies
from ...extensions import db
from ...models import (
    Answer,
    AuthorOffer,
    Revision,
    Submission,
    SubmissionKind,
    SubmissionSource,
    SubmissionStatus,
    Territory,
    Theme,
    User,
    utcnow,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from ..partners import webhooks
from . import search
from .rules import BODY_LENGTH, DECLINE_REASON_LENGTH, TARGET_PUBLIC_LENGTH, TITLE_LENGTH

#: The kinds a submission can have (residents post needs and ideas, partners opportunities).
SUBMITTABLE_KINDS = frozenset(SubmissionKind)


def check_content(problems: Problems, *, title: str | None, body: str | None,
                  territory_id: int | None, theme_id: int | None,
                  target_public: str | None = None, author_offer: str = AuthorOffer.NONE) -> None:
    """Every rule of a contribution's content, each failure on its field."""
    check_length(problems, "title", title, TITLE_LENGTH)
    check_length(problems, "body", body, BODY_LENGTH)
    check_length(problems, "target_public", target_public, TARGET_PUBLIC_LENGTH, required=False)
    if territory_id is None or db.session.get(Territory, territory_id) is None:
        problems.add("territory", _("Choose a territory from the list."))
    if theme_id is None or db.session.get(Theme, theme_id) is None:
        problems.add("theme", _("Choose a theme from the list."))
    if author_offer not in set(AuthorOffer):
        problems.add("author_offer", _("Choose one of the offered answers."))


def apply_content(submission: Submission, *, editor: User | None, title: str, body: str,
                  territory_id: int, theme_id: int, target_public: str | None,
                  author_offer: str, problems: Problems | None = None) -> None:
    """Check then set the content; when a stored text changes, its former version is kept as a
    revision. Raises one InvalidInput with every failed field, `problems` included."""
    problems = problems if problems is not None else Problems()
    check_content(problems, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, target_public=target_public, author_offer=author_offer)
    problems.raise_if_any()
    title, body = title.strip(), body.strip()
    if submission.id is not None and (submission.title, submission.body) != (title, body):
        db.session.add(Revision(submission_id=submission.id,
                                editor_id=editor.id if editor else None,
                                title=submission.title, body=submission.body))
    submission.title = title
    submission.body = body
    submission.territory_id = territory_id
    submission.theme_id = theme_id
    submission.target_public = (target_public or "").strip() or None
    submission.author_offer = author_offer
    submission.search_text = search.index_text(submission.title, submission.body)
    submission.search_title = search.index_title(submission.title)
    submission.excerpt = search.excerpt(submission.body)


def submit(author: User, *, kind: str, title: str, body: str, territory_id: int, theme_id: int,
           target_public: str | None = None, author_offer: str = AuthorOffer.NONE,
           source: str = SubmissionSource.RESIDENT) -> Submission:
    """Post a need or an idea; it waits for a moderator unless the portal post-moderates."""
    refusal = policies.why_cannot_post(author)
    if refusal:
        raise NotAllowed(refusal)
    problems = Problems()
    if kind not in SUBMITTABLE_KINDS:
        problems.add("kind", _("Choose whether this is a need or an idea."))
    if source not in set(SubmissionSource):
        problems.add("source", _("Choose one of the offered answers."))
    if source == SubmissionSource.RESIDENT:
        check_daily_allowance(problems, author)
    submission = Submission(kind=kind, author_id=author.id, source=source)
    apply_content(submission, editor=author, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, target_public=target_public, author_offer=author_offer,
                  problems=problems)
    if source == SubmissionSource.RESIDENT and policies.publishes_at_once(author):
        submission.status = SubmissionStatus.PUBLISHED
        submission.published_at = utcnow()
    else:
        submission.status = SubmissionStatus.PENDING
    db.session.add(submission)
    db.session.flush()
    notifications.follow(author, submission)
    db.session.commit()
    return submission


def check_daily_allowance(problems: Problems, author: User) -> None:
    """Spam comes from fresh accounts: for NEW_ACCOUNT_DAYS after registering, a resident posts
    at most NEW_ACCOUNT_DAILY_POSTS contributions in 24 hours (trusted residents are free)."""
    config = current_app.config
    now, allowance = utcnow(), config["NEW_ACCOUNT_DAILY_POSTS"]
    if not allowance or author.trusted_at is not None or \
            author.created_at < now - timedelta(days=config["NEW_ACCOUNT_DAYS"]):
        return
    posted = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.author_id == author.id, Submission.created_at > now - timedelta(days=1)))
    if posted >= allowance:
        problems.add(None, ngettext(
            "A new account posts at most %(num)d contribution a day. Keep your text and come "
            "back tomorrow.",
            "A new account posts at most %(num)d contributions a day. Keep your text and come "
            "back tomorrow.", allowance))


def edit(submission: Submission, editor: User, *, title: str, body: str, territory_id: int,
         theme_id: int, target_public: str | None, author_offer: str) -> Submission:
    if editor.is_blocked:
        raise NotAllowed(policies.blocked_reason())
    if not policies.can_edit_submission(editor, submission):
        raise NotAllowed(_("This contribution can no longer be edited: it has been supported "
                           "or reviewed by a moderator."))
    apply_content(submission, editor=editor, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, target_public=target_public, author_offer=author_offer)
    submission.details_requested_at = None  # completed: back in the moderators' queue
    db.session.commit()
    return submission


def withdraw(submission: Submission, user: User) -> Submission:
    """The author takes the contribution back; the text stays for the author and moderators."""
    if not policies.can_withdraw_submission(user, submission):
        raise NotAllowed(_("You cannot withdraw this contribution."))
    apply_withdraw(submission)
    db.session.commit()
    return submission


def apply_withdraw(submission: Submission) -> None:
    """Withdraw without committing (an account deleted with its contributions)."""
    submission.status = SubmissionStatus.WITHDRAWN
    webhooks.queue_event(submission, "withdrawn")


def apply_publish(submission: Submission, moderator: User) -> None:
    """Publish without committing (a bulk publish commits once for all)."""
    if not policies.can_publish(moderator, submission):
        raise NotAllowed(_("This contribution cannot be published now."))
    now = utcnow()
    before = audit.snapshot(submission)
    if submission.status == SubmissionStatus.DECLINED:
        # The refusal no longer holds: it stays in the answers' history, not as the answer.
        submission.public_answer = submission.answered_at = submission.answered_by_id = None
    submission.status = SubmissionStatus.PUBLISHED
    submission.published_at = submission.published_at or now
    submission.moderated_at = now
    submission.details_requested_at = None
    audit.record(moderator, "publish", submission, before, audit.snapshot(submission))
    notifications.notify_followers(submission, "published", actor=moderator)


def publish(submission: Submission, moderator: User) -> Submission:
    apply_publish(submission, moderator)
    db.session.commit()
    return submission


def decline(submission: Submission, moderator: User, reason: str) -> Submission:
    """Refuse with a public reason: residents always learn why."""
    apply_decline(submission, moderator, reason)
    db.session.commit()
    return submission


def apply_decline(submission: Submission, moderator: User, reason: str) -> None:
    """Decline without committing ("decline and block" commits once for both)."""
    if not policies.can_decline(moderator, submission):
        raise NotAllowed(_("This contribution cannot be declined now."))
    problems = Problems()
    if not (reason or "").strip():
        problems.add("reason", _("Give the reason residents will read."))
    else:
        reason = check_length(problems, "reason", reason, DECLINE_REASON_LENGTH)
    problems.raise_if_any()
    before = audit.snapshot(submission)
    apply_answer(submission, moderator, reason, SubmissionStatus.DECLINED)
    audit.record(moderator, "decline", submission, before, audit.snapshot(submission))
    notifications.notify_followers(submission, "declined", actor=moderator)


def apply_answer(submission: Submission, moderator: User, text: str, status: str) -> None:
    """Give the public answer and the status it leads to, without committing: the answer
    becomes the current one and the last of the contribution's answers, the former ones stay."""
    now = utcnow()
    db.session.add(Answer(submission=submission, author_id=moderator.id, status=status,
                          text=text, created_at=now))
    submission.public_answer = text
    submission.answered_at, submission.answered_by_id = now, moderator.id
    submission.status = status
    submission.moderated_at = submission.moderated_at or now
