"""Fill a database for the benchmark: the demo métropole, then SIZE more contributions.

    python bench/generate.py --size 10000 --seed 7 --database-url sqlite:////tmp/bench.sqlite3
    python bench/generate.py --size 100000 --database-url postgresql://postgres@127.0.0.1/bench

The demo gives the territories, themes, staff, leads and a few hundred residents; then come SIZE
contributions written from the demo's French texts (portal/demo/texts.py) about the demo's places,
10 supports each on average, 0-4 comments each (30 on the first), in bulk: COPY on PostgreSQL,
executemany on SQLite. The counters are recounted at the end (portal/services/submissions/
counters.py), so every figure is what the portal itself would have kept. Prints the ids the runner
needs (a contribution with 30 comments, a commune) as JSON on the last line.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from portal import create_app
from portal.demo import seed_demo, texts
from portal.extensions import db
from portal.models import Comment, Submission, Territory, Theme, User, Vote, utcnow
from portal.services.accounts.access import hash_password
from portal.services.core.sql import refresh_statistics
from portal.services.submissions import search
from portal.services.submissions.counters import recount

RESIDENTS = 2000
PASSWORD = "bench-password-2026"  # noqa: S105 (bench accounts on a throwaway database)
SUPPORTS_EACH = 10
CHUNK = 5000


def bulk(model, rows: list[dict]) -> None:
    """COPY on PostgreSQL (the fastest way in), executemany in chunks on SQLite."""
    if not rows:
        return
    table = model.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        columns = list(rows[0])
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])
        return
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def generate(size: int, seed: int) -> dict:
    rng = random.Random(seed)
    seed_demo(residents=300, seed=seed)
    now = utcnow()
    places = db.session.execute(select(Territory.id, Territory.name, Territory.level)).all()
    local = [p for p in places if p.level != "metropole"]
    themes = {code: id_ for id_, code in db.session.execute(select(Theme.id, Theme.code))}
    first_user = db.session.scalar(select(func.max(User.id))) + 1
    password_hash = hash_password(PASSWORD)  # one hash for all: the runner logs some in
    bulk(User, [{"email": f"habitant{n}@bench.example", "display_name": f"Habitant {n}",
                 "password_hash": password_hash, "role": "resident", "consent_at": now,
                 "email_verified_at": now, "created_at": now - timedelta(days=800),
                 "notification_frequency": "immediate"} for n in range(RESIDENTS)])
    residents = list(range(first_user, first_user + RESIDENTS))
    first_id = (db.session.scalar(select(func.max(Submission.id))) or 0) + 1
    rows = []
    for _ in range(size):
        template = rng.choice(texts.TEMPLATES)
        place = rng.choice(local)
        at = f"à {place.name}" if place.level == "commune" else f"dans le quartier {place.name}"
        title = template.title.format(at=at, name=place.name)[:160]
        body = template.body.format(at=at, name=place.name)
        created = now - timedelta(days=730) * rng.random() ** 2
        status = rng.choices(("published", "under_study", "pending"), (90, 5, 5))[0]
        rows.append({
            "kind": template.kind, "status": status, "source": "resident", "title": title,
            "body": body, "search_text": search.index_text(title, body),
            "search_title": search.index_title(title),
            "excerpt": search.excerpt(body), "target_public": None, "author_offer": "none",
            "territory_id": place.id, "theme_id": themes.get(template.theme, 1),
            "author_id": rng.choice(residents), "support_count": 0, "comment_count": 0,
            "trending_score": 0, "flag_count": 0, "created_at": created, "updated_at": created,
            "published_at": None if status == "pending" else created,
        })
    bulk(Submission, rows)
    ids = list(range(first_id, first_id + size))
    votes, comments = [], []
    # SIZE x SUPPORTS_EACH supports in all, spread over the contributions open to them (a
    # pending one has none): 100,000 contributions bring 1,000,000 supports.
    wanted = size * SUPPORTS_EACH
    supportable = sum(row["status"] != "pending" for row in rows) or 1
    for submission_id, row in zip(ids, rows, strict=True):
        if row["status"] == "pending":
            continue
        age = (now - row["created_at"]).total_seconds()
        share = -(-(wanted - len(votes)) // supportable)  # what is left, spread evenly
        supportable -= 1
        for user_id in rng.sample(residents, share):
            votes.append({"submission_id": submission_id, "user_id": user_id,
                          "created_at": now - timedelta(seconds=age * rng.random())})
        count = 30 if submission_id == first_id else rng.randint(0, 4)
        for _ in range(count):
            comments.append({"submission_id": submission_id, "author_id": rng.choice(residents),
                             "body": rng.choice(texts.COMMENTS), "flag_count": 0,
                             "created_at": now - timedelta(seconds=age * rng.random())})
    bulk(Vote, votes)
    bulk(Comment, comments)
    if db.session.get_bind().dialect.name == "postgresql":
        # Tables filled behind the planner's back: without fresh statistics it would read every
        # vote once per contribution in the recount.
        db.session.execute(text("ANALYZE"))
    recount()
    db.session.commit()
    refresh_statistics()  # SQLite: what the worker does every hour
    if db.session.get_bind().dialect.name == "postgresql":
        # What autovacuum would do in a while on a live database: statistics, and the
        # visibility map that lets a count read only an index.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    commune = next(p.id for p in places if p.level == "commune")
    theme = next(iter(themes.values()))
    return {"size": size, "thread": first_id, "commune": commune, "theme": theme,
            "votes": len(votes), "comments": len(comments), "first_resident": first_user}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": args.database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        facts = generate(args.size, args.seed)
        facts["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
