from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import IdSelectField, choices

GATHERING_LABELS = {"workshop": _l("A workshop"), "questionnaire": _l("A questionnaire"),
                    "street_stand": _l("A street stand"), "meeting": _l("A meeting"),
                    "other": _l("Another way")}


class ForwardForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=8, max=160)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(),
                                                               Length(min=30, max=10000)],
                                description=_l("What is known of the need or the opportunity: "
                                               "who asks, since when, what exists."))
    territory = IdSelectField(_l("Where?"), validators=[DataRequired()])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired()])
    possible_partners = TextAreaField(_l("Possible partners (optional)"),
                                      validators=[Optional(), Length(max=5000)])
    reference = StringField(_l("Your own reference (optional)"),
                            validators=[Optional(), Length(max=100)])
    contact = StringField(_l("Contact person (optional)"), validators=[Optional(),
                                                                     Length(max=200)])


class RelayForm(ForwardForm):
    """Relays post needs met with a group, and say how they were gathered."""

    gathering_method = SelectField(_l("How was the need gathered?"), choices=choices(
        GATHERING_LABELS.items()))
    people_count = IntegerField(_l("How many people took part?"), validators=[
        Optional(), NumberRange(min=1, max=100000)])


class WebhookForm(FlaskForm):
    webhook_url = URLField(_l("Webhook address (https)"), validators=[Optional(), Length(max=500)],
                           description=_l("We POST a signed JSON event there when one of your "
                                          "items changes status or stage. Leave empty to stop."))
