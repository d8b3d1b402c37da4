"""The outbox: queue mail and webhook events inside a use case's transaction; deliver them after
the commit, at least once, with retries and backoff, never twice at the same time.

A message is claimed with one conditional UPDATE (state and lease checked in the WHERE clause, rows
locked with SKIP LOCKED on PostgreSQL), so two workers never send it at once; a worker that dies
leaves its claim to expire after `OUTBOX_LEASE_SECONDS`, and the sweep hands the message out again.
"""
from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from ... import policies
from ...extensions import db
from ...models import MessageKind, MessageState, OutboxMessage, User, utcnow
from . import audit
from .errors import InvalidInput, NotAllowed

#: Attempts before a message is left failed for an operator to retry.
MAX_ATTEMPTS = {MessageKind.MAIL: 10, MessageKind.WEBHOOK: 8, MessageKind.JOB: 5}
#: The first retry waits this long, each next one twice as long, up to `MAX_BACKOFF`.
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a mail (a calendar file): kept in the outbox row, so a resend
    carries the same file."""

    filename: str
    content_type: str
    content: str


def queue_mail(to: str, subject: str, template: str, *, locale: str | None = None,
               headers: dict | None = None, attachments: list[Attachment] = (),
               **context) -> OutboxMessage:
    """Render `templates/mail/<template>.txt` in the recipient's language and queue it for one
    address. `subject` is a lazy string, translated here. Does not commit."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = OutboxMessage(
            kind=MessageKind.MAIL, recipient=to, topic=template, subject=str(subject),
            body=render_template(f"mail/{template}.txt", **context), headers=headers or {},
            payload={"attachments": [asdict(a) for a in attachments]} if attachments else {},
            idempotency_key=secrets.token_hex(16), next_attempt_at=utcnow())
    db.session.add(message)
    return message


def queue_webhook(organisation_id: int, url: str, event: str, payload: dict) -> OutboxMessage:
    """Queue one event for a partner organisation's webhook. Does not commit."""
    message = OutboxMessage(
        kind=MessageKind.WEBHOOK,
        recipient=url,
        organisation_id=organisation_id,
        topic=event,
        payload=payload,
        idempotency_key=secrets.token_hex(16),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def queue_job(topic: str, payload: dict) -> OutboxMessage:
    """Queue work for the worker (see `JOBS`), done after the commit with retries like a mail.
    Does not commit."""
    message = OutboxMessage(kind=MessageKind.JOB, recipient=topic, topic=topic, payload=payload,
                            idempotency_key=secrets.token_hex(16), next_attempt_at=utcnow())
    db.session.add(message)
    return message


def _run_job(message: OutboxMessage) -> None:
    """A job runs in a savepoint: if it fails, nothing it wrote is kept, and it is retried."""
    from ..accounts import my_data

    jobs = {my_data.EXPORT_JOB: my_data.build_export}
    with db.session.begin_nested():
        jobs[message.topic](message.payload)


def _claimable(now):
    return or_(
        and_(OutboxMessage.state == MessageState.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.state == MessageState.SENDING, OutboxMessage.locked_until < now),
    )


def claim(message_ids: list[int] | None = None, limit: int = 50) -> list[tuple[int, str]]:
    """Take up to `limit` due messages (or those of `message_ids` that are due) for this worker;
    returns (id, claim token) pairs. Commits its own short transaction: a claim must be visible to
    the other workers before the slow part starts."""
    now = utcnow()
    candidates = select(OutboxMessage.id).where(_claimable(now))
    if message_ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(message_ids))
    candidates = (candidates.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                  .limit(limit).with_for_update(skip_locked=True))
    token = secrets.token_hex(8)
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), _claimable(now))
        .values(state=MessageState.SENDING, locked_until=now + lease, claim=token)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return [(message_id, token) for message_id in sorted(claimed)]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    error: str | None = None


