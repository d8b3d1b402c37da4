"""Webhooks: a partner's forwarded items tell it when their status or stage changes.

Events are queued in the transaction that makes the change, then sent by `deliver_due` (the
`deliver-webhooks` command, run every minute), signed with HMAC-SHA256, retried with backoff.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import PartnerOrganisation, Submission, WebhookDelivery, utcnow
from ..core.errors import InvalidInput
from ..submissions.opendata import lead_stages_by_submission

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Fabrique-Signature"
TIMESTAMP_HEADER = "X-Fabrique-Timestamp"


def check_url(url: str) -> None:
    """Refuse what could reach the portal's own network, unless a setting allows it (tests)."""
    parts = urlsplit(url)
    allow_private = current_app.config["WEBHOOK_ALLOW_PRIVATE"]
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise InvalidInput(_("The address must start with https://."), field="webhook_url")
    if not parts.hostname:
        raise InvalidInput(_("This address has no host name."), field="webhook_url")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError) as error:
        raise InvalidInput(_("This host name cannot be resolved."), field="webhook_url") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified) and not allow_private:
            raise InvalidInput(_("This address points to a private or local network."),
                               field="webhook_url")


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
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = str(int(utcnow().timestamp()))
    request = urllib.request.Request(organisation.webhook_url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(organisation.webhook_secret or "", timestamp, body),
        "User-Agent": "fabrique-portal-webhooks/1",
    })
    try:
        check_url(organisation.webhook_url)
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, InvalidInput) as error:
        return None, str(getattr(error, "message", error))[:300]


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
