"""Pages anyone can read: home, privacy notice, language switch, health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..forms import refuse
from ..models import SubmissionKind
from ..services.accounts import access as accounts
from ..services.core import outbox
from ..services.core.errors import InvalidInput
from ..services.submissions import listing
from ..services.submissions.listing import SubmissionFilters
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


@bp.route("/langue", methods=["POST"])
def set_language():
    form = LanguageForm()
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
