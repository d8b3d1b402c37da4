from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import IdSelectField, choices, length
from ..models import MessageKind, MessageState, OrganisationKind, Scope
from ..services.partners.rules import ORGANISATION_NAME_LENGTH

KIND_LABELS = {
    OrganisationKind.COLLECTIVITY: _l("Local authority"),
    OrganisationKind.METROPOLE_SERVICE: _l("Service of the métropole"),
    OrganisationKind.COMPANY: _l("Company"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.RELAY: _l("Relay (social centre, conseil citoyen)"),
}
SCOPE_LABELS = {Scope.WRITE: _l("Forward opportunities"), Scope.READ: _l("Read its items")}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), length(ORGANISATION_NAME_LENGTH)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, v) for k, v in KIND_LABELS.items()))
    territory = IdSelectField(_l("Territory (optional)"))


class AttachUserForm(FlaskForm):
    email = EmailField(_l("E-mail address of the person's account"),
                       validators=[DataRequired(), Email()])


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=120)])
    scopes = SelectMultipleField(
        _l("Scopes"), choices=choices((k.value, v) for k, v in SCOPE_LABELS.items()),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))


#: The outbox's states and kinds, as an operator reads them.
MESSAGE_STATE_LABELS = {MessageState.QUEUED: _l("Waiting"), MessageState.SENDING: _l("Being sent"),
                        MessageState.SENT: _l("Sent"), MessageState.FAILED: _l("Failed")}
MESSAGE_KIND_LABELS = {MessageKind.MAIL: _l("E-mail"), MessageKind.WEBHOOK: _l("Webhook event"),
                       MessageKind.JOB: _l("Background job")}


class OutboxFilterForm(FlaskForm):
    """The outbox list's filter, read from the query string."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), validators=[Optional()], choices=choices(
        [("", _l("All states")),
         *((key.value, label) for key, label in MESSAGE_STATE_LABELS.items())]))
