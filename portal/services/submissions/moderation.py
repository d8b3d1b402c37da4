"""The moderators' decisions: review, answer, ask for details, bulk actions, blocking, roles."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ... import policies
from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    AuditEntry,
    Comment,
    Flag,
    ReplyTemplate,
    Role,
    Submission,
    SubmissionStatus,
    Tag,
    User,
    utcnow,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed
from .posting import apply_content, publish

#: The public statuses a moderator may set with an answer.
ANSWER_STATUSES = (SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY,
                   SubmissionStatus.DECLINED, SubmissionStatus.IN_PROJECT)


def _require_moderator(user: User) -> None:
    if not policies.can_moderate(user):
        raise NotAllowed(_("Only moderators can do this."))


def tags_from_text(text: str) -> list[Tag]:
    """Comma-separated names; unknown tags are created."""
    names = sorted({" ".join(part.split()).lower() for part in text.split(",") if part.strip()})
    if any(len(name) > 60 for name in names):
        raise InvalidInput(_("A tag has at most 60 characters."), field="tags")
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    created = [Tag(name=name) for name in names if name not in existing]
    db.session.add_all(created)
    return list(existing.values()) + created


def review(submission: Submission, moderator: User, *, title: str, body: str, territory_id: int,
           theme_id: int, tags: str) -> Submission:
    """Fix typos, place and tags; the former text is kept as a revision."""
    _require_moderator(moderator)
    before = audit.snapshot(submission)
    apply_content(submission, editor=moderator, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, target_public=submission.target_public,
                  author_offer=submission.author_offer)
    submission.tags = tags_from_text(tags)
    submission.moderated_at = submission.moderated_at or utcnow()
    audit.record(moderator, "edit", submission, before,
                 {**audit.snapshot(submission), "tags": [t.name for t in submission.tags]})
    db.session.commit()
    return submission


def request_details(submission: Submission, moderator: User, message: str) -> Submission:
    """The author is asked to complete the text; editing sends it back to the queue."""
    _require_moderator(moderator)
    if submission.status != SubmissionStatus.PENDING:
        raise NotAllowed(_("Only a contribution awaiting moderation can be sent back."))
    if not message.strip():
        raise InvalidInput(_("Say what is missing."), field="message")
    submission.details_requested_at = utcnow()
    audit.record(moderator, "request_details", submission, {}, {"message": message.strip()})
    sent = notifications.notify_user(submission.author_id, submission, "details_requested",
                                     {"message": message.strip()})
    db.session.commit()
    notifications.deliver(sent)
    return submission


def answer(submission: Submission, moderator: User, text: str, status: str) -> Submission:
    """A public answer shown at the top of the page, with the public status it leads to."""
    _require_moderator(moderator)
    if status not in ANSWER_STATUSES:
        raise InvalidInput(_("Choose one of the offered statuses."), field="status")
    if submission.status not in (*OPEN_STATUSES, SubmissionStatus.DECLINED):
        raise NotAllowed(_("Publish this contribution before answering it."))
    if not text.strip():
        raise InvalidInput(_("Write the answer residents will read."), field="text")
    before = audit.snapshot(submission)
    now = utcnow()
    status_changed = submission.status != status
    submission.public_answer = text.strip()
    submission.answered_at, submission.answered_by_id = now, moderator.id
    submission.status = status
    submission.moderated_at = submission.moderated_at or now
    audit.record(moderator, "answer", submission, before, audit.snapshot(submission))
    sent = notifications.notify_followers(
        submission, "status_changed" if status_changed else "answered", actor=moderator,
        payload={"status": status})
    db.session.commit()
    notifications.deliver(sent)
    return submission


def bulk_publish(submission_ids: list[int], moderator: User) -> int:
    """Publish each pending one; each keeps its own journal entry and notifications."""
    _require_moderator(moderator)
    done = 0
    for submission in db.session.scalars(select(Submission).where(
            Submission.id.in_(submission_ids), Submission.status == SubmissionStatus.PENDING)):
        publish(submission, moderator)
        done += 1
    return done


def bulk_tag(submission_ids: list[int], moderator: User, tag_names: str) -> int:
    _require_moderator(moderator)
    tags = tags_from_text(tag_names)
    if not tags:
        raise InvalidInput(_("Give at least one tag."), field="tags")
    submissions = db.session.scalars(select(Submission).where(
        Submission.id.in_(submission_ids))).all()
    for submission in submissions:
        before = sorted(t.name for t in submission.tags)
        submission.tags = list({t.name: t for t in [*submission.tags, *tags]}.values())
        audit.record(moderator, "tag", submission, {"tags": before},
                     {"tags": sorted(t.name for t in submission.tags)})
    db.session.commit()
    return len(submissions)


def block(moderator: User, user: User, hide_content: bool) -> User:
    """A blocked account can no longer post, support or comment; its content may be hidden."""
    _require_moderator(moderator)
    if user.id == moderator.id or user.is_moderator:
        raise NotAllowed(_("Moderators and administrators cannot be blocked here."))
    user.blocked_at = utcnow()
    hidden = 0
    if hide_content:
        now = utcnow()
        for submission in db.session.scalars(select(Submission).where(
                Submission.author_id == user.id, Submission.status.in_(OPEN_STATUSES))):
            submission.status_before_hidden, submission.status = submission.status, "hidden"
            hidden += 1
        for comment in db.session.scalars(select(Comment).where(
                Comment.author_id == user.id, Comment.hidden_at.is_(None))):
            comment.hidden_at = now
            hidden += 1
    audit.record(moderator, "block", user, {"blocked": False},
                 {"blocked": True, "hidden_items": hidden})
    db.session.commit()
    return user


def unblock(moderator: User, user: User) -> User:
    _require_moderator(moderator)
    user.blocked_at = None
    audit.record(moderator, "unblock", user, {"blocked": True}, {"blocked": False})
    db.session.commit()
    return user


def change_role(admin: User, user: User, role: str) -> User:
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can change roles."))
    if role not in set(Role):
        raise InvalidInput(_("Choose one of the offered roles."), field="role")
    if user.id == admin.id:
        raise NotAllowed(_("You cannot change your own role."))
    before = {"role": user.role}
    user.role = role
    audit.record(admin, "role_change", user, before, {"role": role})
    db.session.commit()
    return user


def save_template(moderator: User, template: ReplyTemplate | None, title: str,
                  body: str) -> ReplyTemplate:
    _require_moderator(moderator)
    template = template or ReplyTemplate()
    before = {"title": template.title, "body": template.body}
    template.title, template.body = title.strip(), body.strip()
    db.session.add(template)
    db.session.flush()
    audit.record(moderator, "template", template, before, {"title": template.title,
                                                           "body": template.body})
    db.session.commit()
    return template


@dataclass(frozen=True)
class Dashboard:
    pending: int
    awaiting_details: int
    flagged: int
    unanswered: int
    changes_since_last_visit: int


def dashboard(moderator: User) -> Dashboard:
    """The day's work at a glance; opening it marks the moderator's visit."""
    pending = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.PENDING, Submission.details_requested_at.is_(None)))
    awaiting = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.PENDING,
        Submission.details_requested_at.is_not(None)))
    flagged = (db.session.scalar(select(func.count(Submission.id)).where(Submission.flag_count > 0))
               + db.session.scalar(select(func.count(Comment.id)).where(Comment.flag_count > 0)))
    unanswered = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.PUBLISHED, Submission.public_answer.is_(None)))
    since = moderator.last_moderation_visit_at
    changes = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.created_at > since, AuditEntry.actor_id != moderator.id)) if since else 0
    new_flags = db.session.scalar(select(func.count(Flag.id)).where(
        Flag.created_at > since)) if since else 0
    moderator.last_moderation_visit_at = utcnow()
    db.session.commit()
    return Dashboard(pending, awaiting, flagged, unanswered, changes + new_flags)
