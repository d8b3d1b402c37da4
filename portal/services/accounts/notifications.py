"""Following submissions and telling their followers what happened to them."""
from __future__ import annotations

from datetime import date, time

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ...extensions import db
from ...models import Follow, Notification, NotificationFrequency, Submission, User, utcnow
from ..core import outbox
from ..core.errors import InvalidInput, InvalidToken
from ..core.links import public_url
from ..core.sql import dialect_insert
from ..core.tokens import make_token, read_token
from ..leads.stages import public_news
from ..partners import webhooks

#: What each event says; `payload` and the submission's title fill the placeholders.
EVENT_MESSAGES = {
    "published": _l("“%(title)s” is published."),
    "declined": _l("“%(title)s” was not retained. The Fabrique explains why on its page."),
    "answered": _l("The Fabrique answered on “%(title)s”."),
    "status_changed": _l("“%(title)s” has a new status and an answer from the Fabrique."),
    "merged": _l("“%(title)s” was merged into “%(target)s”: its supports and followers carry on "
                 "there."),
    "merged_here": _l("“%(source)s” was merged into your contribution “%(title)s”: its supports "
                      "now count there."),
    "merge_undone": _l("“%(title)s” is no longer merged into “%(target)s”: its supports and "
                       "followers are back."),
    "details_requested": _l("A moderator asks you to complete “%(title)s”: %(message)s"),
    "hidden": _l("“%(title)s” is hidden after several reports, until a moderator reviews it."),
    "comment_hidden": _l("Your comment on “%(title)s” is hidden after several reports, until a "
                         "moderator reviews it."),
    "in_project": _l("“%(title)s” became part of a project lead: “%(lead)s”."),
    "left_lead": _l("“%(title)s” is no longer part of the project lead “%(lead)s”: the Fabrique "
                    "keeps it open to supports and may take it up in another project."),
    "lead_stage": _l("News of “%(title)s”: %(news)s"),
    "workshop_invitation": _l("You are invited to a co-construction workshop for the project "
                              "“%(lead)s”, born from “%(title)s”: %(when)s, %(place)s."),
}
UNSUBSCRIBE = "unsubscribe"
#: An unsubscribe link works this long (seconds); a newer mail carries a fresh one.
UNSUBSCRIBE_LINK_MAX_AGE = 90 * 24 * 3600


def follow(user: User, submission: Submission) -> None:
    """Idempotent: following twice changes nothing. Does not commit."""
    db.session.execute(
        dialect_insert(Follow).values(user_id=user.id, submission_id=submission.id,
                                      created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["submission_id", "user_id"])
    )


def unfollow(user: User, submission: Submission) -> None:
    db.session.execute(delete(Follow).where(Follow.user_id == user.id,
                                            Follow.submission_id == submission.id))


def is_following(user: User | None, submission: Submission) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.submission_id == submission.id)) is not None


def notify_followers(
    submission: Submission,
    event: str,
    *,
    actor: User | None = None,
    payload: dict | None = None,
    skip: set[int] = frozenset(),
) -> list[Notification]:
    """Add one notification per follower (never the actor, nor those in `skip`, already told of
    the same news), and queue the mails of those who want them at once. Part of the caller's
    transaction: nothing leaves for a change rolled back."""
    follower_ids = db.session.scalars(
        select(Follow.user_id).where(Follow.submission_id == submission.id)).all()
    notifications = [
        Notification(user_id=user_id, event=event, submission_id=submission.id,
                     payload={"title": submission.title, **(payload or {})})
        for user_id in follower_ids
        if (actor is None or user_id != actor.id) and user_id not in skip
    ]
    db.session.add_all(notifications)
    queue_mails(notifications)
    webhooks.queue_event(submission, event)  # a forwarded item also tells its organisation
    return notifications


