"""The JSON API, version 1: public reading, and partners forwarding opportunities with a token."""
from __future__ import annotations

from typing import ClassVar

from flask import Blueprint, current_app, g, jsonify, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..extensions import csrf, db, limiter
from ..models import PartnerOrganisation, Scope, Submission, Territory, Theme
from ..services.core.errors import DomainError
from ..services.core.links import public_url
from ..services.partners import forwarding as partners
from ..services.partners import tokens as api_tokens
from ..services.partners.webhooks import item_state
from ..services.submissions import listing, opendata
from . import schemas
from .openapi import document
from .validation import ApiError, domain_fields, parse

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
LISTED_STATUSES = set(schemas.LISTED_STATUSES)


def rate_key() -> str:
    """A live token is limited per token; every other call (no token, an invented or revoked
    one) per address, so a new random Bearer value each time never escapes the limit."""
    if "rate_key" not in g:
        token_id = api_tokens.known_token_id(request.headers.get("Authorization"))
        g.rate_key = f"token:{token_id}" if token_id else f"ip:{request.remote_addr}"
    return g.rate_key


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)


@bp.before_request
def language():
    """A script has no session to choose a language in: it sends Accept-Language, and the
    messages follow it (French otherwise, as on the site)."""
    chosen = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    if chosen and not session.get("locale"):
        g.forced_locale = force_locale(chosen)
        g.forced_locale.__enter__()


@bp.teardown_request
def language_end(_error=None):
    forced = g.pop("forced_locale", None)
    if forced is not None:
        forced.__exit__(None, None, None)


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    body = {"error": {"code": error.status, "message": error.message}}
    if error.fields:
        body["error"]["fields"] = error.fields
    if error.item_id is not None:
        body["error"]["item_id"] = error.item_id
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


class Codes:
    """Territory and theme codes to ids, one query per code: the models check the codes with it
    (`schemas.CodeLookup`), then the view reads the ids it found."""

    MODELS: ClassVar = {"territory": Territory, "theme": Theme}

    def __init__(self):
        self.found: dict[tuple[str, str], int | None] = {}

    def __call__(self, field: str, code: str) -> int | None:
        if (field, code) not in self.found:
            model = self.MODELS[field]
            self.found[field, code] = db.session.scalar(select(model.id).where(model.code == code))
        return self.found[field, code]


def _json_body() -> dict:
    if not request.mimetype == "application/json":
        raise ApiError(415, _("Send a JSON body with Content-Type: application/json."))
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # arrays nested thousands deep exhaust the parser, not the server
        body = None
    if body is None:
        raise ApiError(400, _("The body is not valid JSON."))
    if not isinstance(body, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    return body


def _query(model, codes: Codes | None = None):
    return parse(model, request.args.to_dict(), status=400,
                 message=_("Invalid query parameters."), context={"codes": codes})


def _next_page(endpoint: str, pagination) -> str | None:
    """The next page's address (from PUBLIC_URL), with the same query (filters,
    updated_since), or None."""
    if not pagination.has_next:
        return None
    return public_url(endpoint, **{**request.args.to_dict(), "page": pagination.page + 1})


@bp.route("/openapi.json")
def openapi():
    server = public_url("api.openapi").rsplit("/openapi.json", 1)[0]
    return jsonify(document(server, list(db.session.scalars(select(Territory.code))),
                            list(db.session.scalars(select(Theme.code)))))


@bp.route("/opportunities", methods=["POST"])
def create_opportunity():
    organisation = _token(Scope.WRITE)
    codes = Codes()
    new = parse(schemas.NewItem, _json_body(), status=422, message=_("Invalid fields."),
                context={"codes": codes})
    try:
        item, created = partners.forward(
            organisation, None, title=new.title, description=new.description,
            territory_id=codes("territory", new.territory), theme_id=codes("theme", new.theme),
            reference=new.reference, contact=new.contact, possible_partners=new.possible_partners)
    except partners.ReferenceTaken as error:
        raise ApiError(409, error.message, domain_fields(error), item_id=error.item_id) from error
    except DomainError as error:
        raise ApiError(422, _("Invalid fields."), domain_fields(error)) from error
    return jsonify(item_state(item)), 201 if created else 200


@bp.route("/opportunities")
def list_opportunities():
    organisation = _token(Scope.READ)
    query = _query(schemas.ItemQuery)
    pagination = partners.items_page(organisation, query.updated_since, page=query.page)
    stages = opendata.lead_stages_by_submission([item.id for item in pagination.items])
    return jsonify({"items": [item_state(item, stages) for item in pagination.items],
                    "total": pagination.total,
                    "next": _next_page("api.list_opportunities", pagination)})


@bp.route("/opportunities/<int:item_id>")
def get_opportunity(item_id: int):
    organisation = _token(Scope.READ)
    item = db.session.get(Submission, item_id)
    if item is None or item.partner_organisation_id != organisation.id:
        raise ApiError(404, _("No such item for your organisation."))
    return jsonify(item_state(item))


@bp.route("/submissions")
def list_submissions():
    codes = Codes()
    query = _query(schemas.SubmissionQuery, codes)
    filters = listing.SubmissionFilters(
        kind=query.kind, status=query.status, query=query.q, sort=query.sort,
        territory_id=codes("territory", query.territory) if query.territory else None,
        theme_id=codes("theme", query.theme) if query.theme else None)
    pagination = listing.search(filters, page=query.page)
    leads = opendata.lead_ids_by_submission([s.id for s in pagination.items])
    return jsonify({"items": [opendata.submission_record(s, leads.get(s.id))
                              for s in pagination.items],
                    "total": pagination.total,
                    "next": _next_page("api.list_submissions", pagination)})


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
