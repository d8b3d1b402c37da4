from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import HumanCheck, IdSelectField, choices
from ..services.accounts.rules import DISPLAY_NAME_LENGTH, EMAIL_LENGTH
from ..services.partners.rules import (
    CONTACT_LENGTH,
    GATHERING_METHODS,
    PEOPLE_COUNT,
    POSSIBLE_PARTNERS_LENGTH,
    REFERENCE_LENGTH,
    TOKEN_NAME_LENGTH,
)
from ..services.partners.tokens import SCOPE_LABELS
from ..services.submissions.rules import BODY_LENGTH, TITLE_LENGTH


def _length(bounds: tuple[int, int]) -> Length:
    return Length(min=bounds[0], max=bounds[1])


GATHERING_LABELS = {"workshop": _l("A workshop"), "questionnaire": _l("A questionnaire"),
                    "street_stand": _l("A street stand"), "meeting": _l("A meeting"),
                    "other": _l("Another way")}


class ForwardForm(HumanCheck, FlaskForm):
    """Bounds from the rules modules; the forwarding use case checks them again, for the API too."""

    title = StringField(_l("Title"), validators=[DataRequired(), _length(TITLE_LENGTH)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(),
                                                               _length(BODY_LENGTH)],
                                description=_l("What is known of the need or the opportunity: "
                                               "who asks, since when, what exists."))
    territory = IdSelectField(_l("Where?"), validators=[DataRequired()])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired()])
    possible_partners = TextAreaField(_l("Possible partners (optional)"),
                                      validators=[Optional(), _length(POSSIBLE_PARTNERS_LENGTH)])
    reference = StringField(_l("Your own reference (optional)"),
                            validators=[Optional(), _length(REFERENCE_LENGTH)])
    contact = StringField(_l("Contact person (optional)"), render_kw={"autocomplete": "name"},
                          validators=[Optional(), _length(CONTACT_LENGTH)])


class RelayForm(ForwardForm):
    """Relays post needs met with a group, and say how they were gathered."""

    gathering_method = SelectField(_l("How was the need gathered?"), choices=choices(
        (method, GATHERING_LABELS[method]) for method in GATHERING_METHODS))
    people_count = IntegerField(_l("How many people took part?"), validators=[
        Optional(), NumberRange(min=PEOPLE_COUNT[0], max=PEOPLE_COUNT[1])])


class WebhookForm(FlaskForm):
    webhook_url = URLField(_l("Webhook address (https)"), validators=[Optional(), Length(max=500)],
                           description=_l("We POST a signed JSON event there when one of your "
                                          "items changes status or stage. Leave empty to stop."))


class EnrolForm(FlaskForm):
    """A resident met at the partner's desk: the use case opens the account, the resident
    chooses their password through the mailed link."""

    display_name = StringField(_l("The resident's display name"),
                               validators=[DataRequired(), _length(DISPLAY_NAME_LENGTH)],
                               description=_l("Shown with their contributions."))
    email = EmailField(_l("The resident's e-mail address"),
                       validators=[DataRequired(), Email(), _length(EMAIL_LENGTH)],
                       description=_l("They receive a link there to choose their password."))
    consent = BooleanField(
        _l("I, the resident, have read the privacy notice and accept that my contributions are "
           "published under my display name."),
        validators=[DataRequired(message=_l("The resident's consent is needed."))])
class TokenForm(FlaskForm):
    """One API token: what it is for and what it may do (shown once when made)."""

    name = StringField(_l("What the token is for"), validators=[
        DataRequired(), _length(TOKEN_NAME_LENGTH)])
    scopes = SelectMultipleField(
        _l("Scopes"), choices=choices((k.value, v) for k, v in SCOPE_LABELS.items()),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
