"""Open data (Licence Ouverte 2.0) and Atom feeds: what anyone may reuse, without personal data."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    Territory,
    Theme,
    utcnow,
)
from ..services.core import tables
from ..services.core.links import public_url
from ..services.leads import listing as lead_listing
from ..services.leads.stages import STAGE_LABELS, public_news
from ..services.submissions import opendata
from ..services.submissions.listing import SubmissionFilters, build_query

bp = Blueprint("opendata", __name__)
COLUMN_HELP = {
    "id": _l("Identifier, stable"), "kind": _l("need, idea or opportunity"),
    "status": _l("published, under_study, in_project or declined"),
    "title": _l("Title"), "body": _l("Text, in Markdown"),
    "territory_code": _l("Code of the territory (see the list above)"),
    "territory_name": _l("Name of the territory"), "theme_code": _l("Code of the theme"),
    "target_public": _l("Who is concerned, as the author wrote it"),
    "author_display_name": _l("Display name chosen by the author, or the organisation that "
                                "forwarded it"),
    "support_count": _l("Number of residents supporting it"),
    "comment_count": _l("Number of visible comments"),
    "public_answer": _l("The Fabrique's public answer"),
    "created_at": _l("Date and time posted (UTC, ISO 8601)"),
    "published_at": _l("Date and time published (UTC, ISO 8601)"),
    "lead_id": _l("The public project it fed, if any"), "url": _l("Its page on the portal"),
    "summary": _l("Summary of the project"), "stage": _l("Current stage of the project"),
    "need": _l("The need it answers, if made public"),
    "existing_offers": _l("What exists nearby, if made public"),
    "economic_model": _l("Hypotheses of the economic model, if made public"),
    "carrier_profile": _l("The carrier sought, if made public"),
    "budget": _l("Budget and funding leads, if made public"),
    "enterprise_name": _l("Name of the enterprise created"),
    "enterprise_legal_form": _l("Its legal form"),
    "enterprise_created_on": _l("Its creation date"),
    "source_submission_ids": _l("Contributions it came from, separated by ';' in CSV"),
    "updated_at": _l("Last change (UTC, ISO 8601)"),
}
EXPORT_STATUSES = (*OPEN_STATUSES, SubmissionStatus.DECLINED)
FEED_SIZE = 50


def _published_submissions() -> list[Submission]:
    return list(db.session.scalars(
        select(Submission).where(Submission.status.in_(EXPORT_STATUSES))
        .options(joinedload(Submission.territory), joinedload(Submission.theme),
                 joinedload(Submission.author),
                 joinedload(Submission.partner_organisation)).order_by(Submission.id)).unique())


def _submission_records() -> list[dict]:
    rows = _published_submissions()
    leads = opendata.lead_ids_by_submission([s.id for s in rows])
    return [opendata.submission_record(s, leads.get(s.id)) for s in rows]


def _csv(records: list[dict], columns: tuple[str, ...], name: str) -> Response:
    rows = ([";".join(map(str, value)) if isinstance(value, list) else value
             for value in (record.get(column) for column in columns)] for record in records)
    return Response(tables.csv_text(columns, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def _json(records: list[dict]) -> Response:
    return jsonify({"licence": opendata.LICENCE, "licence_url": opendata.LICENCE_URL,
                    "generated_at": utcnow().isoformat() + "Z", "items": records})


@bp.route("/donnees-ouvertes")
def index():
    return render_template("opendata/index.html", submission_columns=opendata.SUBMISSION_COLUMNS,
                           lead_columns=opendata.LEAD_COLUMNS, licence=opendata.LICENCE,
                           licence_url=opendata.LICENCE_URL, column_help=COLUMN_HELP,
                           territories=db.session.scalars(select(Territory).order_by(
                               Territory.path)).all(),
                           themes=db.session.scalars(select(Theme).order_by(Theme.position)).all())


@bp.route("/donnees-ouvertes/contributions.<fmt>")
def submissions_export(fmt: str):
    if fmt == "csv":
        return _csv(_submission_records(), opendata.SUBMISSION_COLUMNS, "contributions")
    if fmt == "json":
        return _json(_submission_records())
    abort(404)


@bp.route("/donnees-ouvertes/projets.<fmt>")
def leads_export(fmt: str):
    records = [opendata.lead_record(lead) for lead in opendata.public_leads()]
    if fmt == "csv":
        return _csv(records, opendata.LEAD_COLUMNS, "projets")
    if fmt == "json":
        return _json(records)
    abort(404)


def _atom(title: str, entries: list[dict], updated: datetime | None) -> Response:
    body = render_template("opendata/feed.xml", title=title, entries=entries,
                           updated=(updated or utcnow()).isoformat() + "Z",
                           self_url=public_url(request.endpoint, **request.args.to_dict()),
                           home=public_url("public.home"))
    return Response(body, mimetype="application/atom+xml")


def _code(model, name: str) -> int | None:
    code = request.args.get(name)
    if not code:
        return None
    found = db.session.scalar(select(model.id).where(model.code == code))
    if found is None:
        abort(404)
    return found


@bp.route("/flux/contributions.atom")
def submissions_feed():
    """New published contributions, for the whole métropole, a territory, a theme or a kind: the
    filters of the listing that advertises it."""
    kind = request.args.get("type") or None
    if kind is not None and kind not in set(SubmissionKind):
        abort(404)
    filters = SubmissionFilters(territory_id=_code(Territory, "territoire"),
                                theme_id=_code(Theme, "thematique"), kind=kind)
    rows = db.session.scalars(build_query(filters).limit(FEED_SIZE)).unique().all()
    entries = [{"id": public_url("submissions.detail", submission_id=s.id),
                "title": s.title, "updated": (s.published_at or s.created_at).isoformat() + "Z",
                "author": s.public_author_name or "",
                "summary": s.body[:600],
                "link": public_url("submissions.detail", submission_id=s.id)}
               for s in rows]
    return _atom(_("New contributions"), entries, rows[0].created_at if rows else None)


@bp.route("/flux/projets.atom")
def projects_feed():
    """Project news: each move of a public lead in plain words with its public reason (the
    decision note only where the project's page shows its decisions; the team's notes never),
    linked to that move on the project's page. Filtered like the projects listing."""
    changes = lead_listing.public_stage_changes(_code(Territory, "territoire"),
                                                _code(Theme, "thematique"), FEED_SIZE)
    entries = []
    for c in changes:
        lead = c.lead
        summary = public_news(c.to_stage, reason=c.reason,
                              enterprise=lead.enterprise_name or "")
        shows_decisions = lead.shows("decisions")
        if shows_decisions and c.note:
            summary = f"{summary}\n\n{c.note}"
        page = public_url("projects.detail", lead_id=c.lead_id)
        entries.append({
            "id": f"{page}#etape-{c.id}",
            "title": f"{lead.title} — {STAGE_LABELS.get(c.to_stage, c.to_stage)}",
            "updated": c.created_at.isoformat() + "Z",
            "author": "",
            "summary": summary[:2000],
            "link": f"{page}#etape-{c.id}" if shows_decisions else f"{page}#where-title",
        })
    return _atom(_("Project news"), entries, changes[0].created_at if changes else None)
