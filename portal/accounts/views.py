"""Register, confirm the e-mail, log in and out, reset a forgotten password."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from .. import policies
from ..extensions import limiter
from ..forms import ActionForm, refuse, show_errors, territory_choices
from ..models import OfferKind, OfferStatus
from ..services.accounts import access as accounts
from ..services.accounts import activity as activity_service
from ..services.core.errors import InvalidInput, InvalidToken, NotAllowed
from ..services.submissions import listing
from ..services.submissions import still_a_need as still_a_need_service
from ..services.submissions.still_a_need import ANSWER_LABELS
from ..urls import redirect_back
from .forms import (
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    StillANeedForm,
)

bp = Blueprint("accounts", __name__, url_prefix="/compte")


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegisterForm()
    form.home_territory.choices = territory_choices(blank=_("Not said"))
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.display_name.data, form.password.data,
                                     form.home_territory.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            login_user(user)
            flash(_("Welcome! We sent you an e-mail: follow its link to confirm your address "
                    "before posting."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


@bp.route("/confirmer/<token>")
def verify_email(token: str):
    try:
        user = accounts.verify_email(token)
    except InvalidToken as error:
        return render_template("accounts/token_invalid.html", message=error.message), 400
    flash(_("Your e-mail address is confirmed. You can now post and support."), "success")
    if not current_user.is_authenticated:
        login_user(user)
    return redirect(url_for("accounts.profile"))


@bp.route("/confirmer", methods=["POST"])
@login_required
@limiter.limit("5/hour")
def resend_verification():
    if ActionForm().validate_on_submit() and not current_user.is_verified:
        accounts.send_verification(current_user)
        flash(_("A new confirmation link is on its way."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect_back("public.home")
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail address or password."))
        elif user.is_blocked:
            form.email.errors.append(policies.blocked_reason())
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Hello %(name)s!", name=user.display_name), "success")
            return redirect_back("public.home")
    return render_template("accounts/login.html", form=form,
                           next=request.args.get("next", "")), 422 if form.errors else 200


@bp.route("/deconnexion", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash(_("If an account uses this address, a link to choose a new password is on its "
                "way. It is valid for one hour."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200


@bp.route("/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        accounts.check_reset_token(token)
    except InvalidToken as error:
        return render_template("accounts/token_invalid.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except InvalidInput as error:
            show_errors(form, error)
        except InvalidToken as error:
            return render_template("accounts/token_invalid.html", message=error.message), 400
        else:
            login_user(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200


#: Where an offer stands, as the person who made it reads it.
OFFER_STANDING = {
    OfferStatus.NEW: _l("Received: the Fabrique will read it"),
    OfferStatus.CONTACTED: _l("The Fabrique contacted you"),
    OfferStatus.MET: _l("You met the Fabrique"),
    OfferStatus.SELECTED: _l("Selected"),
    OfferStatus.NOT_RETAINED: _l("Not retained"),
}
OFFER_KIND_LABELS = {OfferKind.CARRY: _l("To carry it"), OfferKind.CONTRIBUTE: _l("To help")}


@bp.route("/activite")
@login_required
def activity():
    return render_template("accounts/activity.html",
                           activity=activity_service.activity(current_user),
                           questions=still_a_need_service.waiting_questions(current_user),
                           offer_standing=OFFER_STANDING, offer_kinds=OFFER_KIND_LABELS)


@bp.route("/activite/toujours-un-besoin/<int:question_id>", methods=["GET", "POST"])
@login_required
def still_a_need(question_id: int):
    """The mail's link: the question and its form (a GET never answers)."""
    try:
        question = still_a_need_service.question_for(current_user, question_id)
    except NotAllowed as error:
        refuse(error)
    if question is None:
        abort(404)
    form = StillANeedForm()
    if form.validate_on_submit():
        try:
            still_a_need_service.answer(current_user, question, form.answer.data,
                                        form.comment.data, form.ask_again.data)
        except InvalidInput as error:
            show_errors(form, error)
        except NotAllowed as error:
            refuse(error)
        else:
            flash(_("Thank you: the Fabrique has your answer."), "success")
            return redirect(url_for("accounts.activity"))
    return render_template("accounts/still_a_need.html", question=question, form=form,
                           answer_labels=ANSWER_LABELS), 422 if form.errors else 200


@bp.route("/")
@login_required
def profile():
    return render_template("accounts/profile.html", submissions=listing.by_author(current_user),
                           action_form=ActionForm())
