from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..forms import HumanCheck, IdSelectField, length
from ..services.accounts.rules import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, PASSWORD_LENGTH


def _strip(value):
    """Phones and copy-paste add spaces around an address; they are not part of it."""
    return value.strip() if isinstance(value, str) else value


PASSWORD_RULES = [DataRequired(), Length(
    min=PASSWORD_LENGTH[0], max=PASSWORD_LENGTH[1],
    message=_l("Use at least %(count)d characters.", count=PASSWORD_LENGTH[0]))]
PASSWORD_HINT = _l("At least %(count)d characters.", count=PASSWORD_LENGTH[0])


class RegisterForm(HumanCheck, FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[DataRequired(), Email(), length(EMAIL_LENGTH)])
    display_name = StringField(
        _l("Display name"), filters=[_strip],
        validators=[DataRequired(), length(DISPLAY_NAME_LENGTH)],
        description=_l("Shown with your contributions. Your e-mail address is never shown."))
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES,
                             description=PASSWORD_HINT)
    password_confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    home_territory = IdSelectField(_l("Your commune (optional)"), validate_choice=True)
    consent = BooleanField(_l("I have read the privacy notice and accept that my contributions "
                              "are published under my display name."),
                           validators=[DataRequired(message=_l("Your consent is needed."))])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[DataRequired(), Email()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES,
                             description=PASSWORD_HINT)
    password_confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
