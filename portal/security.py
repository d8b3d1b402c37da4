"""Security headers sent with every response."""
from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_babel import gettext as _

from .services.core.text import CONTROL_CHARACTERS, ESCAPED_CONTROL_CHARACTERS

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters():
        """No database stores a NUL (PostgreSQL refuses it), and the other invisible control
        characters break the XML of every feed that would carry them: refused at the door, with
        a message that says which, and what was typed given back by the error page."""
        values = list(request.args.values())
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += list(request.form.values())
        body = request.get_data(cache=True) if request.is_json else b""
        if any("\x00" in value for value in values) or b"\x00" in body or b"\\u0000" in body:
            abort(400, _("The text contains a NUL character, which cannot be stored. "
                         "Remove it and send again."))
        if (any(CONTROL_CHARACTERS.search(value) for value in values)
                or CONTROL_CHARACTERS.search(body.decode("utf-8", "replace"))
                or ESCAPED_CONTROL_CHARACTERS.search(body)):
            abort(400, _("The text contains an invisible control character (often carried by a "
                         "copy and paste). Remove it and send again."))

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["ENV_NAME"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and not request.endpoint.endswith("static"):
            headers.setdefault("Cache-Control", "no-store" if _is_private() else "no-cache")
        return response


def _is_private() -> bool:
    from flask_login import current_user

    return bool(current_user and current_user.is_authenticated)
