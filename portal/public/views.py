"""Pages anyone can read: home, privacy notice, accessibility statement, legal notice, site plan,
sitemap.xml and robots.txt, language switch, health check."""
from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, jsonify, render_template, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import csrf, db
from ..forms import refuse
from ..models import SubmissionKind
from ..services.accounts import access as accounts
from ..services.core import outbox
from ..services.core.errors import InvalidInput
from ..services.core.links import public_url
from ..services.submissions import listing
from ..services.submissions.listing import SubmissionFilters
from ..services.submissions.opendata import public_leads
from ..urls import redirect_back
from .forms import LanguageForm

bp = Blueprint("public", __name__)

HOME_LIST_SIZE = 6


@bp.route("/")
def home():
    needs = listing.first(SubmissionFilters(kind=SubmissionKind.NEED, sort="supported"),
                          HOME_LIST_SIZE)
    ideas = listing.first(SubmissionFilters(kind=SubmissionKind.IDEA, sort="newest"),
                          HOME_LIST_SIZE)
    return render_template("public/home.html", needs=needs, ideas=ideas,
                           counters=listing.counters())


@bp.route("/confidentialite")
def privacy():
    return render_template("public/privacy.html")


@bp.route("/accessibilite")
def accessibility():
    return render_template("public/accessibility.html")


@bp.route("/mentions-legales")
def legal_notice():
    return render_template("public/legal.html")


#: The pages of the site plan and of sitemap.xml that are not one contribution or project.
SITE_PAGES = ("public.home", "submissions.index", "projects.index", "opendata.index",
              "public.accessibility", "public.legal_notice", "public.privacy",
              "public.site_plan")
#: What robots should not crawl: the back-office and the account areas.
PRIVATE_PREFIXES = ("/compte/", "/moderation/", "/pistes/", "/admin/", "/partenaires/",
                    "/api/")


@bp.route("/plan-du-site")
def site_plan():
    return render_template("public/site_plan.html", leads=public_leads(),
                           submissions=listing.visible_submissions())


@bp.route("/sitemap.xml")
def sitemap():
    """Every public page, with addresses built from PUBLIC_URL, whatever host was asked."""
    entries = [(public_url(endpoint), None) for endpoint in SITE_PAGES]
    entries += [(public_url("projects.detail", lead_id=lead.id), lead.updated_at)
                for lead in public_leads()]
    entries += [(public_url("submissions.detail", submission_id=s.id), s.updated_at)
                for s in listing.visible_submissions()]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, modified in entries:
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines) + "\n", mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
             "", f"Sitemap: {public_url('public.sitemap')}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.app_context_processor
def operator() -> dict:
    """Who runs the portal, for the footer and the legal notice (settings OPERATOR_*)."""
    config = current_app.config
    contact = config["OPERATOR_CONTACT"]
    return {"operator": {
        "name": config["OPERATOR_NAME"], "address": config["OPERATOR_ADDRESS"],
        "contact": contact, "contact_is_mail": "@" in contact and "://" not in contact,
        "director": config["PUBLICATION_DIRECTOR"], "host_name": config["HOST_NAME"],
        "host_address": config["HOST_ADDRESS"]}}


@bp.route("/langue", methods=["POST"])
@csrf.exempt
def set_language():
    """A visitor's choice lives in their session only: no token, so that pages read without an
    account set no cookie (and can be cached), and a forged form has nothing of theirs to change.
    An account's choice is stored: its token is checked and refused (400) as on every other form."""
    if current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    form = LanguageForm(meta={"csrf": False})
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            try:
                accounts.set_locale(current_user, form.language.data)
            except InvalidInput as error:
                refuse(error)
    return redirect_back("public.home")


@bp.route("/healthz")
def healthz():
    """For the load balancer and monitoring: the database answers, and how late the outbox is
    (messages due for over five minutes: a worker is down or a server refuses them)."""
    try:
        health = outbox.health()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok",
                   outbox={"overdue": health.overdue, **health.counts})
