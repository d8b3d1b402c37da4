"""Delivery of the outbox after the commit.

Three ways, chosen by `OUTBOX_DELIVERY` (see config):
- `queue` (production, REDIS_URL set): each commit that queued messages enqueues one RQ job per
  message; `flask --app portal worker` runs an RQ worker and, beside it, a sweep that delivers
  what is due (retries, messages whose job was lost, claims left by a worker that died).
- `thread` (the embedded default, no Redis): a thread in the web process drains the outbox a moment
  after each commit that queued something, and every `OUTBOX_POLL_SECONDS` for retries.
- `manual` (tests): nothing runs by itself; `drain()` or `flask worker --burst` delivers.
A server that is down only leaves messages queued; nothing here can fail a request.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import ClassVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from .models import OutboxMessage
from .services.core import outbox

log = logging.getLogger(__name__)
NEW_MESSAGES = "outbox_new_message_ids"


def init_app(app: Flask) -> None:
    if app.config["OUTBOX_DELIVERY"] == "thread":
        app.before_request(lambda: Drainer.for_app(app).start())


@event.listens_for(Session, "after_flush")
def _remember_new_messages(session: Session, _context) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(NEW_MESSAGES, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _forget_new_messages(session: Session) -> None:
    session.info.pop(NEW_MESSAGES, None)


@event.listens_for(Session, "after_commit")
def _wake_delivery(session: Session) -> None:
    ids = session.info.pop(NEW_MESSAGES, None)
    if not ids or not has_app_context():
        return
    app = current_app._get_current_object()
    mode = app.config["OUTBOX_DELIVERY"]
    if mode == "queue":
        enqueue(app, ids)
    elif mode == "thread":
        Drainer.for_app(app).wake()


# The job queue ----------------------------------------------------------------------------------

def job_queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(app.config["OUTBOX_QUEUE"],
                 connection=Redis.from_url(app.config["REDIS_URL"], socket_timeout=5))


def enqueue(app: Flask, ids: list[int]) -> None:
    """One job per message; if Redis is down the rows stay queued and the sweep sends them."""
    from redis.exceptions import RedisError

    try:
        queue = job_queue(app)
        for message_id in ids:
            queue.enqueue(run_job, message_id, result_ttl=0, job_timeout=120)
    except RedisError as error:
        log.warning("Outbox: could not enqueue %s (%s); the sweep will send them", ids, error)


#: Messages this process delivered through jobs, for the `worker --burst` report.
_jobs_sent = threading.Semaphore(0)


def run_job(message_id: int) -> bool:
    """The RQ job: claim this message if it is still due, and deliver it."""
    sent = False
    for claimed_id, token in outbox.claim([message_id], limit=1):
        sent = outbox.deliver(claimed_id, token)
    if sent:
        _jobs_sent.release()
    return sent


def _count_jobs_sent() -> int:
    count = 0
    while _jobs_sent.acquire(blocking=False):
        count += 1
    return count


# The embedded default -----------------------------------------------------------------------------

class Drainer:
    """One daemon thread per app and process, woken after a commit, polling for retries."""

    _instances: ClassVar[dict[int, Drainer]] = {}
    _lock = threading.Lock()

    def __init__(self, app: Flask):
        self.app = app
        self.wanted = threading.Event()
        self.thread: threading.Thread | None = None
        self.periodic = _Periodic(app)

    @classmethod
    def for_app(cls, app: Flask) -> Drainer:
        with cls._lock:
            return cls._instances.setdefault(id(app), cls(app))

    def start(self) -> None:
        with self._lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="outbox", daemon=True)
                self.thread.start()

    def wake(self) -> None:
        self.start()
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait(timeout=self.app.config["OUTBOX_POLL_SECONDS"])
            self.wanted.clear()
            if self.app.config["OUTBOX_DELIVERY"] != "thread":
                return  # the settings changed under a running app (tests do)
            housekeeping_safely(self.app)
            self.periodic()
            drain_safely(self.app)


def _safely(app: Flask, work, failure: str) -> int:
    """Run `work` in an app context; an error (database gone, say) is logged, rolled back, and
    waits for the next pass."""
    from .extensions import db

    with app.app_context():
        try:
            return work()
        except Exception:
            log.exception(failure)
            db.session.rollback()
            return 0
        finally:
            db.session.remove()


def drain_safely(app: Flask) -> int:
    """Deliver what is due; a failed pass waits for the next one."""
    return _safely(app, lambda: outbox.drain(limit=500),
                   "Outbox: delivery pass failed; messages stay queued")


#: How often the sweep runs the periodic use cases ("still a need?", the trending decay).
PERIODIC_SECONDS = 3600


def periodic_safely(app: Flask) -> int:
    """The periodic use cases, idempotent: ask the authors of quiet needs whether they still
    stand, let the trending scores decay, and keep SQLite's planner informed. A failed pass
    waits for the next one."""
    from .services.core.sql import refresh_statistics
    from .services.submissions.counters import decay_trending
    from .services.submissions.still_a_need import ask_quiet_needs

    def hourly() -> int:
        refresh_statistics()
        decay_trending()  # the trending sort forgets supports that left its window
        return ask_quiet_needs()

    return _safely(app, hourly, "Periodic pass failed; it runs again later")


class _Periodic:
    """Runs `periodic_safely` at most once per PERIODIC_SECONDS from the sweep."""

    def __init__(self, app: Flask):
        self.app, self.last = app, None

    def __call__(self) -> None:

        now = time.monotonic()
        if self.last is None or now - self.last >= PERIODIC_SECONDS:
            self.last = now
            periodic_safely(self.app)


def housekeeping_safely(app: Flask) -> None:
    """The worker's other chores, at each pass: unconfirmed accounts past their delay go, and
    so do data exports whose link expired."""
    from .services.accounts.deletion import purge_unconfirmed
    from .services.accounts.my_data import remove_expired_exports

    def chores() -> int:
        purge_unconfirmed()
        remove_expired_exports()
        return 0

    _safely(app, chores, "Housekeeping failed; it runs again at the next pass")


def run_worker(app: Flask, *, burst: bool) -> int:
    """`flask worker`: with Redis, an RQ worker and its sweep; without, a polling loop. The
    sweep also runs the periodic use cases."""

    periodic = _Periodic(app)  # not in a burst: cron runs `flask ask-still-a-need` itself
    housekeeping_safely(app)
    if not app.config["REDIS_URL"]:
        sent = drain_safely(app)
        while not burst:
            periodic()
            time.sleep(app.config["OUTBOX_POLL_SECONDS"])
            housekeeping_safely(app)
            sent += drain_safely(app)
        return sent

    from rq import SimpleWorker

    queue = job_queue(app)
    _count_jobs_sent()
    if not burst:
        stop = threading.Event()

        def sweep() -> None:
            periodic()
            while not stop.wait(app.config["OUTBOX_POLL_SECONDS"]):
                housekeeping_safely(app)
                drain_safely(app)
                periodic()

        threading.Thread(target=sweep, name="outbox-sweep", daemon=True).start()
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=burst,
                                                                logging_level="WARNING")
    # Then what no job carried: retries that came due, jobs lost with a Redis restart.
    return _count_jobs_sent() + drain_safely(app)
