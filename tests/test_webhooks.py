"""Webhooks against a real local HTTP receiver: signature, retries with backoff, address checks."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import create_app
from portal.config import ConfigurationError
from portal.extensions import db
from portal.models import (
    MessageKind,
    MessageState,
    OutboxMessage,
    PartnerOrganisation,
    Submission,
    User,
    utcnow,
)
from portal.services.core import outbox
from portal.services.core.errors import InvalidInput
from portal.services.partners import forwarding as partners
from portal.services.partners import webhooks
from portal.worker import drain_safely

from .services.partners.servers import Receiver, TCPEndpoint, read_request


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
    db.session.execute(update(OutboxMessage).where(OutboxMessage.next_attempt_at.is_not(None))
                       .values(next_attempt_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


WEBHOOKS = select(OutboxMessage).where(OutboxMessage.kind == MessageKind.WEBHOOK) \
    .order_by(OutboxMessage.id)


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
        assert "0 messages delivered" in runner.invoke(args=["worker", "--burst"]).output
        with app.app_context():
            delivery = db.session.scalar(WEBHOOKS)
            assert (delivery.attempts, delivery.last_status, delivery.state) == (
                1, 500, MessageState.QUEUED)
            assert delivery.next_attempt_at is not None
            # Not due yet: backoff. Then the time comes.
            assert outbox.drain() == 0
            make_due()
        assert "1 messages delivered" in runner.invoke(args=["worker", "--burst"]).output
    headers, body = receiver.received[-1]
    event = json.loads(body)
    assert event["event"] == "published" and event["item"]["id"] == item_id
    assert event["item"]["reference"] == "R-1"
    expected = webhooks.sign(secret, headers[webhooks.TIMESTAMP_HEADER], body)
    assert headers[webhooks.SIGNATURE_HEADER] == expected
    with app.app_context():
        delivery = db.session.scalar(WEBHOOKS)
        assert (delivery.attempts, delivery.last_status) == (2, 200)
        assert delivery.sent_at is not None and delivery.state == MessageState.SENT
        # Both attempts carried the same delivery id, for the partner to drop a repeat.
        assert {h[webhooks.DELIVERY_HEADER] for h, _b in receiver.received} == {
            delivery.idempotency_key}


def test_retries_stop_after_the_last_attempt(app, client, auth, make, moderator, organisation):
    with Receiver([500] * 20) as receiver:
        set_url(app, organisation, receiver.url)
        forward_and_publish(app, client, auth, moderator, make, organisation)
        last = outbox.MAX_ATTEMPTS[MessageKind.WEBHOOK]
        with app.app_context():
            for _ in range(last):
                make_due()
                outbox.drain()
            delivery = db.session.scalar(WEBHOOKS)
            assert (delivery.attempts, delivery.state, delivery.next_attempt_at) == (
                last, MessageState.FAILED, None)
    assert len(receiver.received) == last


PRIVATE_NETWORK = "Cette adresse pointe vers un réseau privé ou local."


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:9/hook", "L'adresse doit commencer par https://."),
    ("ftp://example.org/", "L'adresse doit commencer par https://."),
    ("https:///hook", "Cette adresse n'a pas de nom d'hôte."),
    ("https://example.org:99999/", "Cette adresse a un numéro de port invalide."),
    ("https://no-such-host.invalid/", "Ce nom d'hôte ne peut pas être résolu."),
    ("https://127.0.0.1/hook", PRIVATE_NETWORK),
    ("https://localhost/hook", PRIVATE_NETWORK),
    ("https://10.1.2.3/hook", PRIVATE_NETWORK),
    ("https://[::1]/hook", PRIVATE_NETWORK),
    ("https://169.254.169.254/latest", PRIVATE_NETWORK),
    ("https://100.100.100.200/latest", PRIVATE_NETWORK),
    ("https://100.64.0.1/", PRIVATE_NETWORK),
    ("https://[::ffff:127.0.0.1]/", PRIVATE_NETWORK),
    ("https://[2002:7f00:1::]/", PRIVATE_NETWORK),
    ("https://[64:ff9b::7f00:1]/", PRIVATE_NETWORK),
])
def test_private_and_local_addresses_are_refused_by_default(app, url, message):
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:
        webhooks.check_url(url)
    assert (refused.value.field, refused.value.message) == ("webhook_url", message)


def test_no_webhook_no_delivery(app, client, auth, make, moderator, organisation):
    forward_and_publish(app, client, auth, moderator, make, organisation)
    with app.app_context():
        assert db.session.scalar(WEBHOOKS) is None


def test_a_private_lead_stage_still_reaches_the_partner(app, client, auth, make, moderator,
                                                       organisation):
    """Followers hear only of public leads; the forwarding partner always hears of its item."""
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
        drain_safely(app)
    events = [json.loads(body) for _headers, body in receiver.received]
    assert [e["event"] for e in events] == ["published", "in_project", "lead_stage"]
    assert events[-1]["item"]["lead_stage"] == "opportunity"


# One bad endpoint, a redirect, production settings ------------------------------------------

def partner_with_webhook(client, auth, admin, make, name, url):
    """An admin creates the organisation and attaches an agent, who registers `url` on the
    partner dashboard. Returns the agent."""
    agent = make.user(email=f"agent-{len(name)}@example.org")
    auth.login(admin)
    response = client.post("/admin/organisations", data={"name": name, "kind": "company",
                                                         "territory": ""})
    organisation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    auth.login(agent)
    response = client.post("/partenaires/webhook", data={"webhook_url": url})
    assert response.status_code == 200 and 'id="webhook-secret"' in response.text  # shown once
    auth.logout()
    return agent


def forward_by_form(app, client, auth, agent, moderator, place, reference):
    auth.login(agent)
    client.post("/partenaires/transmettre", data={
        "title": "Un local vacant rue Jean Jaurès", "description": "Le local de 200 m² est vide "
        "depuis la fermeture du magasin ; le bailleur est ouvert à un projet.",
        "territory": place[0].id, "theme": place[1].id, "reference": reference})
    auth.logout()
    with app.app_context():
        item_id = db.session.scalar(select(Submission.id).where(
            Submission.external_reference == reference))
    auth.login(moderator)
    client.post(f"/contributions/{item_id}/publier")
    auth.logout()
    return item_id


def answer_garbage(conn, stop):
    read_request(conn)
    conn.sendall(b"garbage\r\n")


def test_one_endpoint_answering_garbage_does_not_stop_the_next_organisation(
        app, client, auth, admin, make, moderator, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    place = (make.territory(), make.theme())
    with TCPEndpoint(answer_garbage) as garbage, Receiver() as receiver:
        first = partner_with_webhook(client, auth, admin, make, "Bailleur social", garbage.url)
        second = partner_with_webhook(client, auth, admin, make, "Direction de l'économie",
                                      receiver.url)
        forward_by_form(app, client, auth, first, moderator, place, "A-1")
        item_id = forward_by_form(app, client, auth, second, moderator, place, "B-1")
        output = app.test_cli_runner().invoke(args=["worker", "--burst"]).output
        # one webhook, and each agent's mail: they follow what they forwarded
        assert "3 messages delivered" in output
    assert garbage.connections == 1
    with app.app_context():
        failed, delivered = db.session.scalars(WEBHOOKS).all()
        assert failed.organisation_id == db.session.get(User, first.id).partner_organisation_id
        assert (failed.attempts, failed.last_status, failed.state) == (1, None, MessageState.QUEUED)
        assert failed.last_error.startswith("not an HTTP answer")
        assert failed.next_attempt_at is not None
        assert (delivered.attempts, delivered.last_status) == (1, 200)
        assert delivered.state == MessageState.SENT
        secret = db.session.get(PartnerOrganisation, delivered.organisation_id).webhook_secret
    headers, body = receiver.received[0]
    assert json.loads(body)["item"]["id"] == item_id
    assert headers[webhooks.SIGNATURE_HEADER] == webhooks.sign(
        secret, headers[webhooks.TIMESTAMP_HEADER], body)


def test_a_redirect_is_shown_as_a_failure_and_not_followed(app, client, auth, admin, make,
                                                           moderator, monkeypatch):
    """A partner URL answering 302 to the portal's own network reached it and showed 'Livré'."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    place = (make.territory(), make.theme())
    with Receiver() as inside, Receiver(
            [302], headers={"Location": f"http://127.0.0.1:{inside.port}/admin"}) as outside:
        agent = partner_with_webhook(client, auth, admin, make, "Bailleur social", outside.url)
        forward_by_form(app, client, auth, agent, moderator, place, "A-1")
        assert drain_safely(app) == 1  # the agent's mail: the webhook is not delivered
    assert len(outside.received) == 1 and inside.received == []
    with app.app_context():
        delivery = db.session.scalar(WEBHOOKS)
        assert (delivery.last_status, delivery.state) == (302, MessageState.QUEUED)
        assert delivery.last_error == "HTTP 302: redirect not followed"
    auth.login(agent)
    dashboard = client.get("/partenaires/").text
    assert "302" in dashboard and "Livré" not in dashboard


def test_production_refuses_to_start_with_private_webhooks(monkeypatch, tmp_path):
    """WEBHOOK_ALLOW_PRIVATE is for tests: in production it would open the server's network."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    for name in ("DATABASE_URL", "MODERATION_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "1")
    with pytest.raises(ConfigurationError, match="WEBHOOK_ALLOW_PRIVATE"):
        create_app("production")
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "0")
    assert create_app("production").config["WEBHOOK_ALLOW_PRIVATE"] is False
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "1")
    assert create_app("development").config["WEBHOOK_ALLOW_PRIVATE"] is True
