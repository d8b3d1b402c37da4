"""Webhooks against a real local HTTP receiver: signature, retries with backoff, address checks."""
from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import PartnerOrganisation, User, WebhookDelivery, utcnow
from portal.services.core.errors import InvalidInput
from portal.services.partners import forwarding as partners
from portal.services.partners import webhooks


class Receiver:
    """A partner's server on 127.0.0.1: answers `statuses` in turn, records what it got."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def organisation(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    with app.app_context():
        org = partners.create_organisation(db.session.get(User, admin.id),
                                           "Direction de l'économie", "metropole_service", None)
        return org.id


def forward_and_publish(app, client, auth, moderator, make, organisation_id):
    territory, theme = make.territory(), make.theme()
    with app.app_context():
        item, _created = partners.forward(
            db.session.get(PartnerOrganisation, organisation_id), None,
            title="Un local vide à reprendre", description="Le local de l'ancienne poste est vide "
            "depuis deux ans.", territory_id=territory.id, theme_id=theme.id, reference="R-1")
        item_id = item.id
    auth.login(moderator)
    client.post(f"/contributions/{item_id}/publier")
    return item_id


def make_due():
    """Skip the backoff wait: the next attempt is now."""
    db.session.execute(update(WebhookDelivery).where(WebhookDelivery.next_attempt_at.is_not(None))
                       .values(next_attempt_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


def set_url(app, organisation_id, url):
    with app.app_context():
        org = db.session.get(PartnerOrganisation, organisation_id)
        org.webhook_url = url
        db.session.commit()
        return org.webhook_secret


def test_a_status_change_is_posted_signed_and_retried_until_it_succeeds(app, client, auth, make,
                                                                        moderator, organisation):
    with Receiver([500, 200]) as receiver:
        secret = set_url(app, organisation, receiver.url)
        item_id = forward_and_publish(app, client, auth, moderator, make, organisation)
        runner = app.test_cli_runner()
        assert "0 webhook" in runner.invoke(args=["deliver-webhooks"]).output
        with app.app_context():
            delivery = db.session.scalar(select(WebhookDelivery))
            assert (delivery.attempts, delivery.last_status,
                    delivery.delivered_at) == (1, 500, None)
            assert delivery.next_attempt_at is not None
            # Not due yet: backoff. Then the time comes.
            assert webhooks.deliver_due() == 0
            make_due()
        assert "1 webhook" in runner.invoke(args=["deliver-webhooks"]).output
    headers, body = receiver.received[-1]
    event = json.loads(body)
    assert event["event"] == "published" and event["item"]["id"] == item_id
    assert event["item"]["reference"] == "R-1"
    expected = webhooks.sign(secret, headers[webhooks.TIMESTAMP_HEADER], body)
    assert headers[webhooks.SIGNATURE_HEADER] == expected
    with app.app_context():
        delivery = db.session.scalar(select(WebhookDelivery))
        assert (delivery.attempts, delivery.last_status) == (2, 200)
        assert delivery.delivered_at is not None


def test_retries_stop_after_the_last_attempt(app, client, auth, make, moderator, organisation):
    with Receiver([500] * 20) as receiver:
        set_url(app, organisation, receiver.url)
        forward_and_publish(app, client, auth, moderator, make, organisation)
        with app.app_context():
            for _ in range(webhooks.MAX_ATTEMPTS):
                make_due()
                webhooks.deliver_due()
            delivery = db.session.scalar(select(WebhookDelivery))
            assert delivery.attempts == webhooks.MAX_ATTEMPTS and delivery.next_attempt_at is None
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook",
                                 "https://10.1.2.3/hook", "https://[::1]/hook",
                                 "https://169.254.169.254/latest", "ftp://example.org/"])
def test_private_and_local_addresses_are_refused_by_default(app, url):
    with app.test_request_context(), pytest.raises(InvalidInput):
        webhooks.check_url(url)


def test_no_webhook_no_delivery(app, client, auth, make, moderator, organisation):
    forward_and_publish(app, client, auth, moderator, make, organisation)
    with app.app_context():
        assert db.session.scalar(select(WebhookDelivery)) is None


def test_a_private_lead_stage_still_reaches_the_partner(app, client, auth, make, moderator,
                                                       organisation):
    """Followers hear only of public leads; the forwarding partner always hears of its item."""
    from portal.models import Submission
    from portal.services.leads.pipeline import convert, move

    with Receiver([200, 200, 200]) as receiver:
        set_url(app, organisation, receiver.url)
        item_id = forward_and_publish(app, client, auth, moderator, make, organisation)
        with app.test_request_context():
            actor = db.session.get(User, moderator.id)
            item = db.session.get(Submission, item_id)
            lead = convert(actor, [item_id], title="Reprise du local",
                           summary="Reprendre le local.", territory_id=item.territory_id,
                           theme_id=item.theme_id)
            move(lead, actor, "opportunity", note="Étude lancée avec le bailleur.")
            webhooks.deliver_due()
    events = [json.loads(body) for _headers, body in receiver.received]
    assert [e["event"] for e in events] == ["published", "in_project", "lead_stage"]
    assert events[-1]["item"]["lead_stage"] == "opportunity"
