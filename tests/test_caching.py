"""Pages read without an account: no cookie, cached a short while, fresh as soon as they change."""
from __future__ import annotations

import re
import socket
import threading

import pytest

from portal.config import REDIS_CACHE_OPTIONS
from portal.extensions import cache


@pytest.fixture
def page_cache(app):
    """The cache as in production (there, Redis), for this test only."""
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    yield
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


@pytest.fixture
def redis_down(app):
    """The cache as in production, Redis, but Redis is down: nothing listens on its port."""
    with socket.socket() as probe:  # a port that was free a moment ago, and stays closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cache.init_app(app, config={"CACHE_TYPE": "RedisCache",
                                "CACHE_REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    yield
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


@pytest.fixture
def redis_silent(app):
    """The cache as in production, Redis, but its host stopped answering: the connection is
    made (a listening socket), and no reply ever comes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        cache.init_app(app, config={
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
            "CACHE_OPTIONS": REDIS_CACHE_OPTIONS})
        yield
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})


def support_count(page: str) -> str:
    return re.search(r'class="card-stats">\s*<span>([^<]+)</span>', page)[1]


def test_pages_read_without_an_account_set_no_cookie(app, make, monkeypatch):
    # As in production: a form's CSRF token is what would put a cookie on a page.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    submission = make.submission()
    make.comment(submission)
    lead = make.lead([make.submission()], public=True)
    for url in ("/", "/contributions/", f"/contributions/{submission.id}", "/projets/",
                f"/projets/{lead.id}", "/donnees-ouvertes", "/flux/contributions.atom",
                "/flux/projets.atom", "/donnees-ouvertes/contributions.csv", "/plan-du-site",
                "/sitemap.xml", "/api/v1/submissions", "/accessibilite", "/compte/connexion"):
        response = app.test_client().get(url)
        assert response.status_code == 200, url
        if url != "/compte/connexion":  # a form to post: its token lives in the session
            assert "Set-Cookie" not in response.headers, url


def test_a_visitor_can_still_choose_a_language(client):
    response = client.post("/langue", data={"language": "en", "next": "/"})
    assert response.status_code == 302 and "Set-Cookie" in response.headers
    assert '<html lang="en">' in client.get("/").text


def test_a_cached_page_costs_no_query_and_a_change_shows_at_once(client, make, auth,
                                                                 count_queries, page_cache):
    submission = make.submission(title="Une laverie solidaire")
    visitor = make.app.test_client()
    first = visitor.get("/contributions/")
    assert first.headers["Cache-Control"] == "public, max-age=60" and first.headers["ETag"]
    assert support_count(first.text) == "0 soutien"
    with count_queries() as counter:
        again = visitor.get("/contributions/")
    assert counter.count == 0 and again.text == first.text
    assert visitor.get("/contributions/", headers={
        "If-None-Match": first.headers["ETag"]}).status_code == 304

    auth.login(make.user())
    client.post(f"/contributions/{submission.id}/soutenir")
    assert support_count(visitor.get("/contributions/").text) == "1 soutien"


def test_the_home_figures_stay_exact(client, make, auth, page_cache):
    """Counted once per state of the public content, never stale: contributions, supports,
    comments, residents."""
    def figures() -> list[int]:
        home = make.app.test_client().get("/").text
        return [int(n) for n in re.findall(r"<li><strong>(\d+)</strong>", home)]

    submission = make.submission()
    assert figures() == [1, 0, 0, 1]
    supporter = make.user()
    assert figures() == [1, 0, 0, 2]
    auth.login(supporter)
    client.post(f"/contributions/{submission.id}/soutenir")
    assert figures() == [1, 1, 0, 2]
    client.post(f"/contributions/{submission.id}/commentaires",
                data={"body": "Je suis tout à fait d'accord avec cette idée."})
    assert figures() == [1, 1, 1, 2]
    make.submission(status="pending")
    assert figures() == [1, 1, 1, 3]


def test_pages_of_a_logged_in_resident_are_never_cached(client, make, auth, page_cache):
    submission = make.submission()
    auth.login(make.user())
    response = client.get("/contributions/")
    assert "public" not in response.headers.get("Cache-Control", "")
    client.post(f"/contributions/{submission.id}/soutenir")
    assert "Vous la soutenez" in client.get("/contributions/").text


def test_while_redis_is_down_visitors_read_and_residents_support(client, make, auth, redis_down):
    """The cache is a help: without it the pages are read from the database, and a support
    goes through and says so (it was committed, then answered with an error page)."""
    submission = make.submission(title="Une laverie solidaire")
    visitor = make.app.test_client()
    first = visitor.get("/contributions/")
    assert first.status_code == 200 and support_count(first.text) == "0 soutien"

    auth.login(make.user())
    supported = client.post(f"/contributions/{submission.id}/soutenir", follow_redirects=True)
    assert supported.status_code == 200 and "Merci pour votre soutien" in supported.text
    assert support_count(visitor.get("/contributions/").text) == "1 soutien"


def test_a_redis_that_stops_answering_does_not_hold_the_pages(make, redis_silent):
    """Refused, Redis answers at once; silent, a write and a page wait for it half a second a
    call, and the page is read from the database. Without a time limit each call waited until
    the system gave up (about 30 s here): they run in a thread, and 20 s without an answer fail
    the test."""
    answered = []

    def post_then_read():  # the write bumps the cache's generation, the page reads it
        make.submission(title="Une laverie solidaire")
        answered.append(make.app.test_client().get("/contributions/"))

    reader = threading.Thread(target=post_then_read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert answered, "the page waited for Redis"
    assert answered[0].status_code == 200 and support_count(answered[0].text) == "0 soutien"


def test_what_a_moderator_changes_shows_at_once_to_visitors(client, make, auth, moderator,
                                                             page_cache):
    territory, theme = make.territory(), make.theme()
    need = make.submission(title="Une laverie solidaire", territory=territory, theme=theme)
    waiting = make.submission(title="Un jardin partagé", status="pending")
    visitor = make.app.test_client()
    assert "Un jardin partagé" not in visitor.get("/contributions/").text
    visitor.get(f"/contributions/{need.id}")

    auth.login(moderator)
    client.post(f"/moderation/contributions/{need.id}", data={
        "title": "Une laverie solidaire à Étouvie", "territory": territory.id,
        "theme": theme.id, "body": "Un texte assez long pour décrire ce qui manque ici."})
    assert "Une laverie solidaire à Étouvie" in visitor.get(f"/contributions/{need.id}").text
    client.post(f"/moderation/contributions/{need.id}/reponse", data={
        "text": "La Fabrique étudie cette laverie avec le centre social.",
        "status": "under_study"})
    assert "La Fabrique étudie cette laverie avec le centre social." in visitor.get(
        f"/contributions/{need.id}").text
    client.post(f"/moderation/contributions/{waiting.id}/publier")
    assert "Un jardin partagé" in visitor.get("/contributions/").text


def test_each_visitor_reads_the_page_in_their_language(make, page_cache):
    make.submission(title="Une laverie solidaire")
    french = make.app.test_client()
    assert '<html lang="fr">' in french.get("/contributions/").text  # now kept in the cache
    english = make.app.test_client()
    english.post("/langue", data={"language": "en", "next": "/"})
    page = english.get("/contributions/")
    assert '<html lang="en">' in page.text and "public" not in page.headers["Cache-Control"]
    again = french.get("/contributions/")
    assert '<html lang="fr">' in again.text and again.headers["Vary"] == "Cookie"