def _attempt(message: OutboxMessage) -> Outcome:
    from ...mail import send_message
    from ..partners import webhooks

    try:
        if message.kind == MessageKind.MAIL:
            send_message(message)
            return Outcome(ok=True)
        if message.kind == MessageKind.JOB:
            _run_job(message)
            return Outcome(ok=True)
        return webhooks.send(message)
    except Exception as error:
        return Outcome(ok=False, error=f"{type(error).__name__}: {error}"[:300])


def deliver(message_id: int, token: str) -> bool:
    """Send one claimed message and record the attempt; True when it went out."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claim != token:
        db.session.rollback()
        return False
    outcome = _attempt(message)
    now = utcnow()
    values: dict = {"attempts": OutboxMessage.attempts + 1, "last_status": outcome.status,
                    "last_error": outcome.error, "locked_until": None, "claim": None}
    if outcome.ok:
        values.update(state=MessageState.SENT, sent_at=now, next_attempt_at=None)
    elif message.attempts + 1 >= MAX_ATTEMPTS[MessageKind(message.kind)]:
        values.update(state=MessageState.FAILED, next_attempt_at=None)
    else:
        values.update(
            state=MessageState.QUEUED, next_attempt_at=now + backoff(message.attempts + 1)
        )
    # Only the holder of the claim records the attempt: a worker whose lease ran out does not
    # overwrite what the next one did.
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                   OutboxMessage.claim == token).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return outcome.ok


#: Messages one claim takes: small enough that sending them all (a 15 s SMTP timeout or a 5 s
#: webhook deadline each) ends well within the lease, so no other worker takes them meanwhile.
CLAIM_BATCH = 10


def drain(limit: int = 100) -> int:
    """Claim and deliver what is due, in batches, until nothing is; returns how many went out."""
    sent = 0
    while True:
        batch = claim(limit=min(limit, CLAIM_BATCH))
        if not batch:
            return sent
        for message_id, token in batch:
            sent += deliver(message_id, token)
        limit -= len(batch)
        if limit <= 0:
            return sent


def due_ids(limit: int = 1000) -> list[int]:
    """What the sweep hands to the job queue again: due, or claimed by a worker that vanished."""
    return list(db.session.scalars(select(OutboxMessage.id).where(_claimable(utcnow()))
                                   .order_by(OutboxMessage.id).limit(limit)))


#: What an operator may send again at once: a message that is not out, nor being sent.
RETRYABLE_STATES = (MessageState.FAILED, MessageState.QUEUED)


def retry(admin: User, message_id: int) -> OutboxMessage:
    """An operator's "retry now": a failed or waiting message is due at once, with one more
    round of attempts if it had used them all. Journaled."""
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.state not in RETRYABLE_STATES:
        raise InvalidInput(_("This message is already sent or being sent."))
    before = audit.snapshot(message, ("state", "attempts", "next_attempt_at"))
    if message.state == MessageState.FAILED:
        message.attempts = 0
    message.state, message.next_attempt_at = MessageState.QUEUED, utcnow()
    audit.record(admin, "outbox_retry", message, before,
                 audit.snapshot(message, ("state", "attempts", "next_attempt_at")))
    db.session.commit()
    return message


def listing(state: str | None = None):
    """The operators' view of the queue, newest first, optionally in one state."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state:
        query = query.where(OutboxMessage.state == state)
    return query


@dataclass
class QueueHealth:
    counts: dict[str, int]
    overdue: int
    last_error: OutboxMessage | None


#: A queued message this late counts as overdue in the health check.
OVERDUE_AFTER = timedelta(minutes=5)


def health() -> QueueHealth:
    counts = dict.fromkeys(MessageState, 0)
    counts.update(db.session.execute(select(OutboxMessage.state, func.count(OutboxMessage.id))
                                     .group_by(OutboxMessage.state)).all())
    overdue = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        _claimable(utcnow() - OVERDUE_AFTER)))
    last_error = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.last_error.is_not(None), OutboxMessage.state != MessageState.SENT)
        .order_by(OutboxMessage.id.desc()).limit(1)).first()
    return QueueHealth(counts={str(k): v for k, v in counts.items()}, overdue=overdue,
                       last_error=last_error)
