"""The JSON API, version 1: public reading, and partners forwarding opportunities with a token."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..extensions import csrf, db, limiter
from ..forms import page_number
from ..models import (
    PartnerOrganisation,
    Scope,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    Territory,
    Theme,
)
from ..services.core.errors import DomainError
from ..services.partners import forwarding as partners
from ..services.partners import tokens as api_tokens
from ..services.partners.webhooks import item_state
from ..services.submissions import listing, opendata
from .openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
LISTED_STATUSES = {SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY,
                   SubmissionStatus.IN_PROJECT, SubmissionStatus.DECLINED}


class ApiError(Exception):
    def __init__(self, status: int, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields


def rate_key() -> str:
    """Tokens are limited per token, anonymous calls per address."""
    header = request.headers.get("Authorization", "")
    return f"token:{header[-16:]}" if header.startswith("Bearer ") else f"ip:{request.remote_addr}"


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    body = {"error": {"code": error.status, "message": error.message}}
    if error.fields:
        body["error"]["fields"] = error.fields
    return jsonify(body), error.status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    response = api_error(ApiError(error.code or 500, error.description or error.name))
    if error.code == 429 and getattr(error, "response", None) is not None:
        retry_after = error.response.headers.get("Retry-After")
        if retry_after:
            response[0].headers["Retry-After"] = retry_after
    return response


def _token(scope: str) -> PartnerOrganisation:
    try:
        record = api_tokens.authenticate(request.headers.get("Authorization"), scope)
    except api_tokens.TokenError as error:
        raise ApiError(error.status, error.message) from error
    g.organisation = db.session.get(PartnerOrganisation, record.organisation_id)
    return g.organisation


def _by_code(model, code, field: str) -> int:
    if not isinstance(code, str) or not code:
        raise ApiError(422, _("Invalid fields."), {
            field: _("Give a code listed by /api/v1/territories or /api/v1/themes.")})
    found = db.session.scalar(select(model.id).where(model.code == code))
    if found is None:
        raise ApiError(422, _("Invalid fields."), {field: _("Unknown code: %(code)s.", code=code)})
    return found


def _json_body() -> dict:
    if not request.mimetype == "application/json":
        raise ApiError(415, _("Send a JSON body with Content-Type: application/json."))
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, _("The body is not valid JSON."))
    if not isinstance(body, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    return body


TEXT_LIMITS = {"title": (8, 160), "description": (30, 10000), "reference": (1, 100),
               "contact": (1, 200), "possible_partners": (1, 5000)}


def _validate_opportunity(body: dict) -> dict:
    fields = {}
    for name, (low, high) in TEXT_LIMITS.items():
        value = body.get(name)
        required = name in ("title", "description")
        if value is None and not required:
            continue
        if not isinstance(value, str) or not low <= len(value.strip()) <= high:
            fields[name] = _("A text of %(low)d to %(high)d characters is required.",
                             low=low, high=high)
    unknown = set(body) - set(TEXT_LIMITS) - {"territory", "theme"}
    for name in sorted(unknown):
        fields[name] = _("Unknown field.")
    ids = {}
    for name, model in (("territory", Territory), ("theme", Theme)):
        try:
            ids[name] = _by_code(model, body.get(name), name)
        except ApiError as error:
            fields.update(error.fields)
    if fields:
        raise ApiError(422, _("Invalid fields."), fields)
    return ids


@bp.route("/openapi.json")
def openapi():
    server = url_for("api.openapi", _external=True).rsplit("/openapi.json", 1)[0]
    return jsonify(document(server, list(db.session.scalars(select(Territory.code))),
                            list(db.session.scalars(select(Theme.code)))))


@bp.route("/opportunities", methods=["POST"])
def create_opportunity():
    organisation = _token(Scope.WRITE)
    body = _json_body()
    ids = _validate_opportunity(body)
    try:
        item, created = partners.forward(
            organisation, None, title=body["title"], description=body["description"],
            territory_id=ids["territory"], theme_id=ids["theme"], reference=body.get("reference"),
            contact=body.get("contact"), possible_partners=body.get("possible_partners"))
    except DomainError as error:
        raise ApiError(422, _("Invalid fields."), {error.field or "body": error.message}) from error
    return jsonify(item_state(item)), 201 if created else 200


@bp.route("/opportunities")
def list_opportunities():
    organisation = _token(Scope.READ)
    since = request.args.get("updated_since")
    moment = None
    if since:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError as error:
            raise ApiError(400, _("updated_since must be an ISO 8601 date and time.")) from error
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    items = partners.items(organisation, moment)
    stages = opendata.lead_stages_by_submission([item.id for item in items])
    return jsonify({"items": [item_state(item, stages) for item in items]})


@bp.route("/opportunities/<int:item_id>")
def get_opportunity(item_id: int):
    organisation = _token(Scope.READ)
    item = db.session.get(Submission, item_id)
    if item is None or item.partner_organisation_id != organisation.id:
        raise ApiError(404, _("No such item for your organisation."))
    return jsonify(item_state(item))


@bp.route("/submissions")
def list_submissions():
    args = request.args
    page = page_number(args.get("page"))
    errors = {}
    if page is None:
        errors["page"] = _("A whole number from 1.")
    if args.get("kind") and args["kind"] not in set(SubmissionKind):
        errors["kind"] = _("One of need, idea, opportunity.")
    if args.get("status") and args["status"] not in LISTED_STATUSES:
        errors["status"] = _("One of published, under_study, in_project, declined.")
    if args.get("sort", "newest") not in listing.SORTS:
        errors["sort"] = _("One of newest, supported, trending.")
    ids = {}
    for name, model in (("territory", Territory), ("theme", Theme)):
        if args.get(name):
            try:
                ids[name] = _by_code(model, args[name], name)
            except ApiError as error:
                errors.update(error.fields)
    if errors:
        raise ApiError(400, _("Invalid query parameters."), errors)
    filters = listing.SubmissionFilters(
        kind=args.get("kind") or None, territory_id=ids.get("territory"),
        theme_id=ids.get("theme"), status=args.get("status") or None,
        query=args.get("q", "")[:200], sort=args.get("sort", "newest"))
    pagination = listing.search(filters, page=page)
    leads = opendata.lead_ids_by_submission([s.id for s in pagination.items])
    next_url = (url_for("api.list_submissions", **{**args.to_dict(), "page": pagination.page + 1},
                        _external=True) if pagination.has_next else None)
    return jsonify({"items": [opendata.submission_record(s, leads.get(s.id))
                              for s in pagination.items],
                    "total": pagination.total, "next": next_url})


@bp.route("/submissions/<int:submission_id>")
def get_submission(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.status not in LISTED_STATUSES:
        raise ApiError(404, _("No published contribution has this id."))
    leads = opendata.lead_ids_by_submission([submission.id])
    return jsonify(opendata.submission_record(submission, leads.get(submission.id)))


@bp.route("/leads")
def list_leads():
    return jsonify({"items": [opendata.lead_record(lead) for lead in opendata.public_leads()]})


@bp.route("/territories")
def territories():
    rows = db.session.scalars(select(Territory).order_by(Territory.path)).all()
    by_id = {t.id: t.code for t in rows}
    return jsonify({"items": [{"code": t.code, "name": t.name, "level": t.level,
                               "parent": by_id.get(t.parent_id)} for t in rows]})


@bp.route("/themes")
def themes():
    rows = db.session.scalars(select(Theme).order_by(Theme.position)).all()
    return jsonify({"items": [{"code": t.code, "name_fr": t.name_fr, "name_en": t.name_en}
                              for t in rows]})
