from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional

from ..forms import IdSelectField, choices, length
from ..models import LeadStage, MessageKind, MessageState, OrganisationKind
from ..services.leads.stages import STAGE_LABELS
from ..services.leads.timing import TARGET_RANGE
from ..services.partners.rules import ORGANISATION_NAME_LENGTH

KIND_LABELS = {
    OrganisationKind.COLLECTIVITY: _l("Local authority"),
    OrganisationKind.METROPOLE_SERVICE: _l("Service of the métropole"),
    OrganisationKind.COMPANY: _l("Company"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.RELAY: _l("Relay (social centre, conseil citoyen)"),
}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), length(ORGANISATION_NAME_LENGTH)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, v) for k, v in KIND_LABELS.items()))
    territory = IdSelectField(_l("Territory (optional)"))


class AttachUserForm(FlaskForm):
    email = EmailField(_l("E-mail address of the person's account"),
                       render_kw={"autocomplete": "off"},  # someone else's, not the admin's own
                       validators=[DataRequired(), Email()])


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


_MONTHS_MESSAGE = _l("A whole number of months from %(low)d to %(high)d.", low=TARGET_RANGE[0],
                     high=TARGET_RANGE[1])
MONTHS = {"validators": [InputRequired(message=_MONTHS_MESSAGE),
                         NumberRange(*TARGET_RANGE, message=_MONTHS_MESSAGE)],
          "description": _l("In months, from 1 to 120.")}


class StageTargetsForm(FlaskForm):
    """The target of each timed stage, in months; the use case checks the bounds."""

    detected = IntegerField(STAGE_LABELS[LeadStage.DETECTED], **MONTHS)
    opportunity = IntegerField(STAGE_LABELS[LeadStage.OPPORTUNITY], **MONTHS)
    carrier_search = IntegerField(STAGE_LABELS[LeadStage.CARRIER_SEARCH], **MONTHS)
    feasibility = IntegerField(STAGE_LABELS[LeadStage.FEASIBILITY], **MONTHS)
    launch = IntegerField(STAGE_LABELS[LeadStage.LAUNCH], **MONTHS)
