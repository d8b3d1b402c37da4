"""The moderators' decisions: review, answer, ask for details, bulk actions, blocking, roles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ... import policies
from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    AuditEntry,
    Comment,
    Flag,
    ReplyTemplate,
    Revision,
    Role,
    Submission,
    SubmissionStatus,
    Tag,
    User,
    utcnow,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import NotAllowed, Problems, check_length
from ..core.sql import in_territory
from ..core.text import escape_like
from . import search
from .comments import set_comment_state
from .posting import apply_answer, apply_content, apply_decline, apply_publish
from .rules import (
    ANSWER_LENGTH,
    DETAILS_MESSAGE_LENGTH,
    TAG_LENGTH,
    TAGS_TEXT_LENGTH,
    TEMPLATE_BODY_LENGTH,
    TEMPLATE_TITLE_LENGTH,
)

#: The public statuses a moderator may set with an answer. "In project" is not one of them: only
#: the conversion into a lead gives it, and only the lead's story changes it.
ANSWER_STATUSES = (SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY,
                   SubmissionStatus.DECLINED)


def answer_statuses(submission: Submission) -> tuple[str, ...]:
    """The statuses an answer may give this contribution: an answer may keep a contribution in
    its project (the status it has, offered first), never put one there."""
    if submission.status == SubmissionStatus.IN_PROJECT:
        return (SubmissionStatus.IN_PROJECT, *ANSWER_STATUSES)
    return ANSWER_STATUSES


def _require_moderator(user: User) -> None:
    if not policies.can_moderate(user):
        raise NotAllowed(_("Only moderators can do this."))


def check_tags(problems: Problems, text: str | None, *, required: bool = False) -> list[str]:
    """The distinct names of a comma-separated list, each checked against TAG_LENGTH."""
    text = check_length(problems, "tags", text, TAGS_TEXT_LENGTH, required=required)
    names = sorted({" ".join(part.split()).lower() for part in text.split(",") if part.strip()})
    if "tags" in problems:
        return names
    if any(len(name) > TAG_LENGTH[1] for name in names):
        problems.add("tags", _("A tag has at most %(count)d characters.", count=TAG_LENGTH[1]))
    elif required and text and not names:
        problems.add("tags", _("Give at least one tag."))
    return names


def tags_named(names: list[str]) -> list[Tag]:
    """The tags of these names; unknown ones are created."""
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    created = [Tag(name=name) for name in names if name not in existing]
    db.session.add_all(created)
    return list(existing.values()) + created


def review(submission: Submission, moderator: User, *, title: str, body: str, territory_id: int,
           theme_id: int, tags: str) -> Submission:
    """Fix typos, place and tags; the former text is kept as a revision."""
    _require_moderator(moderator)
    problems = Problems()
    names = check_tags(problems, tags)
    before = {**audit.snapshot(submission), "tags": [t.name for t in submission.tags]}
    if _unchanged(submission, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, tag_names=names) and not problems:
        return submission
    apply_content(submission, editor=moderator, title=title, body=body, territory_id=territory_id,
                  theme_id=theme_id, target_public=submission.target_public,
                  author_offer=submission.author_offer, problems=problems)
    submission.tags = tags_named(names)
    submission.moderated_at = submission.moderated_at or utcnow()
    audit.record(moderator, "edit", submission, before,
                 {**audit.snapshot(submission), "tags": [t.name for t in submission.tags]})
    db.session.commit()
    return submission


def _unchanged(submission: Submission, *, title: str, body: str, territory_id: int,
               theme_id: int, tag_names: list[str]) -> bool:
    """A review saved as it was shown changes nothing: no revision, no journal entry."""
    return ((submission.title, submission.body, submission.territory_id, submission.theme_id)
            == ((title or "").strip(), (body or "").strip(), territory_id, theme_id)
            and sorted(t.name for t in submission.tags) == tag_names)


def request_details(submission: Submission, moderator: User, message: str) -> Submission:
    """The author is asked to complete the text; editing sends it back to the queue."""
    _require_moderator(moderator)
    if not policies.can_request_details(moderator, submission):
        raise NotAllowed(_("Only a contribution awaiting moderation can be sent back."))
    problems = Problems()
    if not (message or "").strip():
        problems.add("message", _("Say what is missing."))
    message = check_length(problems, "message", message, DETAILS_MESSAGE_LENGTH, required=False)
    problems.raise_if_any()
    submission.details_requested_at = utcnow()
    audit.record(moderator, "request_details", submission, {}, {"message": message})
    notifications.notify_user(submission.author_id, submission, "details_requested",
                                     {"message": message})
    db.session.commit()
    return submission


def answer(submission: Submission, moderator: User, text: str, status: str) -> Submission:
    """A public answer shown at the top of the page, with the public status it leads to."""
    _require_moderator(moderator)
    if not policies.can_answer(moderator, submission):
        raise NotAllowed(_("Publish this contribution before answering it."))
    problems = Problems()
    if status not in answer_statuses(submission):
        problems.add("status", _("Choose one of the offered statuses."))
    if not (text or "").strip():
        problems.add("text", _("Write the answer residents will read."))
    text = check_length(problems, "text", text, ANSWER_LENGTH, required=False)
    problems.raise_if_any()
    if (submission.public_answer, submission.status) == (text, status):
        return submission  # the current answer sent again: nothing new to tell
    before = audit.snapshot(submission)
    status_changed = submission.status != status
    apply_answer(submission, moderator, text, status)
    audit.record(moderator, "answer", submission, before, audit.snapshot(submission))
    notifications.notify_followers(
        submission, "status_changed" if status_changed else "answered", actor=moderator,
        payload={"status": status})
    db.session.commit()
    return submission


def bulk_publish(submission_ids: list[int], moderator: User) -> int:
    """Publish every pending one of `submission_ids` in ONE transaction: all or nothing.

    Each keeps its own journal entry and notifications; the others (already published,
    withdrawn...) are left as they are and not counted. Nothing is committed before the last
    one is done, so an error on any of them leaves every one as it was (the request's session
    is discarded without a commit)."""
    _require_moderator(moderator)
    submissions = db.session.scalars(select(Submission).where(
        Submission.id.in_(submission_ids), Submission.status == SubmissionStatus.PENDING)
        .order_by(Submission.id)).all()
    for submission in submissions:
        apply_publish(submission, moderator)
    db.session.commit()
    return len(submissions)


def bulk_tag(submission_ids: list[int], moderator: User, tag_names: str) -> int:
    """Add the tags to every one of `submission_ids`, in one transaction."""
    _require_moderator(moderator)
    problems = Problems()
    names = check_tags(problems, tag_names, required=True)
    problems.raise_if_any()
    tags = tags_named(names)
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
    apply_block(moderator, user, hide_content)
    db.session.commit()
    return user


def apply_block(moderator: User, user: User, hide_content: bool) -> None:
    """Block without committing ("decline and block" commits once for both)."""
    _require_moderator(moderator)
    if not policies.can_block(moderator, user):
        raise NotAllowed(_("Moderators and administrators cannot be blocked here."))
    user.blocked_at = utcnow()
    submission_ids, comment_ids = [], []
    if hide_content:
        for submission in db.session.scalars(select(Submission).where(
                Submission.author_id == user.id, Submission.status.in_(OPEN_STATUSES))):
            submission.status_before_hidden = submission.status
            submission.status = SubmissionStatus.HIDDEN
            submission_ids.append(submission.id)
        for comment in db.session.scalars(select(Comment).where(
                Comment.author_id == user.id, Comment.hidden_at.is_(None))):
            set_comment_state(comment, hidden=True)
            comment_ids.append(comment.id)
    # The journal entry names what the block hid: unblocking can restore exactly that.
    audit.record(moderator, "block", user, {"blocked": False},
                 {"blocked": True, "hidden_items": len(submission_ids) + len(comment_ids),
                  HIDDEN_BY_BLOCK[0]: submission_ids, HIDDEN_BY_BLOCK[1]: comment_ids})


def publish_and_trust(submission: Submission, moderator: User) -> Submission:
    """Publish, and trust the author: their next contributions skip pre-moderation (as Fider
    does, so moderators read each regular once, not every post). Journaled as "trust"."""
    author = submission.author
    if not policies.can_trust(moderator, author):
        raise NotAllowed(_("Only a resident's contribution can make its author trusted."))
    apply_publish(submission, moderator)
    if author.trusted_at is None:
        author.trusted_at = utcnow()
        audit.record(moderator, "trust", author, {"trusted": False}, {"trusted": True})
    db.session.commit()
    return submission


def decline_and_block(submission: Submission, moderator: User, reason: str) -> Submission:
    """Spam in one action: decline with the public reason, block the author and hide what
    else they posted; one transaction, two journal entries."""
    author = submission.author
    if author is None or not policies.can_block(moderator, author):
        raise NotAllowed(_("Moderators and administrators cannot be blocked here."))
    apply_decline(submission, moderator, reason)
    apply_block(moderator, author, hide_content=True)
    db.session.commit()
    return submission


#: The keys of a block's journal entry listing the contributions and comments it hid.
HIDDEN_BY_BLOCK = ("hidden_submissions", "hidden_comments")


def hidden_by_last_block(user: User) -> tuple[list[Submission], list[Comment]]:
    """What the account's last block hid and is still hidden."""
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "block", AuditEntry.target_type == User.__tablename__,
        AuditEntry.target_id == user.id).order_by(AuditEntry.id.desc()).limit(1))
    after = entry.after if entry else {}
    submissions = db.session.scalars(select(Submission).where(
        Submission.id.in_(after.get(HIDDEN_BY_BLOCK[0]) or []),
        Submission.status == SubmissionStatus.HIDDEN)).all()
    comments = db.session.scalars(select(Comment).where(
        Comment.id.in_(after.get(HIDDEN_BY_BLOCK[1]) or []), Comment.hidden_at.is_not(None),
        Comment.deleted_at.is_(None))).all()
    return list(submissions), list(comments)


