"""Register, confirm the e-mail, log in (with a second factor for staff who turned it on) and out,
reset a forgotten password; the account page."""
from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from .. import policies
from ..extensions import limiter
from ..forms import ActionForm, refuse, show_errors, territory_choices
from ..models import OfferKind, OfferStatus
from ..services.accounts import access as accounts
from ..services.accounts import activity as activity_service
from ..services.accounts import sessions, two_factor
from ..services.core.errors import InvalidInput, InvalidToken, NotAllowed
from ..services.submissions import listing
from ..services.submissions import still_a_need as still_a_need_service
from ..services.submissions.still_a_need import ANSWER_LABELS
from ..urls import redirect_back, safe_target
from .forms import (
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    SecondFactorForm,
    StillANeedForm,
    TokenForm,
    TwoFactorForm,
)

bp = Blueprint("accounts", __name__, url_prefix="/compte")


#: Registrations an hour from one address: generous, a social centre signs people up on one line.
REGISTRATIONS_PER_ADDRESS = "60/hour"


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(REGISTRATIONS_PER_ADDRESS, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("public.home"))
    form = RegisterForm()
    form.home_territory.choices = territory_choices(blank=_("Not said"))
    if form.validate_on_submit():
        try:
            accounts.register(form.email.data, form.display_name.data, form.password.data,
                              form.home_territory.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            # The same answer whether the address was free or not: see accounts.register.
            flash(_("Thank you! We sent an e-mail to this address: follow its link to confirm "
                    "it, then log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), 422 if form.errors else 200


def token_refused(error: InvalidToken):
    """A mailed link that no longer works: why, and how to get a new one (400)."""
    return render_template("accounts/token_invalid.html", message=error.message), 400


@bp.route("/confirmer/<token>")
def verify_email(token: str):
    """The mailed link shows a button; only its POST confirms."""
    try:
        accounts.check_verification_token(token)
    except InvalidToken as error:
        return token_refused(error)
    return render_template("accounts/confirm_email.html", form=TokenForm(token=token))


@bp.route("/confirmer/adresse", methods=["POST"])
def confirm_email():
    """Confirms the address and nothing else: whoever holds the link is not logged in."""
    form = TokenForm()
    if not form.validate_on_submit():
        return token_refused(InvalidToken(_("This link is not valid. Check that you copied "
                                             "it whole.")))
    try:
        accounts.verify_email(form.token.data)
    except InvalidToken as error:
        return token_refused(error)
    flash(_("Your e-mail address is confirmed. You can now post and support."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.login"))


@bp.route("/confirmer", methods=["POST"])
@login_required
@limiter.limit("5/hour")
def resend_verification():
    if ActionForm().validate_on_submit() and not current_user.is_verified:
        accounts.send_verification(current_user)
        flash(_("A new confirmation link is on its way."), "info")
    return redirect(url_for("accounts.profile"))


def _submitted_account_key() -> str:
    """Login attempts are counted per account too, whichever addresses they come from; the key
    is the address typed, so an unknown one is limited the same way (nothing is revealed)."""
    return f"login-account:{accounts.normalise_email(request.form.get('email', ''))}"


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("20/hour", methods=["POST"])
@limiter.limit("10/hour", methods=["POST"], key_func=_submitted_account_key,
               deduct_when=lambda response: response.status_code != 302)
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
        elif user.has_two_factor:
            session[PENDING_LOGIN] = {"uid": user.id, "remember": bool(form.remember.data),
                                      "at": time.time()}
            target = safe_target(request.form.get("next") or request.args.get("next"))
            return redirect(url_for("accounts.second_factor", **({"next": target} if target
                                                                  else {})))
        else:
            sessions.open_session(user)
            return _logged_in(user, form.remember.data)
    return render_template("accounts/login.html", form=form,
                           next=request.args.get("next", "")), 422 if form.errors else 200


#: The session key that holds an account whose password was right, until its code is given.
PENDING_LOGIN = "pending_login"
#: How long the code page waits for the code after the password (seconds).
PENDING_LOGIN_SECONDS = 600


def _logged_in(user, remember: bool):
    login_user(user, remember=remember)
    flash(_("Hello %(name)s!", name=user.display_name), "success")
    return redirect_back("public.home")


def _pending_login():
    pending = session.get(PENDING_LOGIN)
    if not pending or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        return None
    user = two_factor.awaiting_code(pending["uid"])
    return (user, pending["remember"]) if user is not None else None


def _pending_account_key() -> str:
    """The code page is limited per account as well as per address."""
    return f"second-factor:{(session.get(PENDING_LOGIN) or {}).get('uid')}"


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
@limiter.limit("10/hour", methods=["POST"], key_func=_pending_account_key)
def second_factor():
    """The second step of a staff login with two-factor authentication on."""
    pending = _pending_login()
    if pending is None:
        session.pop(PENDING_LOGIN, None)
        flash(_("Log in again, then type your code."), "info")
        return redirect(url_for("accounts.login"))
    user, remember = pending
    form = SecondFactorForm()
    if form.validate_on_submit():
        if user.is_blocked:
            form.code.errors.append(policies.blocked_reason())
        else:
            try:
                two_factor.complete_login(user, form.code.data)
            except InvalidInput as error:
                show_errors(form, error)
            else:
                session.pop(PENDING_LOGIN, None)
                return _logged_in(user, remember)
    return render_template("accounts/second_factor.html", form=form,
                           next=request.args.get("next", "")), 422 if form.errors else 200


@bp.route("/securite", methods=["GET", "POST"])
@login_required
def security():
    """Two-factor authentication for staff: turn it on (scan, type a code), see recovery codes
    once, turn it off with the password and a code."""
    if not policies.can_use_two_factor(current_user):
        abort(404)
    form = TwoFactorForm()
    codes = None
    if form.validate_on_submit():
        try:
            if current_user.has_two_factor:
                two_factor.disable(current_user, form.password.data, form.code.data)
                flash(_("Two-factor authentication is off."), "info")
                return redirect(url_for("accounts.security"))
            codes = two_factor.enable(current_user, form.password.data, form.code.data)
        except InvalidInput as error:
            show_errors(form, error)
        except NotAllowed as error:
            flash(error.message, "error")
            return redirect(url_for("accounts.security"))
        else:
            flash(_("Two-factor authentication is on."), "success")
    setting_up = current_user.totp_secret is not None and not current_user.has_two_factor
    return render_template(
        "accounts/security.html", form=form, codes=codes, action_form=ActionForm(),
        qr=two_factor.setup_qr(current_user) if setting_up else None,
        codes_left=two_factor.recovery_codes_left(current_user)), 422 if form.errors else 200


@bp.route("/securite/commencer", methods=["POST"])
@login_required
def start_two_factor():
    if ActionForm().validate_on_submit():
        try:
            two_factor.begin(current_user)
        except NotAllowed as error:
            flash(error.message, "error")
    return redirect(url_for("accounts.security"))


@bp.route("/deconnexion", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            sessions.close_session(current_user)
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


@bp.route("/nouveau-mot-de-passe/<token>")
def reset_password(token: str):
    """The mailed link opens the form; the token travels on in a hidden field."""
    try:
        accounts.check_reset_token(token)
    except InvalidToken as error:
        return token_refused(error)
    return render_template("accounts/reset_password.html", form=ResetPasswordForm(token=token))


@bp.route("/nouveau-mot-de-passe", methods=["POST"])
def save_new_password():
    """Sets the password and logs nobody in: the person logs in with it, so a blocked account
    stays out and a second factor is still asked for."""
    form = ResetPasswordForm()
    try:
        accounts.check_reset_token(form.token.data or "")
    except InvalidToken as error:
        return token_refused(error)
    if form.validate_on_submit():
        try:
            accounts.reset_password(form.token.data, form.password.data)
        except InvalidInput as error:
            show_errors(form, error)
        except InvalidToken as error:
            return token_refused(error)
        else:
            flash(_("Your password has been changed. Log in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 422


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
