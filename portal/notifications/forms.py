from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from ..forms import choices
from ..models import NotificationFrequency

FREQUENCY_LABELS = {
    NotificationFrequency.IMMEDIATE: _l("At once, one e-mail per piece of news"),
    NotificationFrequency.DAILY: _l("Once a day, a digest"),
    NotificationFrequency.NEVER: _l("Never: I read them on the site"),
}


class FrequencyForm(FlaskForm):
    frequency = RadioField(_l("E-mail me the news of what I follow"), choices=choices(
        (key.value, label) for key, label in FREQUENCY_LABELS.items()))
