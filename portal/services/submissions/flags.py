"""Flags: residents report abuse; past a threshold the content is hidden until a moderator
decides."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ... import policies
from ...extensions import db
from ...models import Comment, Flag, FlagReason, Submission, SubmissionStatus, User
from ..accounts import notifications
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from .comments import set_comment_state
from .rules import FLAG_DETAILS_LENGTH


def _add_flag(user: User, reason: str, details: str | None, **target) -> None:
    problems = Problems()
    if reason not in set(FlagReason):
        problems.add("reason", _("Choose one of the offered reasons."))
    details = check_length(problems, "details", details, FLAG_DETAILS_LENGTH, required=False)
    problems.raise_if_any()
    try:
        with db.session.begin_nested():
            db.session.add(Flag(user_id=user.id, reason=reason, details=details or None,
                                **target))
    except IntegrityError as error:  # the savepoint is rolled back, the caller's work is not
        raise NotAllowed(_("You have already reported this.")) from error


def flagged_by(user: User | None, submission: Submission) -> tuple[bool, set[int]]:
    """What this person already reported on the page: (the contribution, its comments' ids), so
    the page says so instead of offering a form the portal would refuse."""
    if user is None or not user.is_authenticated:
        return False, set()
    rows = db.session.execute(select(Flag.submission_id, Flag.comment_id).where(
        Flag.user_id == user.id,
        (Flag.submission_id == submission.id)
        | Flag.comment_id.in_(select(Comment.id).where(Comment.submission_id == submission.id)))
    ).all()
    return (any(row.submission_id == submission.id for row in rows),
            {row.comment_id for row in rows if row.comment_id is not None})


def flag_submission(user: User, submission: Submission, reason: str,
                    details: str | None = None) -> bool:
    """Returns True when this flag hid the contribution."""
    if not policies.can_flag_submission(user, submission):
        raise NotAllowed(policies.why_cannot_post(user)
                         or _("You cannot report this contribution."))
    _add_flag(user, reason, details, submission_id=submission.id)
    db.session.execute(update(Submission).where(Submission.id == submission.id)
                       .values(flag_count=Submission.flag_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(submission)
    hidden = (submission.flag_count >= current_app.config["FLAG_THRESHOLD"]
              and submission.status != SubmissionStatus.HIDDEN)
    if hidden:
        before = audit.snapshot(submission)
        submission.status_before_hidden, submission.status = submission.status, "hidden"
        audit.record(None, "auto_hide", submission, before, audit.snapshot(submission))
        notifications.notify_user(submission.author_id, submission, "hidden",
                                  {"reason": reason})
    db.session.commit()
    return hidden


def flag_comment(user: User, comment: Comment, reason: str, details: str | None = None) -> bool:
    if not policies.can_flag_comment(user, comment):
        raise NotAllowed(policies.why_cannot_post(user) or _("You cannot report this comment."))
    _add_flag(user, reason, details, comment_id=comment.id, reported_body=comment.body)
    db.session.execute(update(Comment).where(Comment.id == comment.id)
                       .values(flag_count=Comment.flag_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(comment)
    hidden = (comment.flag_count >= current_app.config["FLAG_THRESHOLD"]
              and comment.hidden_at is None)
    if hidden:
        set_comment_state(comment, hidden=True)
        audit.record(None, "auto_hide", comment, {"hidden": False}, {"hidden": True})
        submission = db.session.get(Submission, comment.submission_id)
        notifications.notify_user(comment.author_id, submission, "comment_hidden",
                                  {"reason": reason})
    db.session.commit()
    return hidden


def restore(moderator: User, target: Submission | Comment) -> None:
    """The flags were unfounded: clear them and show the content again."""
    if not policies.can_moderate(moderator):
        raise NotAllowed(_("Only moderators can do this."))
    before = _state(target)
    if isinstance(target, Submission):
        if target.status == SubmissionStatus.HIDDEN:
            target.status = target.status_before_hidden or SubmissionStatus.PUBLISHED
        target.status_before_hidden = None
    else:
        set_comment_state(target, hidden=False)
    _clear_flags(target)
    audit.record(moderator, "restore", target, before, _state(target))
    db.session.commit()


def confirm_hidden(moderator: User, target: Submission | Comment) -> None:
    """The flags were right: the content stays hidden (its text is kept) and leaves the list."""
    if not policies.can_moderate(moderator):
        raise NotAllowed(_("Only moderators can do this."))
    before = _state(target)
    if isinstance(target, Submission):
        if target.status != SubmissionStatus.HIDDEN:
            target.status_before_hidden, target.status = target.status, "hidden"
    else:
        set_comment_state(target, hidden=True)
    _clear_flags(target)
    audit.record(moderator, "hide", target, before, _state(target))
    db.session.commit()


def _clear_flags(target: Submission | Comment) -> None:
    column = Flag.submission_id if isinstance(target, Submission) else Flag.comment_id
    db.session.execute(delete(Flag).where(column == target.id))
    target.flag_count = 0


def _state(target: Submission | Comment) -> dict:
    if isinstance(target, Submission):
        return {"status": target.status, "flag_count": target.flag_count}
    return {"hidden": target.hidden_at is not None, "flag_count": target.flag_count}


def flagged(limit: int = 100) -> tuple[list[Submission], list[Comment]]:
    """Content with standing flags, the most flagged first."""
    submissions = db.session.scalars(select(Submission).where(Submission.flag_count > 0)
                                     .order_by(Submission.flag_count.desc(), Submission.id)
                                     .limit(limit)).all()
    comments = db.session.scalars(select(Comment).where(Comment.flag_count > 0)
                                  .options(db.joinedload(Comment.author))
                                  .order_by(Comment.flag_count.desc(), Comment.id)
                                  .limit(limit)).all()
    return submissions, comments


def remove_flags_of(user: User) -> None:
    """An account that goes takes its reports with it; the report counts follow (what they
    hid stays hidden until a moderator decides). Does not commit."""
    for flag in db.session.scalars(select(Flag).where(Flag.user_id == user.id)).all():
        model, target_id = ((Submission, flag.submission_id) if flag.submission_id
                            else (Comment, flag.comment_id))
        db.session.execute(update(model).where(model.id == target_id)
                           .values(flag_count=model.flag_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.delete(flag)


def reasons(target: Submission | Comment) -> list[Flag]:
    column = Flag.submission_id if isinstance(target, Submission) else Flag.comment_id
    return list(db.session.scalars(select(Flag).where(column == target.id).order_by(Flag.id)))


def hidden_submissions(page: int = 1, per_page: int = 50):
    """One page of the hidden contributions (after flags, a moderator or a block), the latest
    changed first: hidden content never leaves the back-office."""
    query = select(Submission).where(Submission.status == SubmissionStatus.HIDDEN).order_by(
        Submission.updated_at.desc(), Submission.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def hidden_comments(page: int = 1, per_page: int = 50):
    """One page of the hidden comments that were not deleted, the latest hidden first."""
    query = select(Comment).where(Comment.hidden_at.is_not(None), Comment.deleted_at.is_(None)
                                  ).options(db.joinedload(Comment.author)).order_by(
        Comment.hidden_at.desc(), Comment.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