def notify_user(user_id: int | None, submission: Submission, event: str,
                payload: dict | None = None) -> list[Notification]:
    """One notification for one person (an author), whether or not they follow. No commit."""
    if user_id is None:
        return []
    notification = Notification(user_id=user_id, event=event, submission_id=submission.id,
                                payload={"title": submission.title, **(payload or {})})
    db.session.add(notification)
    queue_mails([notification])
    return [notification]


def workshop_when(held_on: str, starts_at: str | None) -> str:
    """A workshop's date and time as kept in a notification, in the reader's language."""
    from ..leads.workshops import when_text  # here: the lead services import this module

    return when_text(date.fromisoformat(held_on),
                     time.fromisoformat(starts_at) if starts_at else None)


def message(notification: Notification) -> str:
    payload = {"news": "", **notification.payload}
    if notification.event == "lead_stage":  # the stage in plain words, in the reader's language
        payload["news"] = public_news(payload.get("stage", ""), reason=payload.get("reason", ""),
                                      enterprise=payload.get("enterprise", ""))
    if notification.event == "workshop_invitation":  # the date in the reader's language
        payload["when"] = (workshop_when(payload["held_on"], payload.get("starts_at"))
                           if "held_on" in payload else payload.get("date", ""))
    return str(EVENT_MESSAGES[notification.event]) % payload


def queue_mails(notifications: list[Notification]) -> None:
    """One mail per notification for those who chose immediate mails; the digest takes the rest."""
    if not notifications:
        return
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({n.user_id for n in notifications}),
        User.notification_frequency == NotificationFrequency.IMMEDIATE))}
    for notification in notifications:
        if notification.user_id in users:
            _queue_mail(users[notification.user_id], [notification])


def _queue_mail(user: User, batch: list[Notification]) -> None:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        items = [(message(n), public_url("submissions.detail", submission_id=n.submission_id))
                 for n in batch]
    unsubscribe = public_url("notifications.unsubscribe",
                             token=make_token(UNSUBSCRIBE, {"uid": user.id}))
    outbox.queue_mail(user.email, _l("News from the Fabrique à initiatives"), "notification",
                      locale=user.locale, user=user, items=items, unsubscribe=unsubscribe,
                      headers={"List-Unsubscribe": f"<{unsubscribe}>",
                               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    now = utcnow()
    for notification in batch:
        notification.emailed_at = now


def send_digests() -> int:
    """Queue for each daily-digest reader one mail of what they have not been mailed yet; returns
    how many digests were queued. One transaction."""
    pending = db.session.scalars(
        select(Notification).join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None),
               User.notification_frequency == NotificationFrequency.DAILY)
        .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(by_user)))}
    for user_id, batch in by_user.items():
        _queue_mail(users[user_id], batch)
    db.session.commit()
    return len(by_user)


def unsubscribing_user(token: str) -> User:
    """Whose mails an unsubscribe link stops; refuses a forged or expired link."""
    data = read_token(UNSUBSCRIBE, token, max_age=UNSUBSCRIBE_LINK_MAX_AGE)
    user = db.session.get(User, data.get("uid"))
    if user is None:
        raise InvalidToken(_("This link is not valid. Check that you copied it whole."))
    return user


def unsubscribe(token: str) -> User:
    """From a mail: no more mails, the in-site list stays."""
    user = unsubscribing_user(token)
    user.notification_frequency = NotificationFrequency.NEVER
    db.session.commit()
    return user


def set_frequency(user: User, frequency: str) -> None:
    if frequency not in set(NotificationFrequency):
        raise InvalidInput(_("Choose one of the offered answers."), field="frequency")
    user.notification_frequency = frequency
    db.session.commit()


def inbox(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id.desc()).limit(limit)))


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()


def toggle_follow(user: User, submission: Submission) -> bool:
    """Follow or stop following; returns whether the user now follows."""
    following = is_following(user, submission)
    (unfollow if following else follow)(user, submission)
    db.session.commit()
    return not following