def unblock(moderator: User, user: User, restore_content: bool = False) -> User:
    """Lift the block; on request, show again what the block hid (and only that)."""
    _require_moderator(moderator)
    user.blocked_at = None
    restored = 0
    if restore_content:
        submissions, comments = hidden_by_last_block(user)
        for submission in submissions:
            submission.status = submission.status_before_hidden or SubmissionStatus.PUBLISHED
            submission.status_before_hidden = None
        for comment in comments:
            set_comment_state(comment, hidden=False)
        restored = len(submissions) + len(comments)
    audit.record(moderator, "unblock", user, {"blocked": True},
                 {"blocked": False, "restored_items": restored})
    db.session.commit()
    return user


def change_role(admin: User, user: User, role: str) -> User:
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can change roles."))
    if user.id == admin.id:
        raise NotAllowed(_("You cannot change your own role."))
    problems = Problems()
    if role not in set(Role):
        problems.add("role", _("Choose one of the offered roles."))
    problems.raise_if_any()
    before = {"role": user.role}
    user.role = role
    audit.record(admin, "role_change", user, before, {"role": role})
    db.session.commit()
    return user


def save_template(moderator: User, template: ReplyTemplate | None, title: str,
                  body: str) -> ReplyTemplate:
    _require_moderator(moderator)
    problems = Problems()
    title = check_length(problems, "title", title, TEMPLATE_TITLE_LENGTH)
    body = check_length(problems, "body", body, TEMPLATE_BODY_LENGTH)
    problems.raise_if_any()
    template = template or ReplyTemplate()
    before = {"title": template.title, "body": template.body}
    template.title, template.body = title, body
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


