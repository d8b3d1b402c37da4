from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField

from ..forms import choices


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=choices([("fr", "Français"), ("en", "English")]))
    next = HiddenField()
