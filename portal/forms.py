"""Form pieces shared by several blueprints."""
from __future__ import annotations

from typing import NoReturn

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput, Select

from .models import Territory, Theme
from .services.core import reference
from .services.core.errors import DomainError
from .services.core.tokens import form_shown_token, seconds_since_shown


class ActionForm(FlaskForm):
    """Only a CSRF token: the form behind every state-changing button."""


class TrapInput(HiddenInput):
    """The honeypot: a text field a person never sees (the `trap` class hides it, a screen
    reader skips it) and robots fill. A HiddenInput, so `form.hidden_tag()` renders it."""

    def __call__(self, field, **kwargs):
        return Markup('<div class="trap" aria-hidden="true"><label for="{id}">{label}</label>'
                      '<input type="text" id="{id}" name="{name}" value="" tabindex="-1" '
                      'autocomplete="off"></div>').format(
            id=escape(field.id), name=escape(field.name), label=escape(field.label.text))


class HumanCheck:
    """The public forms' accessible alternative to a captcha: a honeypot field, and a signed
    moment the form was shown, refused if sent back sooner than FORM_MIN_SECONDS. A refused
    person sees why, finds what they typed, and can send it again at once."""

    shown = HiddenField(default=form_shown_token)
    leave_empty = StringField(_l("Leave this field empty"), widget=TrapInput(), default="")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        refusal = human_check_refusal(self.leave_empty.data, self.shown.data)
        self.shown.data = form_shown_token()  # the next try starts its clock now
        if refusal:
            self.form_errors.append(refusal)
            return False
        return valid


def human_check_refusal(trap: str | None, shown: str | None) -> str | None:
    """Why a public form looks sent by a robot, in words for the person; None if it does not."""
    if trap:
        return _("This form could not be sent: leave the last, hidden field empty and send "
                 "it again.")
    minimum = current_app.config["FORM_MIN_SECONDS"]
    elapsed = seconds_since_shown(shown)
    if minimum and (elapsed is None or elapsed < minimum):
        return _("This form was sent faster than a person can fill it in. Check what you "
                 "wrote and send it again.")
    return None


def choices(pairs) -> list[SelectChoice]:
    """WTForms 3.3+ wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def territory_choices(blank: str | None = None) -> list[SelectChoice]:
    """Territories in tree order, indented so the hierarchy reads in a plain <select>."""
    everything = reference.places()
    names = {place.id: place.name for place in everything}

    def sort_key(place) -> tuple:
        return tuple(names.get(int(part), "") for part in place.path.strip("/").split("/") if part)

    pairs = [(str(place.id), "\u00a0\u00a0" * max(Territory.depth_of(place.path), 0) + place.name)
             for place in sorted(everything, key=sort_key)]
    return choices(([("", blank)] if blank is not None else []) + pairs)


def theme_choices(blank: str | None = None) -> list[SelectChoice]:
    return choices(([("", blank)] if blank is not None else [])
                   + [(str(theme.id), Theme.name_in_locale(theme.name_fr, theme.name_en))
                      for theme in reference.themes()])


def team_choices(blank: str | None = None) -> list[SelectChoice]:
    """The Fabrique's team, by name: who may be in charge of a contribution or a lead."""
    from .services.leads.pipeline import team_members

    return choices(([("", blank)] if blank is not None else [])
                   + [(str(u.id), u.display_name) for u in team_members()])


def length(bounds: tuple[int, int]) -> Length:
    """A WTForms Length from the (minimum, maximum) a rules module gives the services, so a form
    and its use case never disagree."""
    return Length(min=bounds[0], max=bounds[1])


class OptionsSelect(Select):
    """WTForms' select, each plain option written at once: a listing's filters list every place
    and theme, and WTForms builds each option's attributes through `html_params`, which cost a
    millisecond a page. The HTML is the same."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        # Both pieces from outside are escaped here (Markup.format would escape them again, slower).
        return Markup(f'<option {selected}value="{escape(value)}">'  # noqa: S704
                      f"{escape(choice.label or choice.value)}</option>")


class IdSelectField(SelectField):
    """A select whose value is an id; an unknown value is a validation error, not a crash."""

    widget = OptionsSelect()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", _database_id)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if self.data is None:
            if self.flags.required:
                raise ValidationError(_l("Choose a value from the list."))
            return None
        return super().pre_validate(form)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Choose a value from the list.")) from None


MAX_PAGE = 100_000
#: The largest id an INTEGER primary key holds on both databases.
MAX_ID = 2**31 - 1


class AssignForm(FlaskForm):
    """Who is in charge of a contribution or a lead; empty means nobody."""

    assignee = IdSelectField(_l("Person in charge"), validators=[Optional()])


def whole_number(value: str | None, high: int) -> int | None:
    """`value` as a number from 1 to `high`, or None. Only ASCII digits: "²" or "١٢" are digits to
    Python's `isdigit()` but not numbers a person typed in a URL or a form."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if 1 <= number <= high else None


def page_number(value: str | None) -> int | None:
    """The `page` of a query string, or None when it is not a whole number from 1 to MAX_PAGE."""
    return whole_number(value or "1", MAX_PAGE)


def _database_id(value):
    if value in (None, ""):
        return None
    number = whole_number(str(value), MAX_ID)
    if number is None:
        raise ValueError(value)
    return number


def refuse(error: DomainError) -> NoReturn:
    """A refusal with no form to show it on: its error page, with its message (403 for
    NotAllowed, 400 for InvalidToken and for an InvalidInput that no field can carry)."""
    abort(403 if error.status == 403 else 400, description=error.message)


def show_errors(form: FlaskForm, error: DomainError, *,
                aliases: dict[str, str] | None = None) -> None:
    """The one place a domain error becomes form messages: each on its field when the form has
    it (under the same name, or the name `aliases` gives), the rest above the form."""
    aliases = aliases or {}
    for name, messages in error.errors.items():
        field = form._fields.get(aliases.get(name, name))
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