#: Published contributions that wait for an answer of the Fabrique: the dashboard counts them and
#: `unanswered` lists them, from this one definition.
UNANSWERED = (Submission.status == SubmissionStatus.PUBLISHED, Submission.public_answer.is_(None))


def unanswered(page: int = 1, per_page: int = 50):
    """The published contributions without an answer, the oldest published first."""
    return db.paginate(select(Submission).where(*UNANSWERED).options(
        db.joinedload(Submission.territory), db.joinedload(Submission.theme))
        .order_by(Submission.published_at, Submission.id), page=page, per_page=per_page,
        error_out=False)


def dashboard(moderator: User, since: datetime | None = None) -> Dashboard:
    """The day's work at a glance, with what others did after `since` (the previous visit).

    A GET must not write, so the dashboard only reads: the view keeps the time of the previous
    visit in the signed session cookie (per browser, good enough for "what changed since I last
    looked") and passes it here."""
    pending = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.PENDING, Submission.details_requested_at.is_(None)))
    awaiting = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.PENDING,
        Submission.details_requested_at.is_not(None)))
    flagged = (db.session.scalar(select(func.count(Submission.id)).where(Submission.flag_count > 0))
               + db.session.scalar(select(func.count(Comment.id)).where(Comment.flag_count > 0)))
    unanswered = db.session.scalar(select(func.count(Submission.id)).where(*UNANSWERED))
    changes = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.created_at > since, AuditEntry.actor_id != moderator.id)) if since else 0
    new_flags = db.session.scalar(select(func.count(Flag.id)).where(
        Flag.created_at > since)) if since else 0
    return Dashboard(pending, awaiting, flagged, unanswered, changes + new_flags)


