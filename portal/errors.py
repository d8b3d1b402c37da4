"""One friendly page per error code; JSON for API clients. Never a bare 500."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from .extensions import db

HANDLED_CODES = (400, 401, 403, 404, 405, 413, 429, 500)
#: Form fields never echoed back on an error page.
SECRET_FIELDS = {"password", "password_confirm", "current_password", "new_password", "csrf_token"}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def typed_fields() -> list[tuple[str, str]]:
    """What the person had typed, so a rejected form never loses it."""
    if request.method != "POST" or (
        request.content_length and request.content_length > 1024 * 1024
    ):
        return []
    try:
        form = request.form
    except Exception:  # the body itself could not be read: nothing to give back
        return []
    return [(key, value) for key, value in form.items(multi=True)
            if key not in SECRET_FIELDS and value.strip()]


def render_error(code: int, description: str | None = None, typed: list | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": description or _error_title(code)}}
        return jsonify(body), code
    return render_template(f"errors/{code}.html", description=description, typed=typed or []), code


def _error_title(code: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("You need to log in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist."),
        405: _("This action is not allowed on this address."),
        413: _("What you sent is too large."),
        429: _("Too many requests: please wait a moment."),
        500: _("Something went wrong on our side."),
    }[code]


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(
            400,
            _("The form had expired or did not come from this site. Nothing was saved; "
              "what you typed is below, so you can copy it and send the form again."),
            typed_fields(),
        )

    @app.errorhandler(SecurityError)
    def handle_untrusted_host(error: SecurityError):
        """A request for a host that is not this site's (TRUSTED_HOSTS): Flask builds no address
        for it, so the answer is a page without links (the friendly page's links would fail)."""
        message = _("This site does not answer at this address.")
        if wants_json():
            return jsonify({"error": {"code": 400, "message": message}}), 400
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        code = error.code if error.code in HANDLED_CODES else 400
        if error.code not in HANDLED_CODES and error.code and error.code < 400:
            return error
        body, status = render_error(code, _description(error),
                                    typed_fields() if code in (400, 413) else None)
        return body, status, _carried_headers(error)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)


#: Headers an error brings with it that our page must keep (Allow is required on a 405).
CARRIED_HEADERS = {"allow", "retry-after", "www-authenticate"}


def _carried_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Allow of a 405, Retry-After of a 429: the friendly page must not drop them."""
    headers = list(error.get_headers())
    if error.response is not None:
        headers += list(error.response.headers.items())
    return [(name, value) for name, value in headers if name.lower() in CARRIED_HEADERS]


def _description(error: HTTPException) -> str | None:
    """Our own aborts carry a translated description; werkzeug's English defaults are dropped."""
    default = type(error).description
    if (
        error.description
        and error.description != default
        and not isinstance(error, InternalServerError)
    ):
        return error.description
    return None
