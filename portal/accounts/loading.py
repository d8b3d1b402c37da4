"""How Flask-Login finds the user behind a session, and what a visitor meets at a locked door."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager

from ..errors import wants_json
from ..models import User
from ..services.accounts import sessions
from ..urls import safe_target


def configure_login(manager: LoginManager) -> None:
    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _sep, key = session_id.partition(":")
        if not user_id.isdigit() or not key:
            return None
        return sessions.resume(int(user_id), key)

    @manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            abort(401)
        flash(_("Please log in to continue."), "info")
        return redirect(url_for("accounts.login", **_come_back_to()))


def _come_back_to() -> dict:
    """Where to go after logging in: this page, or for a button (a POST), the page it was on.

    A POST-only address cannot be opened after the login, so a button sends the person back to
    the page that showed it, when that page is on this site.
    """
    if request.method in ("GET", "HEAD"):
        return {"next": request.full_path.rstrip("?")}
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return {}
    target = safe_target(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    return {"next": target} if target else {}
