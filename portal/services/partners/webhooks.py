"""Webhooks: a partner's forwarded items tell it when their status or stage changes.

Events are outbox rows written in the transaction that makes the change, then sent by the worker,
signed with HMAC-SHA256, retried with backoff (services/core/outbox.py).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import MessageState, OutboxMessage, PartnerOrganisation, Submission, User, utcnow
from ..core import audit, outbox
from ..core.errors import InvalidInput, NotAllowed
from ..core.links import public_url
from ..submissions.opendata import lead_stages_by_submission
from . import webhook_transport

TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Fabrique-Signature"
TIMESTAMP_HEADER = "X-Fabrique-Timestamp"


def check_url(url: str) -> None:
    """Refuse what could reach the portal's own network, unless a setting allows it (tests).
    The same policy as each delivery's (`webhook_transport`), which checks again when it sends."""
    try:
        webhook_transport.resolve(url, current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    except webhook_transport.UnsafeURL as error:
        messages = {
            "scheme": _("The address must start with https://."),
            "no_host": _("This address has no host name."),
            "bad_port": _("This address has an invalid port."),
            "unresolvable": _("This host name cannot be resolved."),
            "unsafe_address": _("This address points to a private or local network."),
        }
        raise InvalidInput(messages[error.reason], field="webhook_url") from error


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """One signature: HMAC-SHA256 of "<timestamp>.<body>" with the secret, in hex."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_header(organisation: PartnerOrganisation, timestamp: str, body: bytes,
                     now: datetime | None = None) -> str:
    """The signature header: the current secret's signature, then, during a rotation's grace
    period, the former secret's, separated by a comma. A receiver accepts the request when any
    of them matches a secret it knows."""
    signatures = [sign(organisation.webhook_secret or "", timestamp, body)]
    if in_grace(organisation, now):
        signatures.append(sign(organisation.webhook_previous_secret, timestamp, body))
    return ", ".join(signatures)


def in_grace(organisation: PartnerOrganisation, now: datetime | None = None) -> bool:
    """Whether the former secret still signs, after a rotation."""
    until = organisation.webhook_previous_secret_until
    return bool(organisation.webhook_previous_secret) and until is not None \
        and (now or utcnow()) < until


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _require_member(user: User, organisation: PartnerOrganisation) -> None:
    if not policies.belongs_to(user, organisation):
        raise NotAllowed(_("You cannot change this organisation's settings."))


def rotate_secret(user: User, organisation: PartnerOrganisation) -> str:
    """A new signing secret, returned to be shown once; the former one keeps signing beside it
    for WEBHOOK_SECRET_GRACE_HOURS, so the partner can switch without losing an event."""
    _require_member(user, organisation)
    if not organisation.webhook_url:
        raise NotAllowed(_("Save a webhook address first."))
    grace = timedelta(hours=current_app.config["WEBHOOK_SECRET_GRACE_HOURS"])
    organisation.webhook_previous_secret = organisation.webhook_secret
    organisation.webhook_previous_secret_until = utcnow() + grace
    organisation.webhook_secret = new_secret()
    audit.record(user, "webhook_secret_rotate", organisation, {},
                 {"previous_valid_until": organisation.webhook_previous_secret_until})
    db.session.commit()
    return organisation.webhook_secret


#: The test event's name, in the log and the OpenAPI document.
TEST_EVENT = "test"


def test_payload(organisation: PartnerOrganisation) -> dict:
    return {"event": TEST_EVENT, "organisation": organisation.name,
            "created_at": utcnow().isoformat() + "Z"}


def send_test_event(user: User, organisation: PartnerOrganisation) -> OutboxMessage:
    """Queue a test event through the outbox, signed and logged like the others."""
    _require_member(user, organisation)
    if not organisation.webhook_url:
        raise NotAllowed(_("Save a webhook address first."))
    message = outbox.queue_webhook(organisation.id, organisation.webhook_url, TEST_EVENT,
                                   test_payload(organisation))
    audit.record(user, "webhook_test", organisation, {}, {"url": organisation.webhook_url})
    db.session.commit()
    return message


def item_state(submission: Submission, stages: dict[int, str] | None = None) -> dict:
    """What a partner sees of its item, in the API and in webhook events alike. `stages`
    (submission id -> lead stage, for a whole list in one query) avoids a query per item."""
    if stages is None:
        stages = lead_stages_by_submission([submission.id])
    return {
        "id": submission.id, "reference": submission.external_reference,
        "title": submission.title, "status": submission.status,
        "public_answer": submission.public_answer,
        "lead_stage": stages.get(submission.id),
        "url": public_url("submissions.detail", submission_id=submission.id)
        if submission.is_open else None,
        "updated_at": submission.updated_at.isoformat() + "Z",
    }


#: What each event means, as a partner reads it on its dashboard.
EVENT_LABELS = {
    "published": _l("Published"), "declined": _l("Not retained"), "answered": _l("Answered"),
    "status_changed": _l("New status"), "merged": _l("Merged into another contribution"),
    "merge_undone": _l("No longer merged"),
    "in_project": _l("Became part of a project lead"),
    "left_lead": _l("No longer part of a project lead"), "lead_stage": _l("The lead changed stage"),
    "withdrawn": _l("Withdrawn"), "details_requested": _l("Details requested"),
    "hidden": _l("Hidden after reports"), TEST_EVENT: _l("Test event"),
}
DELIVERY_HEADER = "X-Fabrique-Delivery"


def queue_event(submission: Submission, event: str) -> OutboxMessage | None:
    """Queue an event for the item's organisation, if it registered a URL. Does not commit."""
    if submission.partner_organisation_id is None:
        return None
    organisation = db.session.get(PartnerOrganisation, submission.partner_organisation_id)
    if not organisation.webhook_url:
        return None
    db.session.flush()  # the change is written, so the payload's `updated_at` is the API's
    return outbox.queue_webhook(organisation.id, organisation.webhook_url, event,
                                {"event": event, "item": item_state(submission)})


def send(message: OutboxMessage) -> outbox.Outcome:
    """One signed POST to the organisation's address; never raises, so one bad endpoint fails
    only its own delivery. The delivery id lets the partner drop a repeat."""
    organisation = db.session.get(PartnerOrganisation, message.organisation_id)
    url = organisation.webhook_url if organisation is not None else None
    if not url:
        return outbox.Outcome(ok=False, error="The organisation has no webhook address any more.")
    body = json.dumps(message.payload, ensure_ascii=False).encode()
    timestamp = str(int(utcnow().timestamp()))
    attempt = webhook_transport.post(url, body, {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature_header(organisation, timestamp, body),
        DELIVERY_HEADER: message.idempotency_key,
        "User-Agent": "fabrique-portal-webhooks/1",
    }, allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"], deadline=TIMEOUT_SECONDS)
    return outbox.Outcome(ok=attempt.ok, status=attempt.status, error=attempt.error)


def recent(organisation: PartnerOrganisation, limit: int = 30) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.organisation_id == organisation.id)
        .order_by(OutboxMessage.id.desc()).limit(limit)))


