"""Serve the portal with gunicorn (as README's production section says) and load it with wrk.

    python bench/generate.py --size 10000 --database-url URL > /tmp/facts.json
    python bench/run.py --database-url URL --facts /tmp/facts.json --label pg-10k

The portal runs as README's production section says: gunicorn with WEB_CONCURRENCY (4) workers.
Each page is loaded twice: uncached (no Redis: every request reaches the database), then as a
visitor reads it in production (REDIS_URL set: the page cache of portal/caching.py). For each
page and each number of clients (1 and 8): requests/s, p50/p95/p99 (ms), errors, the ratio to
the two anchors of bench/anchors.py (at 8 clients, to the anchor loaded right after the page,
three times in turn for an uncached page, the round of the median ratio kept:
the data path for an uncached page, the bare route for a cached one); the queries one uncached
request sends (counted in process); then supports and withdrawals by 8 residents at once, per
second, with the counts checked exact afterwards. Results go to bench/results/<label>.json;
bench/plot.py draws them. wrk must be installed (Debian: apt-get install wrk). Only 127.0.0.1 is
ever loaded.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import DailySupport, Follow, Submission, Vote  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "percentiles.lua"
WRITES_LUA = ROOT / "bench" / "writes.lua"
HOST = "127.0.0.1"


def pages(facts: dict) -> dict[str, str]:
    return {
        "listing newest": "/contributions/",
        "listing supported": "/contributions/?sort=supported",
        "listing trending": "/contributions/?sort=trending",
        "listing commune": f"/contributions/?territory={facts['commune']}",
        "listing theme+kind": f"/contributions/?theme={facts['theme']}&kind=need",
        "listing page 50": "/contributions/?page=50",
        "search common": "/contributions/?q=quartier",
        "search rare": "/contributions/?q=laverie",
        "contribution 30 comments": f"/contributions/{facts['thread']}",
        "home": "/",
        "API list": "/api/v1/submissions",
        "projects": "/projets/",
        "anchor bare": "/_bench/bare",
        "anchor data path": "/_bench/sql",
    }


#: The anchors are measured on the uncached server only; these pages are what a visitor reads.
UNCACHED_ONLY = ("anchor bare", "anchor data path")
WORKERS = os.environ.get("WEB_CONCURRENCY", "4")  # README's production section


def serve(database_url: str, port: int, worker_class: str,
          redis_url: str = "") -> subprocess.Popen:
    env = {**os.environ, "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "DATABASE_URL": database_url, "PUBLIC_URL": f"http://{HOST}:{port}",
           "RATELIMIT_ENABLED": "0", "OUTBOX_DELIVERY": "manual", "REDIS_URL": redis_url,
           # Production refuses per-process limits with several workers (they are off here).
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15", "WEB_CONCURRENCY": WORKERS}
    command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", WORKERS, "--bind",
               f"{HOST}:{port}", "--log-level", "warning"]
    if worker_class == "gthread":
        command += ["-k", "gthread", "--threads", "4"]
    server = subprocess.Popen([*command, "bench.anchors:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=10)
            return server
        except OSError:  # not listening yet, or still starting
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def warm_up(url: str) -> None:
    """A second of load before measuring: every worker has compiled its templates and opened its
    connections, as on a server that has been up for a while."""
    subprocess.run(["wrk", "-t", "2", "-c", "8", "-d", "1s", url], capture_output=True,
                   timeout=60, check=False)


def wrk(url: str, clients: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s",
         "-s", str(LUA), url], capture_output=True, text=True, timeout=seconds + 60).stdout
    p50, p95, p99 = (int(n) / 1000 for n in re.search(r"PCT (\d+) (\d+) (\d+)", out).groups())
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), "p50": p50,
            "p95": p95, "p99": p99, "errors": int(errors[1]) if errors else 0}


def paired(url: str, anchor: str, clients: int, seconds: int, rounds: int = 1) -> dict:
    """A page, then at once an anchor, under the same load: the machine's speed drifts over a
    run (the data path anchor went from 133 to 186 requests/s between two runs on one machine,
    and from 112 to 185 within one run on another), so each page's ratio is taken to the anchor
    measured beside it, not to one measured minutes before. With `rounds`, the pair is measured
    that many times in turn and the round of the median ratio is kept whole (its requests/s,
    percentiles and anchor): one round disturbed by a neighbour moves nothing. With 1 client,
    the page alone."""
    if clients == 1:
        return wrk(url, clients, seconds)
    measured = []
    for _ in range(rounds):
        result = wrk(url, clients, seconds)
        result["anchor_rps"] = wrk(anchor, clients, seconds)["rps"]
        measured.append(result)
    measured.sort(key=lambda result: result["rps"] / result["anchor_rps"])
    kept = measured[len(measured) // 2]
    if rounds > 1:
        kept["errors"] = sum(result["errors"] for result in measured)
        kept["ratios"] = [round(result["rps"] / result["anchor_rps"], 3) for result in measured]
    return kept


def ratio(measured: dict, anchor_rps: float) -> str:
    """Requests/s against the anchor measured beside it (or the run's, in older results)."""
    return f"{measured['rps'] / (measured.get('anchor_rps') or anchor_rps or float('nan')):.0%}"


def queries_per_request(database_url: str, urls: dict[str, str]) -> dict[str, int]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                 "RATELIMIT_ENABLED": False})
    client, counts = app.test_client(), {}
    with app.app_context():
        engine = db.engine
    for name, url in urls.items():
        client.get(url)
        seen: list[str] = []

        def listener(*args, into=seen) -> None:
            into.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        client.get(url)
        event.remove(engine, "before_cursor_execute", listener)
        counts[name] = len(seen)
    return counts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A write is the POST: the page it redirects to is not part of it."""

    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str) -> tuple[str, str]:
    """Log a bench resident in through the login form: (their cookie, a form token)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)

    def token(path: str) -> str:
        page = opener.open(base + path).read().decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]

    body = urllib.parse.urlencode({"email": email, "password": "bench-password-2026",
                                   "csrf_token": token("/compte/connexion")}).encode()
    try:
        opener.open(base + "/compte/connexion", body)
    except urllib.error.HTTPError as error:  # the 302 after logging in
        if error.code != 302:
            raise
    # Logging in starts a new session: its token is on any page (the log-out form).
    form_token = token("/")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar), form_token


