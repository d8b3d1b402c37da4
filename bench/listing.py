"""Benchmark of the public listing on a large board.

Fills a database with many submissions and supports (bulk inserts, daily buckets kept exact), then
times the listing's sorts and filters through the app's HTTP interface.

    python bench/listing.py --submissions 20000 --supports 300000
    DATABASE_URL=postgresql://127.0.0.1/bench python bench/listing.py

Prints the median and worst time per URL in milliseconds. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app
from portal.extensions import db
from portal.models import DailySupport, Submission, Territory, Theme, User, Vote, utcnow

CHUNK = 5000


def fill(submissions: int, supports: int, residents: int, rng: random.Random) -> None:
    now = utcnow()
    root = Territory(code="bench", name="Métropole", level="metropole", path="")
    db.session.add(root)
    db.session.flush()
    root.path = f"/{root.id}/"
    communes = []
    for n in range(20):
        commune = Territory(code=f"c{n}", name=f"Commune {n}", level="commune", parent_id=root.id)
        db.session.add(commune)
        db.session.flush()
        commune.path = f"{root.path}{commune.id}/"
        communes.append(commune)
    themes = [Theme(code=f"t{n}", name_fr=f"Thème {n}", name_en=f"Theme {n}") for n in range(10)]
    db.session.add_all(themes)
    db.session.flush()
    db.session.execute(db.insert(User), [
        {"email": f"r{n}@bench.local", "display_name": f"R {n}", "password_hash": "x",
         "role": "resident", "consent_at": now, "created_at": now} for n in range(residents)])
    words = [
        "epicerie",
        "bus",
        "velo",
        "creche",
        "jardin",
        "laverie",
        "navette",
        "atelier",
        "repas",
        "logement",
    ]
    rows = []
    for n in range(submissions):
        created = now - timedelta(days=rng.randint(0, 365))
        title = f"Besoin {n} {rng.choice(words)} {rng.choice(words)}"
        rows.append(
            {
                "kind": rng.choice(["need", "idea"]),
                "status": "published",
                "source": "resident",
                "title": title,
                "body": "Texte " + title,
                "search_text": title.lower(),
                "territory_id": rng.choice(communes).id,
                "theme_id": rng.choice(themes).id,
                "author_id": rng.randint(1, residents),
                "author_offer": "none",
                "support_count": 0,
                "comment_count": 0,
                "created_at": created,
                "updated_at": created,
                "published_at": created,
            }
        )
    for start in range(0, len(rows), CHUNK):
        db.session.execute(db.insert(Submission), rows[start:start + CHUNK])
    pairs = set()
    while len(pairs) < supports:
        pairs.add((int(rng.paretovariate(1.2)) % submissions + 1, rng.randint(1, residents)))
    votes, daily, per_submission = [], Counter(), Counter()
    for submission_id, user_id in pairs:
        created = now - timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 1440))
        votes.append({"submission_id": submission_id, "user_id": user_id, "created_at": created})
        daily[(submission_id, created.date())] += 1
        per_submission[submission_id] += 1
    for start in range(0, len(votes), CHUNK):
        db.session.execute(db.insert(Vote), votes[start:start + CHUNK])
    buckets = [{"submission_id": s, "day": d, "count": c} for (s, d), c in daily.items()]
    for start in range(0, len(buckets), CHUNK):
        db.session.execute(db.insert(DailySupport), buckets[start:start + CHUNK])
    db.session.execute(db.update(Submission).execution_options(synchronize_session=False), [
        {"id": s, "support_count": c} for s, c in per_submission.items()])
    db.session.commit()


def time_urls(app, urls: list[str], repeat: int) -> None:
    client = app.test_client()
    print(f"{'url':50} {'median ms':>10} {'max ms':>8}")
    for url in urls:
        client.get(url)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{url:50} {statistics.median(samples):10.1f} {max(samples):8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=20000)
    parser.add_argument("--supports", type=int, default=300000)
    parser.add_argument("--residents", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                                 "MAIL_OUTBOX_DIR": str(workdir / "outbox")})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        fill(args.submissions, args.supports, args.residents, random.Random(7))
        print(f"filled {args.submissions} submissions, {args.supports} supports in "
              f"{time.perf_counter() - start:.1f} s on {db.engine.dialect.name}")
    time_urls(app, [
        "/contributions/", "/contributions/?sort=supported", "/contributions/?sort=trending",
        "/contributions/?sort=trending&territory=3", "/contributions/?q=epicerie+velo",
        "/contributions/?page=200", "/",
    ], args.repeat)


if __name__ == "__main__":
    main()