#: What the transport's error notes mean, in words (the note's start -> the sentence).
ERROR_WORDS = (
    ("timed out", _l("Your server did not answer within %(seconds)d seconds.")),
    ("connection refused", _l("Your server refused the connection.")),
    ("connection closed", _l("Your server closed the connection without answering.")),
    ("TLS error", _l("The secure connection (TLS) to your server failed: check its "
                     "certificate.")),
    ("not an HTTP answer", _l("Your server's answer was not HTTP.")),
    ("network error", _l("Your server could not be reached.")),
    ("address refused", _l("The address points to a private or local network.")),
)
STATE_WORDS = {
    MessageState.QUEUED: _l("Waiting for its next try"),
    MessageState.SENDING: _l("Being sent"),
    MessageState.SENT: _l("Delivered"),
    MessageState.FAILED: _l("Given up after every try"),
}


@dataclass(frozen=True)
class Delivery:
    """One line of the delivery log, in words."""

    message: OutboxMessage
    event: str
    item_id: int | None
    state: str
    answer: str
    error: str


def _answer_words(status: int | None) -> str:
    if status is None:
        return str(_("No answer"))
    if 200 <= status < 300:
        return str(_("Accepted (HTTP %(status)d)", status=status))
    if 300 <= status < 400:
        return str(_("A redirect (HTTP %(status)d), which is not followed: give the final "
                     "address", status=status))
    if 400 <= status < 500:
        return str(_("Refused by your server (HTTP %(status)d)", status=status))
    return str(_("An error on your server (HTTP %(status)d)", status=status))


def _error_words(error: str | None, status: int | None) -> str:
    if not error or status is not None:
        return ""
    for start, words in ERROR_WORDS:
        if error.startswith(start):
            return str(words) % {"seconds": TIMEOUT_SECONDS}
    return str(_("The delivery failed."))


def delivery_log(organisation: PartnerOrganisation, limit: int = 30) -> list[Delivery]:
    """The organisation's recent deliveries, each in words: the event's label, the item, the
    state, the HTTP answer and the error."""
    return [Delivery(
        message=message, event=str(EVENT_LABELS.get(message.topic, _("Other event"))),
        item_id=(message.payload.get("item") or {}).get("id"),
        state=str(STATE_WORDS.get(message.state, message.state)),
        answer=_answer_words(message.last_status) if message.attempts else "",
        error=_error_words(message.last_error, message.last_status),
    ) for message in recent(organisation, limit)]