def writes(port: int, facts: dict, seconds: int, database_url: str, residents: int = 8,
           reading: str | None = None) -> dict:
    """Residents, each on their own connection, support a contribution then withdraw it, over
    and over (wrk drives the POSTs: bench/writes.lua); afterwards every count is checked
    exact: support_count = the support rows = the sum of the daily buckets. With `reading` (a
    path), 4 more clients read that page all the while."""
    base = f"http://{HOST}:{port}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    first = facts["first_resident"]
    mine = list(range(first, first + residents))
    with app.app_context():  # nobody may support their own: those are left out
        submissions = list(db.session.scalars(select(Submission.id).where(
            Submission.status == "published", Submission.id >= facts["thread"],
            Submission.author_id.not_in(mine)).limit(200)))
    sessions = [log_in(base, f"habitant{index}@bench.example") for index in range(residents)]
    theirs = select(func.count()).select_from(Follow).where(
        Follow.user_id.in_(mine))
    with app.app_context():
        followed_before = db.session.scalar(theirs)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as plan:
        plan.write(" ".join(map(str, submissions)) + "\n")
        plan.writelines(f"{cookie}\t{token}\n" for cookie, token in sessions)
    readers = subprocess.Popen(
        ["wrk", "-t", "1", "-c", "4", "-d", f"{seconds + 2}s", base + reading],
        stdout=subprocess.DEVNULL) if reading else None
    out = subprocess.run(
        ["wrk", "-t", str(residents), "-c", str(residents), "-d", f"{seconds}s", "-s",
         str(WRITES_LUA), base], capture_output=True, text=True, timeout=seconds + 60,
        env={**os.environ, "BENCH_WRITES": plan.name}).stdout
    if readers:
        readers.wait(timeout=60)
    os.unlink(plan.name)
    time.sleep(2)  # the requests wrk left in flight when it stopped
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50, p95, p99 = (int(n) / 1000 for n in re.search(r"PCT (\d+) (\d+) (\d+)", out).groups())
    refused = " ".join(re.findall(r"REFUSED (.*)", out))
    with app.app_context():
        rows = dict(db.session.execute(select(Vote.submission_id, func.count()).group_by(
            Vote.submission_id)).all())
        daily = dict(db.session.execute(select(DailySupport.submission_id, func.sum(
            DailySupport.count)).group_by(DailySupport.submission_id)).all())
        exact = all(s.support_count == rows.get(s.id, 0) == (daily.get(s.id) or 0)
                    for s in db.session.scalars(select(Submission)))
        # A refused POST redirects too: a support makes its giver follow the contribution,
        # so new follows show that the supports went through.
        followed = db.session.scalar(theirs) - followed_before
    return {"new_follows": followed, "refused": refused,
            "writes_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
            "p50": p50, "p95": p95, "p99": p99, "errors": int(errors[1]) if errors else 0,
            "counts_exact": exact}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--facts", required=True, help="the JSON line bench/generate.py printed")
    parser.add_argument("--label", required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--rounds", type=int, default=3,
                        help="uncached pages: how many times each page and its anchor are "
                        "measured in turn (the round of the median ratio is kept)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="the pages whose names hold one of these "
                        "words (anchors always run); the writes only if 'writes' is one")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15",
                        help="the cache of the cached pass ('' to skip that pass)")
    args = parser.parse_args()
    facts = json.loads(Path(args.facts).read_text().strip().splitlines()[-1])
    urls = {name: path for name, path in pages(facts).items()
            if not args.only or name in UNCACHED_ONLY or any(word in name for word in args.only)}
    results = {"label": args.label, "size": facts["size"], "worker_class": args.worker_class,
               "workers": int(WORKERS), "database": "postgresql"
               if args.database_url.startswith("postgres") else "sqlite", "pages": {},
               "cached": {}}
    results["queries"] = queries_per_request(args.database_url, urls)
    base = f"http://{HOST}:{args.port}"
    server = serve(args.database_url, args.port, args.worker_class)
    try:
        for name, path in urls.items():
            url = f"http://{HOST}:{args.port}{path}"
            warm_up(url)
            results["pages"][name] = {str(clients): wrk(url, clients, args.seconds)
                                      if name in UNCACHED_ONLY else
                                      paired(url, base + urls["anchor data path"], clients,
                                             args.seconds, args.rounds)
                                      for clients in args.clients}
            print(name, results["pages"][name], flush=True)
        if not args.only or "writes" in args.only:
            results["writes"] = writes(args.port, facts, args.seconds, args.database_url)
            print("writes", results["writes"], flush=True)
            results["writes_while_searching"] = writes(
                args.port, facts, args.seconds, args.database_url, reading=urls.get(
                    "search common", "/contributions/?q=quartier"))
            print("writes while 4 clients search", results["writes_while_searching"],
                  flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        server = serve(args.database_url, args.port, args.worker_class, args.redis_url)
        try:
            for name, path in urls.items():
                if name not in UNCACHED_ONLY:
                    warm_up(base + path)
                    results["cached"][name] = {
                        str(clients): paired(base + path, base + urls["anchor bare"], clients,
                                             args.seconds) for clients in args.clients}
                    print("cached", name, results["cached"][name], flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{args.label}.json"
    if args.only and path.exists():  # a partial run updates what it measured, keeps the rest
        former = json.loads(path.read_text())
        for key in ("pages", "cached", "queries"):  # the anchors of the full run stay
            former.setdefault(key, {}).update({name: value for name, value in results.get(
                key, {}).items() if name not in UNCACHED_ONLY})
        former.update({key: value for key, value in results.items()
                       if key.startswith("writes")})
        results = former
    path.write_text(json.dumps(results, indent=1))
    print(table([results]))


def table(runs: list[dict]) -> str:
    """The Markdown table of README's performance section."""
    lines = ["| run | page | q/req | 1 client req/s | p50 | p95 | p99 | 8 clients req/s | p50 | "
             "p95 | p99 | vs data path | vs bare |", "|" + "---|" * 13]
    for run in runs:
        anchor_sql = run["pages"]["anchor data path"]["8"]["rps"] or float("nan")
        anchor_bare = run["pages"]["anchor bare"]["8"]["rps"] or float("nan")
        for name, by_clients in run["pages"].items():
            one, eight = by_clients["1"], by_clients["8"]
            lines.append(
                f"| {run['label']} | {name} | {run['queries'].get(name, '')} | "
                f"{one['rps']:.0f} | {one['p50']:.0f} | {one['p95']:.0f} | {one['p99']:.0f} | "
                f"{eight['rps']:.0f} | {eight['p50']:.0f} | {eight['p95']:.0f} | "
                f"{eight['p99']:.0f} | {ratio(eight, anchor_sql)} | "
                f"{eight['rps'] / anchor_bare:.0%} |")
        for name, by_clients in run.get("cached", {}).items():
            one, eight = by_clients["1"], by_clients["8"]
            lines.append(
                f"| {run['label']} | {name}, cached | | "
                f"{one['rps']:.0f} | {one['p50']:.0f} | {one['p95']:.0f} | {one['p99']:.0f} | "
                f"{eight['rps']:.0f} | {eight['p50']:.0f} | {eight['p95']:.0f} | "
                f"{eight['p99']:.0f} | | {ratio(eight, anchor_bare)} |")
        for key, what in (("writes", "8 residents"),
                          ("writes_while_searching", "8 residents, 4 searching")):
            if key not in run:
                continue
            w = run[key]
            lines.append(f"| {run['label']} | support or withdraw (POST), {what} | | | | | | "
                         f"{w['writes_per_s']:.0f} | {w.get('p50', 0):.0f} | "
                         f"{w.get('p95', 0):.0f} | {w.get('p99', 0):.0f} | errors "
                         f"{w['errors']} | counts exact: {w['counts_exact']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