def queue(*, kind: str | None = None, theme_id: int | None = None, source: str | None = None,
          territory_id: int | None = None, words: str = "", page: int = 1, per_page: int = 50):
    """The pending contributions, oldest first (the most relevant first when `words` are
    searched), filtered: (one page of those to review, every one waiting for its author)."""
    query = select(Submission).where(Submission.status == SubmissionStatus.PENDING).options(
        db.joinedload(Submission.territory), db.joinedload(Submission.theme),
        db.joinedload(Submission.author)).order_by(Submission.created_at, Submission.id)
    if kind:
        query = query.where(Submission.kind == kind)
    if theme_id:
        query = query.where(Submission.theme_id == theme_id)
    if source:
        query = query.where(Submission.source == source)
    if territory_id:
        query = query.where(in_territory(Submission.territory_id, territory_id))
    if words:
        query = search.matching(query, words, ranked=True)
    items = db.paginate(query.where(Submission.details_requested_at.is_(None)), page=page,
                        per_page=per_page, error_out=False)
    waiting = db.session.scalars(query.where(
        Submission.details_requested_at.is_not(None))).unique().all()
    return items, list(waiting)


def reply_templates() -> list[ReplyTemplate]:
    return list(db.session.scalars(select(ReplyTemplate).order_by(ReplyTemplate.title)))


def revisions(submission: Submission) -> list[Revision]:
    return list(db.session.scalars(select(Revision).where(
        Revision.submission_id == submission.id).order_by(Revision.id.desc())))


def submissions_by_id(ids: list[int]) -> list[Submission]:
    return list(db.session.scalars(select(Submission).where(Submission.id.in_(ids))))


def search_users(term: str | None, page: int = 1, per_page: int = 50):
    """One page of the accounts whose display name or e-mail address contains `term`, by
    name."""
    query = select(User).order_by(User.display_name, User.id)
    if term and term.strip():
        pattern = f"%{escape_like(term.strip().lower())}%"
        query = query.where(or_(func.lower(User.display_name).like(pattern, escape="\\"),
                                func.lower(User.email).like(pattern, escape="\\")))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def journal_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct()
                                   .order_by(AuditEntry.action)))


def journal_actors() -> list[User]:
    """The people who appear in the journal, by name."""
    return list(db.session.scalars(select(User).where(User.id.in_(
        select(AuditEntry.actor_id))).order_by(User.display_name)))


def journal(*, action: str | None = None, actor_id: int | None = None,
            target_type: str | None = None, page: int = 1, per_page: int = 50):
    """One page of the journal, the newest first, filtered."""
    query = select(AuditEntry).options(db.joinedload(AuditEntry.actor)).order_by(
        AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
