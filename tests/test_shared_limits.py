"""Rate limits hold across processes, and a Redis that is down never turns a request into a 500.

Each test starts real app processes (tests/live_server.py) on a SQLite file of its own: the limiter
is one object per process, so these settings cannot be tried on the session's app.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis

from portal import create_app
from portal.config import ConfigurationError
from portal.extensions import db

from .smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
#: A Redis database of its own, emptied by these tests and by nobody else.
SHARED_REDIS = "redis://127.0.0.1:6379/7"
LOGIN_LIMIT = 20  # wrong logins an hour per address (portal/accounts/views.py)
# Each try types another e-mail: the per-account limit (10 an hour per typed address) never
# trips, so what is counted is the per-address limit these tests are about.


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(SHARED_REDIS, socket_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def site_env(tmp_path):
    """The environment of app processes sharing one SQLite file with its tables."""
    env = {**os.environ, "PORTAL_ENV": "testing", "INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
           "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"), "RATELIMIT_ENABLED": "1"}
    env.pop("REDIS_URL", None)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return env


@contextmanager
def app_process(env: dict, log: Path):
    """An app serving on a free port until the block ends; yields its address."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "tests.live_server", str(port)],
                                   cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=5).close()  # noqa: S310
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrong_login(url: str, attempt: int) -> int:
    """A wrong login for an account of its own (`attempt`), from the test's one address."""
    data = f"email=nobody{attempt}%40example.org&password=not-the-password".encode()
    request = urllib.request.Request(  # noqa: S310 (our own server)
        url + "/compte/connexion", data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not redis_is_up(), reason="needs the Redis on 127.0.0.1:6379")
def test_two_processes_share_one_login_limit(site_env, tmp_path):
    """Two workers on one Redis count together: 30 wrong logins spread over both meet the limit
    of 20 once, not 20 per worker (39 got through on `memory://`)."""
    redis.Redis.from_url(SHARED_REDIS).flushdb()
    env = {**site_env, "RATELIMIT_STORAGE_URI": SHARED_REDIS}
    with ExitStack() as stack:
        first = stack.enter_context(app_process(env, tmp_path / "first.log"))
        second = stack.enter_context(app_process(env, tmp_path / "second.log"))
        statuses = [wrong_login(url, 2 * n + i) for n in range(15)
                    for i, url in enumerate((first, second))]
    redis.Redis.from_url(SHARED_REDIS).flushdb()
    assert statuses.count(422) == LOGIN_LIMIT
    assert statuses.count(429) == 30 - LOGIN_LIMIT


def test_a_redis_that_is_down_still_serves_and_logs(site_env, tmp_path):
    """The limiter cannot reach its storage: it counts in memory meanwhile and says so in the
    log; the visitor gets the page, never a 500."""
    env = {**site_env, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0"}
    log = tmp_path / "down.log"
    with app_process(env, log) as url:
        statuses = [wrong_login(url, n) for n in range(LOGIN_LIMIT + 2)]
        home = urllib.request.urlopen(url + "/", timeout=30)  # noqa: S310
    assert statuses[:LOGIN_LIMIT] == [422] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT:] == [429, 429]  # still limited, in this process's memory
    assert home.status == 200
    assert "falling back to in-memory storage" in log.read_text().lower()


@pytest.mark.parametrize("workers", ["2", "4"])
def test_production_refuses_several_workers_on_memory_storage(monkeypatch, tmp_path, workers):
    """Several processes each counting in memory would multiply every limit: refuse to start."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("WEB_CONCURRENCY", workers)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        create_app("production")
    monkeypatch.setenv("WEB_CONCURRENCY", "deux")
    with pytest.raises(ConfigurationError, match="WEB_CONCURRENCY"):
        create_app("production")
