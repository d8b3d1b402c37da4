"""Comments: written on open submissions, edited briefly, deleted without breaking the thread."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from ... import policies
from ...extensions import db
from ...models import Comment, Submission, User, utcnow
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from .rules import COMMENT_LENGTH


def _shift_count(submission_id: int, delta: int) -> None:
    db.session.execute(
        update(Submission).where(Submission.id == submission_id)
        .values(comment_count=Submission.comment_count + delta, updated_at=Submission.updated_at)
        .execution_options(synchronize_session=False)
    )


def is_counted(comment: Comment) -> bool:
    """A comment counts in `comment_count` (pages, open data) while it is neither deleted nor
    hidden."""
    return comment.deleted_at is None and comment.hidden_at is None


def set_comment_state(comment: Comment, *, hidden: bool | None = None,
                      deleted: bool | None = None) -> None:
    """Hide, show or delete a comment and keep its submission's `comment_count` exact, in the
    caller's transaction: the one place flags, moderation, blocking and deletion go through."""
    counted_before = is_counted(comment)
    now = utcnow()
    if hidden is not None and hidden != (comment.hidden_at is not None):
        comment.hidden_at = now if hidden else None
    if deleted is not None and deleted != (comment.deleted_at is not None):
        comment.deleted_at = now if deleted else None
    delta = int(is_counted(comment)) - int(counted_before)
    if delta:
        _shift_count(comment.submission_id, delta)


def _checked_body(body: str | None) -> str:
    problems = Problems()
    body = check_length(problems, "body", body, COMMENT_LENGTH)
    problems.raise_if_any()
    return body


def add_comment(user: User, submission: Submission, body: str) -> Comment:
    if not policies.can_comment(user, submission):
        raise NotAllowed(policies.why_cannot_post(user)
                         or _("You cannot comment on this contribution."))
    body = _checked_body(body)
    comment = Comment(submission_id=submission.id, author_id=user.id, body=body)
    db.session.add(comment)
    _shift_count(submission.id, +1)
    db.session.commit()
    return comment


def edit_comment(user: User, comment: Comment, body: str) -> Comment:
    if user.is_blocked:
        raise NotAllowed(policies.blocked_reason())
    if not policies.can_edit_comment(user, comment):
        raise NotAllowed(_("A comment can be edited only by its author, within 15 minutes."))
    comment.body = _checked_body(body)
    comment.edited_at = utcnow()
    db.session.commit()
    return comment


def delete_comment(user: User, comment: Comment) -> Comment:
    """The text is kept for moderators; the thread shows that a comment was deleted."""
    if not policies.can_delete_comment(user, comment):
        raise NotAllowed(_("You cannot delete this comment."))
    set_comment_state(comment, deleted=True)
    if user.id != comment.author_id:  # a moderator's deletion is a back-office action
        audit.record(user, "comment_delete", comment, {"body": comment.body}, {})
    db.session.commit()
    return comment


def delete_comments_of(user: User) -> int:
    """The author's comments leave the threads (an account deleted with its contributions
    withdrawn); the counts follow. Does not commit."""
    comments = db.session.scalars(select(Comment).where(
        Comment.author_id == user.id, Comment.deleted_at.is_(None))).all()
    for comment in comments:
        comment.deleted_at = utcnow()
        _shift_count(comment.submission_id, -1)
    return len(comments)


def thread(submission: Submission) -> list[Comment]:
    return list(db.session.scalars(
        select(Comment).where(Comment.submission_id == submission.id)
        .options(db.joinedload(Comment.author)).order_by(Comment.created_at, Comment.id)
    ))
