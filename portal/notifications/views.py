"""A resident's notifications: the in-site list, the mail setting, the one-click unsubscribe."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import csrf
from ..forms import ActionForm, show_errors
from ..services.accounts import notifications
from ..services.core.errors import InvalidInput, InvalidToken
from .forms import FrequencyForm

bp = Blueprint("notifications", __name__, url_prefix="/compte/notifications")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = FrequencyForm(frequency=current_user.notification_frequency)
    if form.validate_on_submit():
        try:
            notifications.set_frequency(current_user, form.frequency.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("Your e-mail setting is saved."), "success")
            return redirect(url_for(".index"))
    items = notifications.inbox(current_user)
    return render_template("notifications/index.html", items=items, form=form,
                           message=notifications.message, action_form=ActionForm()), \
        422 if form.errors else 200


@bp.route("/lues", methods=["POST"])
@login_required
def mark_read():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
    return redirect(url_for(".index"))


@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority, and a mail client's one-click POST has no form
def unsubscribe(token: str):
    """A GET only asks (a mail scanner opening the link unsubscribes nobody); the button, or the
    mail client's one-click POST (RFC 8058, List-Unsubscribe-Post), unsubscribes."""
    try:
        if request.method == "GET":
            notifications.unsubscribing_user(token)
            return render_template("notifications/unsubscribe.html", token=token)
        user = notifications.unsubscribe(token)
    except InvalidToken as error:
        return render_template("accounts/token_invalid.html", message=error.message), 400
    return render_template("notifications/unsubscribed.html", user=user)
