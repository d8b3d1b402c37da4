"""How Flask-Login finds the user behind a session, and what a visitor meets at a locked door."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager

from ..errors import wants_json
from ..extensions import db
from ..models import User


def configure_login(manager: LoginManager) -> None:
    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))

    @manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            abort(401)
        flash(_("Please log in to continue."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
