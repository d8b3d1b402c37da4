"""The outbox as a city runs it: a mail server that is down delays mail and fails nothing; the
worker sends each message once, after the commit, and loses nothing when it dies."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import Lead, MessageState, OutboxMessage, Submission, User, utcnow
from portal.services.core import outbox
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.worker import drain_safely

from ...conftest import PASSWORD, submit_link_page
from ...smtp import MailServer, free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def mail_down(app):
    """MAIL_SERVER points to a port where nothing listens, until the test starts a server there."""
    port = free_port()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield port
    app.config.update(saved)


def messages(app, **filters) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).filter_by(**filters)
                                  .order_by(OutboxMessage.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def make_all_due(app) -> None:
    """Time passes: every waiting message reaches its next attempt."""
    with app.app_context():
        db.session.execute(update(OutboxMessage).where(
            OutboxMessage.state == MessageState.QUEUED).values(next_attempt_at=utcnow()))
        db.session.commit()


def test_with_the_mail_server_down_every_action_succeeds_and_mail_waits(
        app, client, auth, make, moderator, admin, mail_down):
    territory, theme = make.territory("Longueau"), make.theme("Mobilité")
    # A resident registers through the form: a normal page, not a 500.
    response = client.post("/compte/inscription", data={
        "email": "nadia@example.org", "display_name": "Nadia", "password": PASSWORD,
        "password_confirm": PASSWORD, "home_territory": "", "consent": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/compte/connexion"

    author = make.user(email="auteur@example.org")
    auth.login(author)
    assert client.post("/contributions/nouvelle", data={
        "kind": "need", "title": "Pas de bus le dimanche à Longueau",
        "body": "Le dimanche, aucun bus ne passe : impossible d'aller voir sa famille.",
        "territory": territory.id, "theme": theme.id, "author_offer": "none"}).status_code == 302
    auth.logout()
    with app.app_context():
        pending = db.session.scalars(select(Submission).where(
            Submission.author_id == author.id)).one()
        assert pending.status == "pending"
    duplicate = make.submission(make.user(email="doublon@example.org"), territory=territory,
                                theme=theme, title="Aucun bus le dimanche à Longueau")
    follower = make.user(email="voisine@example.org")
    make.support(duplicate, follower)
    auth.login(moderator)
    # Publish, answer, merge, convert: each ends on its normal page.
    assert client.post(f"/moderation/contributions/{pending.id}/publier").status_code == 302
    assert client.post(f"/moderation/contributions/{pending.id}/reponse", data={
        "text": "Nous étudions ce besoin avec le service mobilité.",
        "status": "under_study"}).status_code == 302
    assert client.post(f"/moderation/contributions/{pending.id}/fusion",
                       data={"sources": [duplicate.id], "confirmed": "yes"}).status_code == 302
    assert client.post("/pistes/nouvelle", data={
        "submission_ids": str(pending.id), "title": "Des bus le dimanche",
        "summary": "Relier Longueau au centre le dimanche.", "territory": territory.id,
        "theme": theme.id}).status_code == 302
    with app.app_context():
        assert db.session.get(Submission, pending.id).status == "in_project"
        assert db.session.scalar(select(func.count(Lead.id))) == 1

    # The mails wait in the outbox; a worker's pass records the failure and keeps them queued.
    waiting = messages(app, state=MessageState.QUEUED)
    recipients = {m.recipient for m in waiting}
    assert {"nadia@example.org", "auteur@example.org", "voisine@example.org"} <= recipients
    assert drain_safely(app) == 0
    after_failure = messages(app)
    assert all(m.state == MessageState.QUEUED and m.attempts == 1 for m in after_failure)
    assert all("Connection refused" in m.last_error or "ConnectionRefused" in m.last_error
               for m in after_failure)

    # An admin sees them, with the error, and the health check counts none overdue yet.
    auth.logout()
    auth.login(admin)
    page = client.get("/admin/envois")
    assert page.status_code == 200
    assert "nadia@example.org" in page.text and "Connection refused" in page.text
    assert "En attente" in page.text
    assert client.get("/healthz").json["outbox"]["queued"] == len(after_failure)

    # The server comes back; the worker sends everything, each once.
    with MailServer(mail_down) as received:
        make_all_due(app)
        result = app.test_cli_runner().invoke(args=["worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert f"{len(after_failure)} messages delivered" in result.output
        assert sorted(m["To"] for m in received.received) == sorted(
            m.recipient for m in after_failure)
    assert all(m.state == MessageState.SENT for m in messages(app))
    # The confirmation link that was held back works.
    confirmation = next(m for m in received.received if m["To"] == "nadia@example.org")
    link = next(w for w in confirmation.get_content().split() if w.startswith("http"))
    assert link.startswith("http://portal.test/compte/")
    assert submit_link_page(app.test_client(),
                            link.removeprefix("http://portal.test")).status_code == 302
    with app.app_context():
        nadia = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
        assert nadia.email_verified_at is not None


def queue_mails(app, count: int) -> list[int]:
    with app.app_context():
        rows = [outbox.queue_mail(f"habitant{n}@example.org", "Bonjour", "notification",
                                  user=User(display_name=f"H{n}"), items=[], unsubscribe="")
                for n in range(count)]
        db.session.commit()
        return [row.id for row in rows]


def test_a_failing_message_backs_off_then_fails_and_an_admin_retries_it(
        app, client, auth, admin, mail_down):
    [message_id] = queue_mails(app, 1)
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS["mail"]):
        before = utcnow()
        drain_safely(app)
        [row] = messages(app)
        if row.next_attempt_at:
            waits.append(round((row.next_attempt_at - before).total_seconds() / 30))
        make_all_due(app)
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256]  # 30 s doubling each time
    [row] = messages(app)
    assert (row.state, row.attempts, row.next_attempt_at) == (MessageState.FAILED, 10, None)

    auth.login(admin)
    page = client.get("/admin/envois?state=failed")
    assert "Échec" in page.text and "Relancer maintenant" in page.text
    response = client.post(f"/admin/envois/{message_id}/relancer?state=failed")
    assert response.status_code == 302 and "state=failed" in response.headers["Location"]
    [row] = messages(app)
    assert (row.state, row.attempts) == (MessageState.QUEUED, 0)
    with MailServer(mail_down) as received:
        drain_safely(app)
    assert len(received.received) == 1 and messages(app)[0].state == MessageState.SENT
    # A sent message cannot be sent again by mistake.
    followed = client.post(f"/admin/envois/{message_id}/relancer", follow_redirects=True)
    assert "déjà envoyé" in followed.text


def test_only_an_admin_retries_and_only_what_is_not_out(app, make, admin):
    [message_id] = queue_mails(app, 1)
    moderator = make.user(role="moderator")
    with app.app_context():
        with pytest.raises(NotAllowed):
            outbox.retry(db.session.get(User, moderator.id), message_id)
        with pytest.raises(InvalidInput, match="déjà envoyé"):
            outbox.retry(db.session.get(User, admin.id), message_id + 1)


def test_the_health_check_counts_what_is_overdue(app, client):
    queue_mails(app, 2)
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(
            next_attempt_at=utcnow() - timedelta(minutes=10)))
        db.session.commit()
    body = client.get("/healthz").json
    assert body["status"] == "ok" and body["outbox"]["overdue"] == 2


def test_the_embedded_default_delivers_a_moment_after_the_request(app, client, outbox):
    """No Redis: a thread of the web process sends the confirmation mail after the response."""
    app.config.update(OUTBOX_DELIVERY="thread", OUTBOX_POLL_SECONDS=0.2)
    try:
        response = client.post("/compte/inscription", data={
            "email": "nadia@example.org", "display_name": "Nadia", "password": PASSWORD,
            "password_confirm": PASSWORD, "home_territory": "", "consent": "y"})
        assert response.status_code == 302
        folder = Path(app.config["MAIL_OUTBOX_DIR"])
        deadline = time.monotonic() + 15
        while not list(folder.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(folder.glob("*.eml"))) == 1
    finally:
        app.config.update(OUTBOX_DELIVERY="manual")


def test_with_redis_down_the_action_succeeds_and_the_message_waits(app, client):
    app.config.update(OUTBOX_DELIVERY="queue", REDIS_URL="redis://127.0.0.1:1/0")
    try:
        response = client.post("/compte/inscription", data={
            "email": "nadia@example.org", "display_name": "Nadia", "password": PASSWORD,
            "password_confirm": PASSWORD, "home_territory": "", "consent": "y"})
    finally:
        app.config.update(OUTBOX_DELIVERY="manual", REDIS_URL="")
    assert response.status_code == 302
    assert [m.state for m in messages(app)] == [MessageState.QUEUED]


# Several workers, and a worker that dies ----------------------------------------------------

def worker_process(app, port: int, *, burst: bool = True, queue: str | None = None,
                   lease: float = 300) -> subprocess.Popen:
    env = {**os.environ, "PORTAL_ENV": "testing",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_USE_TLS": "0",
           "OUTBOX_LEASE_SECONDS": str(lease), "OUTBOX_POLL_SECONDS": "0.2"}
    if queue:
        env.update(REDIS_URL="redis://127.0.0.1:6379/0", OUTBOX_DELIVERY="queue",
                   OUTBOX_QUEUE=queue)
    else:
        env.update(REDIS_URL="", OUTBOX_DELIVERY="thread")
    command = [sys.executable, "-m", "flask", "--app", "portal", "worker"]
    return subprocess.Popen([*command, "--burst"] if burst else command, cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_workers_on_the_job_queue_send_each_of_200_messages_once(app, backend):
    if backend != "postgresql":
        pytest.skip("two worker processes claiming rows at once is PostgreSQL's case")
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    port = free_port()
    app.config.update(OUTBOX_DELIVERY="queue", REDIS_URL="redis://127.0.0.1:6379/0",
                      OUTBOX_QUEUE=queue)
    try:
        queue_mails(app, 200)  # the commit enqueues 200 jobs on Redis
    finally:
        app.config.update(OUTBOX_DELIVERY="manual", REDIS_URL="")
    with MailServer(port, delay=0.005) as received:
        workers = [worker_process(app, port, queue=queue) for _ in range(2)]
        outputs = [worker.communicate(timeout=240)[0] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
        ids = received.message_ids()
    assert len(ids) == 200 and len(set(ids)) == 200
    assert {m.state for m in messages(app)} == {MessageState.SENT}
    # The workers' own reports agree: 200 deliveries between them, none counted twice.
    reported = [int(re.search(r"(\d+) messages delivered", output).group(1)) for output in outputs]
    assert sum(reported) == 200


def test_a_worker_killed_in_the_middle_loses_nothing(app):
    port = free_port()
    queue_mails(app, 200)
    with MailServer(port, delay=0.01) as received:
        first = worker_process(app, port, burst=False, lease=1)
        deadline = time.monotonic() + 120
        while len(received.message_ids()) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        assert len(received.message_ids()) < 200
        time.sleep(1.2)  # the dead worker's claims expire (lease of 1 s)
        second = worker_process(app, port, lease=1)
        output = second.communicate(timeout=240)[0]
        assert second.returncode == 0, output
        ids = received.message_ids()
    # At least once: everything arrived; a repeat can only be a message in flight at the kill,
    # and it carries the same Message-ID for the receiver to drop.
    assert len(set(ids)) == 200
    assert len(ids) - len(set(ids)) <= outbox.CLAIM_BATCH
    assert {m.state for m in messages(app)} == {MessageState.SENT}
