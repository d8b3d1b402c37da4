"""The resident's own data (RGPD): change name, commune, password and e-mail address, download
everything the portal holds ("Mes données"), delete the account."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import limiter
from ..forms import ActionForm, show_errors, territory_choices
from ..services.accounts import deletion, my_data
from ..services.accounts import profile as profile_service
from ..services.core.errors import InvalidInput, InvalidToken, NotAllowed
from .forms import ChangeEmailForm, ChangePasswordForm, DeleteAccountForm, ProfileForm, TokenForm
from .views import token_refused

bp = Blueprint("own_data", __name__, url_prefix="/compte")


def _settings_page(profile_form=None, password_form=None, email_form=None):
    """The account settings: each form posts to its own address and comes back here with its
    errors and what was typed, the other forms as they were."""
    profile_form = profile_form or ProfileForm(obj=current_user)
    if profile_form.home_territory.data is None and not profile_form.is_submitted():
        profile_form.home_territory.data = current_user.home_territory_id
    profile_form.home_territory.choices = territory_choices(blank=_("Not said"))
    failed = any(form is not None and form.errors
                 for form in (profile_form, password_form, email_form))
    return render_template(
        "accounts/settings.html", profile_form=profile_form,
        password_form=password_form or ChangePasswordForm(prefix="pw"),
        email_form=email_form or ChangeEmailForm(prefix="mail")), 422 if failed else 200


@bp.route("/parametres")
@login_required
def settings():
    return _settings_page()


@bp.route("/parametres/profil", methods=["POST"])
@login_required
def save_profile():
    form = ProfileForm()
    form.home_territory.choices = territory_choices(blank=_("Not said"))
    if form.validate_on_submit():
        try:
            profile_service.update_profile(current_user, form.display_name.data,
                                           form.home_territory.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("own_data.settings"))
    return _settings_page(profile_form=form)


@bp.route("/parametres/mot-de-passe", methods=["POST"])
@login_required
@limiter.limit("10/hour")
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            profile_service.change_password(current_user, form.current_password.data,
                                            form.password.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("Your password is changed. Your other browsers are logged out."), "success")
            return redirect(url_for("own_data.settings"))
    return _settings_page(password_form=form)


@bp.route("/parametres/adresse", methods=["POST"])
@login_required
@limiter.limit("10/hour")
def change_email():
    form = ChangeEmailForm(prefix="mail")
    if form.validate_on_submit():
        try:
            profile_service.request_email_change(current_user, form.email.data,
                                                 form.current_password.data)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("We sent a link to %(address)s: your address changes when you open it.",
                    address=form.email.data), "info")
            return redirect(url_for("own_data.settings"))
    return _settings_page(email_form=form)


@bp.route("/nouvelle-adresse/<token>")
def new_email(token: str):
    """The link mailed to a new address shows a button; only its POST changes the address."""
    try:
        _user, address = profile_service.check_email_change_token(token)
    except InvalidToken as error:
        return token_refused(error)
    return render_template("accounts/confirm_new_email.html", form=TokenForm(token=token),
                           address=address)


@bp.route("/nouvelle-adresse", methods=["POST"])
def confirm_new_email():
    form = TokenForm()
    try:
        if not form.validate_on_submit():
            raise InvalidToken(_("This link is not valid. Check that you copied it whole."))
        profile_service.confirm_email_change(form.token.data)
    except InvalidToken as error:
        return token_refused(error)
    flash(_("Your new e-mail address is saved."), "success")
    return redirect(url_for("own_data.settings" if current_user.is_authenticated
                            else "accounts.login"))


@bp.route("/mes-donnees", methods=["GET", "POST"])
@login_required
@limiter.limit("5/day", methods=["POST"])
def my_data_request():
    """Ask for a copy of everything the portal holds about me; the worker mails the link."""
    form = ActionForm()
    if form.validate_on_submit():
        my_data.request_export(current_user)
        flash(_("We are preparing your data. We will send you an e-mail with a link to "
                "download it."), "info")
        return redirect(url_for("own_data.my_data_request"))
    return render_template("accounts/my_data.html", form=form,
                           export=my_data.latest_export(current_user))


@bp.route("/mes-donnees/<token>")
@login_required
def my_data_download(token: str):
    try:
        my_data.export_file(current_user, token, "json")
    except InvalidToken as error:
        return token_refused(error)
    return render_template("accounts/my_data_download.html", token=token)


@bp.route("/mes-donnees/<token>/donnees.<fmt>")
@login_required
def my_data_file(token: str, fmt: str):
    """Served to its owner only, never cached on the way."""
    try:
        path, mimetype = my_data.export_file(current_user, token, fmt)
    except InvalidToken as error:
        return token_refused(error)
    response = send_file(path, mimetype=mimetype, as_attachment=fmt == "json",
                         download_name=path.name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    if fmt == "html":
        response.headers["Content-Security-Policy"] = my_data.FILE_POLICY
    return response


@bp.route("/supprimer", methods=["GET", "POST"])
@login_required
def delete_account():
    """The resident deletes their account, confirmed with the password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user, form.password.data,
                                    form.contributions.data == "withdraw")
        except InvalidInput as error:
            show_errors(form, error)
        except NotAllowed as error:
            form.form_errors.append(error.message)
        else:
            logout_user()
            flash(_("Your account is deleted. Thank you for taking part."), "info")
            return redirect(url_for("public.home"))
    return render_template("accounts/delete.html", form=form), 422 if form.errors else 200
