"""Webhooks: a partner's forwarded items tell it when their status or stage changes.

Events are outbox rows written in the transaction that makes the change, then sent by the worker,
signed with HMAC-SHA256, retried with backoff (services/core/outbox.py).
"""
from __future__ import annotations

import hashlib
import hmac
import json

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import OutboxMessage, PartnerOrganisation, Submission, utcnow
from ..core import outbox
from ..core.errors import InvalidInput
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
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


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
    "hidden": _l("Hidden after reports"),
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
        SIGNATURE_HEADER: sign(organisation.webhook_secret or "", timestamp, body),
        DELIVERY_HEADER: message.idempotency_key,
        "User-Agent": "fabrique-portal-webhooks/1",
    }, allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"], deadline=TIMEOUT_SECONDS)
    return outbox.Outcome(ok=attempt.ok, status=attempt.status, error=attempt.error)


def recent(organisation: PartnerOrganisation, limit: int = 30) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.organisation_id == organisation.id)
        .order_by(OutboxMessage.id.desc()).limit(limit)))
