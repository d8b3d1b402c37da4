"""Webhooks: a partner's forwarded items tell it when their status or stage changes.

Events are queued in the transaction that makes the change, then sent by `deliver_due` (the
`deliver-webhooks` command, run every minute), signed with HMAC-SHA256, retried with backoff.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import PartnerOrganisation, Submission, WebhookDelivery, utcnow
from ..core.errors import InvalidInput
from ..submissions.opendata import lead_stages_by_submission
from . import webhook_transport

MAX_ATTEMPTS = 8
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
        "url": url_for("submissions.detail", submission_id=submission.id, _external=True)
        if submission.is_open else None,
        "updated_at": submission.updated_at.isoformat() + "Z",
    }


def queue_event(submission: Submission, event: str) -> WebhookDelivery | None:
    """Queue an event for the item's organisation, if it registered a URL. Does not commit."""
    if submission.partner_organisation_id is None:
        return None
    organisation = db.session.get(PartnerOrganisation, submission.partner_organisation_id)
    if not organisation.webhook_url:
        return None
    delivery = WebhookDelivery(organisation_id=organisation.id, event=event,
                               payload={"event": event, "item": item_state(submission)},
                               next_attempt_at=utcnow())
    db.session.add(delivery)
    return delivery


def _send(organisation: PartnerOrganisation, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One signed POST; never raises, so one bad endpoint fails only its own delivery."""
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = str(int(utcnow().timestamp()))
    attempt = webhook_transport.post(organisation.webhook_url, body, {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(organisation.webhook_secret or "", timestamp, body),
        "User-Agent": "fabrique-portal-webhooks/1",
    }, allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"], deadline=TIMEOUT_SECONDS)
    if attempt.ok:
        return attempt.status, ""
    # deliver_due counts a status outside 2xx as a failure; a 2xx whose body could not be read
    # in time is one too, so it is recorded without its status.
    status = attempt.status if attempt.status is not None and not 200 <= attempt.status < 300 \
        else None
    return status, attempt.error or ""


def deliver_due(limit: int = 100) -> int:
    """Send the deliveries that are due; returns how many succeeded."""
    now = utcnow()
    due = db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.delivered_at.is_(None), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(limit)).all()
    done = 0
    for delivery in due:
        organisation = db.session.get(PartnerOrganisation, delivery.organisation_id)
        status, error = _send(organisation, delivery)
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = status, error or None
        if status is not None and 200 <= status < 300:
            delivery.delivered_at, delivery.next_attempt_at = utcnow(), None
            done += 1
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = utcnow() + timedelta(minutes=2 ** delivery.attempts)
        db.session.commit()
    return done


def recent(organisation: PartnerOrganisation, limit: int = 30) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.organisation_id == organisation.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))
