from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import IdSelectField, choices
from ..models import OfferKind
from ..services.leads.rules import OFFER_MESSAGE_LENGTH
from ..services.submissions.rules import SEARCH_LENGTH

OFFER_KIND_LABELS = {
    OfferKind.CARRY: _l("I would like to carry this project"),
    OfferKind.CONTRIBUTE: _l("I would like to contribute (skills, time, network)"),
}


class OfferForm(FlaskForm):
    kind = RadioField(_l("What do you offer?"), validators=[DataRequired(
        message=_l("Choose whether you offer to carry or to contribute."))],
        choices=choices((k.value, v) for k, v in OFFER_KIND_LABELS.items()))
    message = TextAreaField(_l("A short message"), validators=[
        DataRequired(), Length(min=OFFER_MESSAGE_LENGTH[0], max=OFFER_MESSAGE_LENGTH[1])],
                            description=_l("What you could bring. Your e-mail address stays "
                                           "private until you choose to share it."))


class ConsentForm(FlaskForm):
    consent = SelectField(_l("Share my e-mail address with the Fabrique"), choices=choices(
        [("yes", _l("Yes")), ("no", _l("No"))]))


class ProjectFilterForm(FlaskForm):
    class Meta:
        csrf = False

    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=SEARCH_LENGTH)])
