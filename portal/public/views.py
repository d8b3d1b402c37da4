"""Pages anyone can read: home, privacy notice, language switch, health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, session
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import OPEN_STATUSES, Submission, SubmissionKind, User
from ..services.accounts import access as accounts
from ..services.core import outbox
from ..services.submissions.listing import SubmissionFilters, build_query
from ..urls import redirect_back
from .forms import LanguageForm

bp = Blueprint("public", __name__)

HOME_LIST_SIZE = 6


@bp.route("/")
def home():
    needs = db.session.scalars(build_query(SubmissionFilters(
        kind=SubmissionKind.NEED, sort="supported")).limit(HOME_LIST_SIZE)).unique().all()
    ideas = db.session.scalars(build_query(SubmissionFilters(
        kind=SubmissionKind.IDEA, sort="newest")).limit(HOME_LIST_SIZE)).unique().all()
    counts = db.session.execute(select(
        func.count(Submission.id),
        func.coalesce(func.sum(Submission.support_count), 0),
        func.coalesce(func.sum(Submission.comment_count), 0),
    ).where(Submission.status.in_(OPEN_STATUSES))).one()
    residents = db.session.scalar(select(func.count(User.id)))
    return render_template("public/home.html", needs=needs, ideas=ideas,
                           counters={"submissions": counts[0], "supports": counts[1],
                                     "comments": counts[2], "residents": residents})


@bp.route("/confidentialite")
def privacy():
    return render_template("public/privacy.html")


@bp.route("/langue", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            accounts.set_locale(current_user, form.language.data)
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
