"""Partners verify their webhooks (issue 10): the secret is shown once when the webhook is made,
a rotation keeps the former secret signing beside the new one for a grace period, a test event
goes through the outbox, the log speaks in words, and the documented checks really work."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage, PartnerOrganisation, User, utcnow
from portal.services.core.errors import NotAllowed
from portal.services.partners import forwarding as partners
from portal.services.partners import webhooks
from portal.worker import drain_safely

from .lead_pages import french, text_of
from .services.partners.servers import Receiver


@pytest.fixture
def agent(app, make, admin, monkeypatch):
    """A partner account of an organisation, logged in through the form by the tests."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    user = make.user(email="agent@metropole.example.org", role="partner")
    with app.app_context():
        organisation = partners.create_organisation(
            db.session.get(User, admin.id), "Direction de l'économie", "metropole_service", None)
        db.session.get(User, user.id).partner_organisation_id = organisation.id
        db.session.commit()
    return user


def _secret_on(page: str) -> str:
    return re.search(r'id="webhook-secret" value="([^"]+)"', page)[1]


def _signatures(headers: dict) -> list[str]:
    return [value.strip() for value in headers[webhooks.SIGNATURE_HEADER].split(",")]


def _expected(secret: str, headers: dict, body: bytes) -> str:
    return webhooks.sign(secret, headers[webhooks.TIMESTAMP_HEADER], body)


def _journal(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_rotation_signs_with_both_secrets_during_the_grace_period_then_the_new_one_only(
        app, client, auth, agent):
    auth.login(agent)
    with Receiver() as receiver:
        page = client.post("/partenaires/webhook", data={"webhook_url": receiver.url})
        assert page.status_code == 200
        assert french(app, "Copy it now and keep it on your server: it is shown only this "
                           "once.") in text_of(page)
        first = _secret_on(page.text)
        assert first not in client.get("/partenaires/").text  # shown once, never again
        # Saving the same address again keeps the secret.
        assert client.post("/partenaires/webhook",
                           data={"webhook_url": receiver.url}).status_code == 302

        client.post("/partenaires/webhook/test")
        drain_safely(app)
        headers, body = receiver.received[-1]
        assert json.loads(body)["event"] == "test"
        assert _signatures(headers) == [_expected(first, headers, body)]

        page = client.post("/partenaires/webhook/secret")
        assert page.status_code == 200
        second = _secret_on(page.text)
        assert second != first
        assert french(app, "Until %(date)s, events carry a signature with the former secret "
                           "too.", date="@").split("@")[0] in text_of(client.get("/partenaires/"))
        client.post("/partenaires/webhook/test")
        drain_safely(app)
        headers, body = receiver.received[-1]
        assert _signatures(headers) == [_expected(second, headers, body),
                                        _expected(first, headers, body)]

        with app.app_context():  # the grace period ends
            db.session.execute(update(PartnerOrganisation).values(
                webhook_previous_secret_until=utcnow() - timedelta(minutes=1)))
            db.session.commit()
        client.post("/partenaires/webhook/test")
        drain_safely(app)
        headers, body = receiver.received[-1]
        assert _signatures(headers) == [_expected(second, headers, body)]
    assert len(receiver.received) == 3
    assert _journal(app)[-6:] == ["webhook_change", "webhook_change", "webhook_test",
                                  "webhook_secret_rotate", "webhook_test", "webhook_test"]


def test_the_log_speaks_in_words(app, client, auth, agent):
    auth.login(agent)
    with Receiver([503]) as receiver:
        client.post("/partenaires/webhook", data={"webhook_url": receiver.url})
        response = client.post("/partenaires/webhook/test")
        assert response.status_code == 302
        drain_safely(app)
    page = text_of(client.get("/partenaires/"))
    assert french(app, "Test event") in page
    assert french(app, "An error on your server (HTTP %(status)d)", status=503) in page
    assert french(app, "Waiting for its next try") in page
    with app.app_context():  # the server went away; its next try comes due
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
    drain_safely(app)
    page = text_of(client.get("/partenaires/"))
    assert french(app, "Your server refused the connection.") in page
    assert "connection refused" not in page  # no raw note from the transport


def test_refusals_without_an_address_and_for_another_organisation(app, client, auth, agent,
                                                                  make):
    auth.login(agent)
    for url in ("/partenaires/webhook/test", "/partenaires/webhook/secret"):
        response = client.post(url)
        assert response.status_code == 403
        assert french(app, "Save a webhook address first.") in text_of(response)
    with app.app_context():
        stranger = db.session.get(User, make.user().id)
        organisation = db.session.scalar(select(PartnerOrganisation))
        with pytest.raises(NotAllowed):
            webhooks.rotate_secret(stranger, organisation)


def test_the_documented_checks_verify_a_real_delivery(app, client, auth, agent):
    """The Python and shell examples of the documentation page, run against a real request."""
    auth.login(agent)
    with Receiver() as receiver:
        first = _secret_on(client.post("/partenaires/webhook",
                                       data={"webhook_url": receiver.url}).text)
        second = _secret_on(client.post("/partenaires/webhook/secret").text)
        client.post("/partenaires/webhook/test")
        drain_safely(app)
    headers, body = receiver.received[-1]
    docs = client.get("/donnees-ouvertes").text
    python = html.unescape(re.search(r'<code class="example-python">(.*?)</code>', docs,
                                     re.S)[1])
    namespace: dict = {}
    exec(python, namespace)  # noqa: S102 - the page's own example
    check = namespace["is_from_the_fabrique"]
    timestamp, header = headers[webhooks.TIMESTAMP_HEADER], headers[webhooks.SIGNATURE_HEADER]
    assert check([second], timestamp, body, header)
    assert check([first], timestamp, body, header)  # during the grace period
    assert not check(["a-wrong-secret"], timestamp, body, header)
    assert not check([second], timestamp, body + b" ", header)

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    shell = html.unescape(re.search(r'<code class="example-shell">(.*?)</code>', docs, re.S)[1])
    result = subprocess.run(["sh", "-c", f"cd \"$DIR\" && {shell}"], capture_output=True,
                            text=True, check=True, env={
                                "PATH": "/usr/bin:/bin", "TIMESTAMP": timestamp,
                                "SECRET": second, "DIR": _write_body(body)})
    assert result.stdout.strip() in _signatures(headers)


def _write_body(body: bytes) -> str:
    import tempfile

    folder = tempfile.mkdtemp()
    with open(f"{folder}/body.json", "wb") as file:
        file.write(body)
    return folder


def test_the_openapi_document_describes_every_event_and_the_signature(client):
    document = client.get("/api/v1/openapi.json").get_json()
    from openapi_spec_validator import validate

    validate(document)
    assert set(document["webhooks"]) == set(webhooks.EVENT_LABELS)
    lead_stage = document["webhooks"]["lead_stage"]["post"]
    assert "HMAC-SHA256" in lead_stage["description"]
    assert {p["name"] for p in lead_stage["parameters"]} == {
        webhooks.SIGNATURE_HEADER, webhooks.TIMESTAMP_HEADER, webhooks.DELIVERY_HEADER}
    body = lead_stage["requestBody"]["content"]["application/json"]["schema"]
    assert body["allOf"][0] == {"$ref": "#/components/schemas/WebhookEvent"}
    assert "item" in document["components"]["schemas"]["WebhookEvent"]["properties"]
