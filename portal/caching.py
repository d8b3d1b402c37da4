"""What a visitor without an account sees, kept a short while in the cache (Redis).

A page is cached only for a visitor who sends no session cookie (pages read without an account
set none: see the language form in base.html), for a GET of a public endpoint that answered 200
without setting a cookie. The cache key holds a generation number that every commit touching
public content bumps (a session event, so no use case can forget it): a change shows at once,
and the former pages expire by themselves. Logged-in pages are never cached. Responses carry an
ETag and Cache-Control, so a proxy or the browser can help too.

The cache is a help, never a need: while Redis is down the pages are served as they are read,
and a write goes through (its pages expire by themselves once Redis is back).
"""
from __future__ import annotations

import hashlib
import logging

from flask import Flask, Response, current_app, g, has_app_context, request, session
from redis.exceptions import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from .extensions import cache

#: The pages a visitor reads: home, contributions, projects, feeds, open data.
CACHED_ENDPOINTS = frozenset({
    "public.home", "public.site_plan", "public.sitemap",
    "submissions.index", "submissions.detail", "projects.index", "projects.detail",
    "opendata.index", "opendata.submissions_export", "opendata.leads_export",
    "opendata.submissions_feed", "opendata.projects_feed",
})
#: Tables no public page shows: a commit that writes only these keeps the cached pages.
PRIVATE_TABLES = frozenset({
    "outbox_messages", "notifications", "audit_entries", "follows", "api_tokens",
    "reply_templates", "revisions", "flags", "lead_members", "offers",
    "workshop_invitations", "committee_meetings", "agenda_items",
})
#: What of an account shows publicly (a name on a card, the residents' count): logging in,
#: say, changes nothing a visitor sees.
PUBLIC_USER_FIELDS = ("display_name", "role")
#: Headers of a page worth keeping with it (the others are set again on every response).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")
GENERATION_KEY = "public-generation"
CHANGED = "public_content_changed"

log = logging.getLogger(__name__)


def generation() -> int | None:
    """The generation of the public content; None when the cache cannot be read."""
    try:
        return int(cache.get(GENERATION_KEY) or 0)
    except RedisError as error:
        log.warning("page cache unreachable, pages are served uncached: %s", error)
        return None


def public_content_changed() -> None:
    """Every cached page is out of date (they are keyed by the generation)."""
    try:
        cache.cache.inc(GENERATION_KEY)
    except RedisError as error:  # the change is committed: the person must hear it went well
        log.warning("page cache unreachable, cached pages expire by themselves: %s", error)


def _is_visitor() -> bool:
    config = current_app.config
    return (config["SESSION_COOKIE_NAME"] not in request.cookies
            and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies)


def _serve_from_cache():
    if (request.method not in ("GET", "HEAD") or request.endpoint not in CACHED_ENDPOINTS
            or not _is_visitor()):
        return None
    current = generation()
    if current is None:
        return None
    g.page_key = f"page:{current}:{request.full_path}"
    try:
        kept = cache.get(g.page_key)
    except RedisError:
        g.page_key = None  # unreachable since the generation was read: not kept either
        return None
    if kept is None:
        return None
    body, headers, etag = kept
    g.page_key = None  # already there
    response = Response(body, headers=headers)
    return _cacheable(response, etag)


def _cacheable(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Instead of the "no-cache" portal/security.py gives every page.
    seconds = current_app.config["PAGE_CACHE_SECONDS"]
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _keep_in_cache(response: Response) -> Response:
    key = g.pop("page_key", None)
    if (key is None or response.status_code != 200 or session.modified
            or "Set-Cookie" in response.headers):
        return response
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    headers = [(name, value) for name, value in response.headers if name in KEPT_HEADERS]
    try:
        cache.set(key, (body, headers, etag), timeout=current_app.config["PAGE_CACHE_SECONDS"])
    except RedisError as error:
        log.warning("page cache unreachable, page not kept: %s", error)
    return _cacheable(response, etag)


def _tables_written(session: Session, *_args) -> None:
    """Note, during a flush, whether public content changes."""
    written = [*session.new, *session.deleted] + [
        obj for obj in session.dirty
        if obj.__table__.name != "users" or any(
            inspect(obj).attrs[name].history.has_changes() for name in PUBLIC_USER_FIELDS)]
    if {obj.__table__.name for obj in written} - PRIVATE_TABLES:
        session.info[CHANGED] = True


def _statement_written(state) -> None:
    """The same for bulk UPDATE / INSERT / DELETE statements (supports, counters, merges)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name not in PRIVATE_TABLES:
            state.session.info[CHANGED] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(CHANGED, False) and has_app_context():
        public_content_changed()


def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGED, None)


def init_app(app: Flask) -> None:
    cache.init_app(app)
    app.before_request(_serve_from_cache)
    app.after_request(_keep_in_cache)


event.listen(Session, "after_flush", _tables_written)
event.listen(Session, "do_orm_execute", _statement_written)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)
