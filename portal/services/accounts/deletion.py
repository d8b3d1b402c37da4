"""Deleting an account: the person goes (e-mail, name, login), what they wrote stays under
"a former participant" or is withdrawn, at their choice; counters stay equal to what remains.

Unconfirmed accounts are purged the same way after `UNCONFIRMED_ACCOUNT_DAYS`.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from ... import policies
from ...extensions import db
from ...models import (
    MessageKind,
    MessageState,
    OutboxMessage,
    Role,
    Submission,
    User,
    utcnow,
)
from ..core import audit, outbox
from ..core.errors import NotAllowed, Problems
from ..submissions import comments, flags, posting, votes
from . import my_data


def delete_account(user: User, password: str, withdraw_contributions: bool) -> None:
    """The resident's own choice, confirmed with their password; one transaction."""
    if user.is_staff:
        raise NotAllowed(_("A staff account is deleted by an administrator, after its role "
                           "is handed over."))
    problems = Problems()
    if not password or not check_password_hash(user.password_hash, password):
        problems.add("password", _("This is not your password."))
    problems.raise_if_any()
    outbox.queue_mail(user.email, _l("Your account is deleted"), "account_deleted",
                      locale=user.locale, user=user)
    _erase(user, withdraw_contributions, "account_deleted")
    db.session.commit()


def purge_unconfirmed() -> int:
    """Delete the accounts whose address was never confirmed in time; returns how many."""
    cutoff = utcnow() - timedelta(days=current_app.config["UNCONFIRMED_ACCOUNT_DAYS"])
    users = db.session.scalars(select(User).where(
        User.email_verified_at.is_(None), User.created_at < cutoff,
        User.role == Role.RESIDENT)).all()
    for user in users:
        _erase(user, False, "account_purged")
    db.session.commit()
    return len(users)


def _erase(user: User, withdraw_contributions: bool, action: str) -> None:
    """Remove the person and every row that is theirs alone; keep (or withdraw) what they
    wrote, without their name. The journal keeps the event, with no personal data."""
    authored = db.session.scalars(select(Submission).where(Submission.author_id == user.id))
    withdrawn = 0
    if withdraw_contributions:
        for submission in authored:
            if submission.status in policies.WITHDRAWABLE_STATUSES:
                posting.apply_withdraw(submission)
                withdrawn += 1
        comments.delete_comments_of(user)
    votes.remove_supports_of(user)
    flags.remove_flags_of(user)
    my_data.remove_exports(user)
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.kind == MessageKind.MAIL, OutboxMessage.recipient == user.email,
        OutboxMessage.state.in_((MessageState.SENT, MessageState.FAILED))))
    db.session.flush()
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name != User.__tablename__ or table.name == "users":
                continue
            column = key.parent
            if column.nullable:
                db.session.execute(update(table).where(column == user.id).values(
                    {column.name: None}))
            else:
                db.session.execute(delete(table).where(column == user.id))
    audit.record(None, action, user, {}, {"contributions_withdrawn": withdraw_contributions,
                                          "withdrawn": withdrawn})
    db.session.execute(delete(User).where(User.id == user.id))
    db.session.expunge(user)
