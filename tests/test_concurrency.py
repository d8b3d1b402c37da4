"""Threaded workers (gunicorn -k gthread): pages rendered at once, writers at once, no 500."""
from __future__ import annotations

import itertools
import sqlite3
import threading
from contextlib import contextmanager

from sqlalchemy import func, make_url, select

from portal.extensions import db
from portal.models import DailySupport, Submission, Vote

from .conftest import Auth

THREADS = 8


def run_together(work, count: int = THREADS) -> list[BaseException]:
    """Run `work(index)` in `count` threads released at the same moment; return their errors."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as error:  # surfaced in the main thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_contribution_pages_render_from_many_threads_at_once(app, make):
    """The Markdown cleaner keeps no state shared between threads: every page comes out whole."""
    body = ("Un **atelier** de [réparation](https://example.org/velo) près de la gare.\n\n"
            "- des outils\n- un local\n\n<script>alert(1)</script> https://example.org/plan")
    submission = make.submission(title="Atelier vélo", body=body)
    for _ in range(3):
        make.comment(submission, body="Oui, *vraiment* : https://example.org/avis")
    statuses: list[int] = []

    def read(_index: int) -> None:
        client = app.test_client()
        for _ in range(15):
            response = client.get(f"/contributions/{submission.id}")
            statuses.append(response.status_code)
            assert '<a href="https://example.org/velo" rel="nofollow ugc noopener">' \
                in response.text
            assert "<script>alert" not in response.text

    assert run_together(read) == []
    assert statuses == [200] * THREADS * 15


def test_different_texts_render_from_many_threads_at_once(app, make):
    """Each thread reads contributions of its own, so their texts and comments are cleaned at
    the same moment (a text cleaned once is kept: the test above cleans each text once).
    With one Cleaner shared by the threads, pages came out cut or mixed, or answered 500."""
    commenter = make.user()
    pages: list[list[tuple[int, str]]] = [[] for _ in range(THREADS)]
    for thread, n in itertools.product(range(THREADS), range(2)):
        tag = f"n{thread}-{n}"
        paragraphs = "\n\n".join(
            f"Un **atelier** {tag}-{p} près de [la gare](https://example.org/{tag}/{p}) :\n\n"
            f"- des outils https://example.org/outils/{tag}/{p}\n- un *local* {tag}-{p}"
            for p in range(12))
        submission = make.submission(title=f"Atelier vélo {tag}", body=paragraphs)
        for c in range(12):
            make.comment(submission, commenter, body=(
                f"Avis *{tag}-{c}* : https://example.org/avis/{tag}/{c}\n\n"
                f"- **oui** [ici](https://example.org/ici/{tag}/{c})\n- non"))
        pages[thread].append((submission.id, tag))

    def read(index: int) -> None:
        for submission_id, tag in pages[index]:
            check(submission_id, tag)

    def check(submission_id: int, tag: str) -> None:
        response = app.test_client().get(f"/contributions/{submission_id}")
        assert response.status_code == 200, response.status_code
        for p in range(12):
            assert (f'Un <strong>atelier</strong> {tag}-{p} près de <a href="https://example.org'
                    f'/{tag}/{p}" rel="nofollow ugc noopener">la gare</a>') in response.text
            assert f"<li>un <em>local</em> {tag}-{p}</li>" in response.text
        for c in range(12):
            assert (f'Avis <em>{tag}-{c}</em> : <a href="https://example.org/avis/{tag}/{c}"'
                    f' rel="nofollow ugc noopener">') in response.text
            assert (f'<li><strong>oui</strong> <a href="https://example.org/ici/{tag}/{c}" '
                    f'rel="nofollow ugc noopener">ici</a></li>') in response.text

    assert run_together(read) == []


@contextmanager
def a_long_read(app, backend):
    """A slow page reading while the writers write: on SQLite its open read transaction would
    keep every writer from committing (rollback journal) until "database is locked"."""
    if backend != "sqlite":
        yield
        return
    reader = sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database,
                             isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM submissions").fetchall()
    try:
        yield
    finally:
        reader.execute("ROLLBACK")
        reader.close()


def test_concurrent_supports_and_withdrawals_through_the_pages_never_fail(app, make, backend):
    """Residents support and withdraw at once while a slow read runs (on SQLite: WAL, and one
    writer at a time, the others waiting their turn instead of getting "database is locked");
    afterwards every count is exact."""
    targets = [make.submission(title=f"Besoin {n}") for n in range(3)]
    residents = [make.user() for _ in range(THREADS)]
    statuses: list[int] = []

    def act(index: int) -> None:
        client = app.test_client()
        assert Auth(client).login(residents[index]).status_code == 302
        for round_ in range(4):
            for target in targets:
                statuses.append(client.post(f"/contributions/{target.id}/soutenir").status_code)
                if (index + round_) % 2:
                    statuses.append(
                        client.post(f"/contributions/{target.id}/retirer-soutien").status_code)

    with a_long_read(app, backend):
        assert run_together(act) == []
    assert set(statuses) == {302}
    with app.app_context():
        for target in targets:
            rows = db.session.scalar(select(func.count(Vote.id)).where(
                Vote.submission_id == target.id))
            daily = db.session.scalar(select(func.sum(DailySupport.count)).where(
                DailySupport.submission_id == target.id))
            stored = db.session.get(Submission, target.id)
            # Each resident's last round decides: odd (index + 3) withdrew, the others support.
            expected = len([i for i in range(THREADS) if not (i + 3) % 2])
            assert (stored.support_count, rows, daily, stored.trending_score) == (expected,) * 4
