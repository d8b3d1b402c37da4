from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import HumanCheck, IdSelectField, choices, length
from ..models import Role
from ..services.accounts.rules import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, PASSWORD_LENGTH
from ..services.submissions.still_a_need import ANSWER_LABELS


def _strip(value):
    """Phones and copy-paste add spaces around an address; they are not part of it."""
    return value.strip() if isinstance(value, str) else value


#: The badge next to a staff member's name on public pages: residents see who speaks for the
#: Fabrique, and nobody else can wear it (services/accounts/rules.impersonates).
STAFF_BADGES = {Role.MODERATOR: _l("Fabrique team"), Role.ADMIN: _l("Fabrique team"),
                Role.COMMITTEE: _l("Steering committee")}

PASSWORD_RULES = [DataRequired(), Length(
    min=PASSWORD_LENGTH[0], max=PASSWORD_LENGTH[1],
    message=_l("Use at least %(count)d characters.", count=PASSWORD_LENGTH[0]))]
PASSWORD_HINT = _l("At least %(count)d characters.", count=PASSWORD_LENGTH[0])


#: What browsers and password managers may fill in (WCAG 1.3.5, identify input purpose).
EMAIL = {"autocomplete": "email"}
NEW_PASSWORD = {"autocomplete": "new-password"}


class RegisterForm(HumanCheck, FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip], render_kw=EMAIL,
                       validators=[DataRequired(), Email(), length(EMAIL_LENGTH)])
    display_name = StringField(
        _l("Display name"), filters=[_strip], render_kw={"autocomplete": "nickname"},
        validators=[DataRequired(), length(DISPLAY_NAME_LENGTH)],
        description=_l("Shown with your contributions. Your e-mail address is never shown."))
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES,
                             description=PASSWORD_HINT, render_kw=NEW_PASSWORD)
    password_confirm = PasswordField(_l("Password again"), render_kw=NEW_PASSWORD, validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    home_territory = IdSelectField(_l("Your commune (optional)"), validate_choice=True,
                                   render_kw={"autocomplete": "address-level2"})
    consent = BooleanField(_l("I have read the privacy notice and accept that my contributions "
                              "are published under my display name."),
                           validators=[DataRequired(message=_l("Your consent is needed."))])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip], render_kw=EMAIL,
                       validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip], render_kw=EMAIL,
                       validators=[DataRequired(), Email()])


class TokenForm(FlaskForm):
    """A mailed link opens a page whose button posts the token: it never reaches access logs
    through the address the action is sent to, and a mail scanner that opens links acts on
    nothing."""
    token = HiddenField(validators=[DataRequired()])


class ResetPasswordForm(TokenForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES,
                             description=PASSWORD_HINT, render_kw=NEW_PASSWORD)
    password_confirm = PasswordField(_l("New password again"), render_kw=NEW_PASSWORD, validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), filters=[_strip], validators=[DataRequired()],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
                       description=_l("The 6 digits your authenticator app shows, or one of "
                                      "your recovery codes."))


class TwoFactorForm(FlaskForm):
    """Turning the second factor on or off takes the password and a current code."""
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    code = StringField(_l("Code"), filters=[_strip], validators=[DataRequired()],
                       render_kw={"autocomplete": "one-time-code"},
                       description=_l("The 6 digits your authenticator app shows."))
class StillANeedForm(FlaskForm):
    """One question, four answers; the use case checks the choice and the word's length."""

    answer = RadioField(_l("Is it still a need?"), choices=choices(
        (key.value, label) for key, label in ANSWER_LABELS.items()), validate_choice=False)
    comment = TextAreaField(_l("A word for the Fabrique (optional)"))
    ask_again = BooleanField(_l("If it is still a need, you may ask me again in a few weeks"))


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Display name"), filters=[_strip],
        validators=[DataRequired(), length(DISPLAY_NAME_LENGTH)],
        description=_l("Shown with your contributions. Your e-mail address is never shown."))
    home_territory = IdSelectField(
        _l("Your commune (optional)"), validate_choice=True,
        description=_l("The list of contributions and the posting form start from it."))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES,
                             description=PASSWORD_HINT)
    password_confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), filters=[_strip],
                       validators=[DataRequired(), Email(), length(EMAIL_LENGTH)],
                       description=_l("We mail a link to it; the change is made when you "
                                      "open it."))
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class DeleteAccountForm(FlaskForm):
    contributions = RadioField(
        _l("What you wrote"), default="keep", validators=[DataRequired()],
        choices=choices([("keep", _l("Leave my contributions and comments, shown as written by "
                                     "“a former participant”")),
                         ("withdraw", _l("Withdraw my contributions and delete my comments"))]))
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             description=_l("To be sure it is you."))
