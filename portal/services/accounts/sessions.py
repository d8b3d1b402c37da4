"""Server-side sessions: a browser is logged in while its row exists and its lifetimes hold.

The cookie (and the remember-me cookie) carries `<user id>:<key>`; the table keeps a hash of the
key. Logging out deletes the row, so a copied cookie stops working; a password change deletes
every row of the account.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ...extensions import db
from ...models import User, UserSession, utcnow

#: A session seen less than this long ago is not written again on each request.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(user: User) -> str:
    """A new session for `user`, who has just proved who they are; one transaction."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=hash_key(key)))
    user.last_login_at = utcnow()
    db.session.commit()
    user.session_key = key
    return key


def _expired(row: UserSession) -> bool:
    config = current_app.config
    now = utcnow()
    return (now - row.last_seen_at > timedelta(seconds=config["SESSION_IDLE_LIFETIME"])
            or now - row.created_at > timedelta(seconds=config["SESSION_ABSOLUTE_LIFETIME"]))


def resume(user_id: int, key: str) -> User | None:
    """The user a cookie stands for, or None when its session has ended (logged out, password
    changed, idle or too old: an ended session is deleted)."""
    # One query for the session and its account: it runs on every request of a logged-in person.
    found = db.session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                               .where(UserSession.key_hash == hash_key(key))).first()
    if found is None or found.UserSession.user_id != user_id:
        return None
    row, user = found
    if _expired(row):
        db.session.delete(row)
        db.session.commit()
        return None
    if utcnow() - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = utcnow()
        db.session.commit()
    user.session_key = key
    return user


def close_session(user: User) -> None:
    """Log out this browser: its cookie, and every copy of it, opens nothing any more."""
    if user.session_key:
        db.session.execute(delete(UserSession).where(
            UserSession.key_hash == hash_key(user.session_key)))
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Every browser of the account is logged out (a password change). Does not commit."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def end_other_sessions(user: User) -> None:
    """Every browser but this one is logged out (a password changed from the account page).
    Does not commit."""
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.key_hash != hash_key(user.session_key or "")))
