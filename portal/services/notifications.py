"""Following submissions and telling their followers what happened to them."""
from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..extensions import db
from ..mail import send_mail
from ..models import Follow, Notification, NotificationFrequency, Submission, User, utcnow
from .sql import dialect_insert

#: What each event says; `payload` and the submission's title fill the placeholders.
EVENT_MESSAGES = {
    "published": _l("“%(title)s” is published."),
    "declined": _l("“%(title)s” was not retained. The Fabrique explains why on its page."),
    "in_project": _l("“%(title)s” became part of a project lead: “%(lead)s”."),
    "lead_stage": _l("The project “%(lead)s”, born from “%(title)s”, has reached a new stage. "
                     "Its page tells where it stands."),
    "workshop_invitation": _l("You supported “%(title)s”: you are invited to a co-construction "
                              "workshop for the project “%(lead)s” on %(date)s, %(place)s."),
}


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


def notify_followers(submission: Submission, event: str, *, actor: User | None = None,
                     payload: dict | None = None) -> list[Notification]:
    """Add one notification per follower (never the actor). Does not commit: call `deliver`
    with the result after the caller's commit, so no mail leaves for a rolled-back change."""
    follower_ids = db.session.scalars(
        select(Follow.user_id).where(Follow.submission_id == submission.id)).all()
    notifications = [
        Notification(user_id=user_id, event=event, submission_id=submission.id,
                     payload={"title": submission.title, **(payload or {})})
        for user_id in follower_ids if actor is None or user_id != actor.id
    ]
    db.session.add_all(notifications)
    return notifications


def message(notification: Notification) -> str:
    return str(EVENT_MESSAGES[notification.event]) % notification.payload


def deliver(notifications: list[Notification]) -> None:
    """Mail at once those who asked for it, each in their own language."""
    if not notifications:
        return
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({n.user_id for n in notifications})))}
    for notification in notifications:
        user = users[notification.user_id]
        if user.notification_frequency != NotificationFrequency.IMMEDIATE:
            continue
        with force_locale(user.locale or "fr"):
            send_mail(user.email, _("News from the Fabrique à initiatives"), "notification",
                      user=user, text=message(notification),
                      link=url_for("submissions.detail", submission_id=notification.submission_id,
                                   _external=True))
        notification.emailed_at = utcnow()
    db.session.commit()
