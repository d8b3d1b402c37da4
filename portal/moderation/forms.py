from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..forms import IdSelectField, choices, length
from ..labels import FLAG_REASON_LABELS, ROLE_LABELS, SOURCE_LABELS, TARGET_LABELS
from ..services.submissions.moderation import answer_statuses
from ..services.submissions.rules import (
    ANSWER_LENGTH,
    BODY_LENGTH,
    DECLINE_REASON_LENGTH,
    DETAILS_MESSAGE_LENGTH,
    FLAG_DETAILS_LENGTH,
    INTERNAL_NOTE_LENGTH,
    SEARCH_LENGTH,
    TAGS_TEXT_LENGTH,
    TEMPLATE_BODY_LENGTH,
    TEMPLATE_TITLE_LENGTH,
    TITLE_LENGTH,
)
from ..submissions.forms import KIND_LABELS, STATUS_LABELS


def answer_status_choices(submission) -> list:
    """The statuses an answer may give this contribution, as the use case allows them."""
    return choices((status, STATUS_LABELS[status]) for status in answer_statuses(submission))


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validators=[Optional()], choices=choices(
        [("", _l("All kinds"))] + [(k.value, label) for k, label in KIND_LABELS.items()]))
    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])
    source = SelectField(_l("Source"), validators=[Optional()], choices=choices(
        [("", _l("All sources"))] + [(k.value, label) for k, label in SOURCE_LABELS.items()]))
    q = StringField(_l("Search"), validators=[Optional(), Length(max=SEARCH_LENGTH)])


class BulkForm(FlaskForm):
    ids = SelectMultipleField(_l("Contributions"), coerce=int, validate_choice=False,
                              validators=[DataRequired(
                                  message=_l("Tick at least one contribution."))])
    action = RadioField(_l("Action"), choices=choices([("publish", _l("Publish")),
                                                       ("tag", _l("Add tags"))]),
                        validators=[DataRequired()])
    tags = StringField(_l("Tags (comma-separated)"),
                       validators=[Optional(), length(TAGS_TEXT_LENGTH)])
    confirmed = HiddenField()


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Internal note (the team only)"),
                         validators=[DataRequired(message=_l("Write the note.")),
                                     length(INTERNAL_NOTE_LENGTH)])


class ReviewForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), length(TITLE_LENGTH)])
    body = TextAreaField(_l("Description"), validators=[DataRequired(), length(BODY_LENGTH)])
    territory = IdSelectField(_l("Territory"), validators=[DataRequired()])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired()])
    tags = StringField(_l("Tags (comma-separated)"),
                       validators=[Optional(), length(TAGS_TEXT_LENGTH)])


class ModeratorDeclineForm(FlaskForm):
    template = IdSelectField(_l("Start from a template"), validators=[Optional()])
    reason = TextAreaField(_l("Reason given to residents"),
                           validators=[Optional(), length(DECLINE_REASON_LENGTH)],
                           description=_l("Leave empty to use the chosen template as it is."))


class DetailsForm(FlaskForm):
    message = TextAreaField(_l("What is missing?"), validators=[DataRequired(),
                                                                length(DETAILS_MESSAGE_LENGTH)],
                            description=_l("The author receives this message and can edit the "
                                           "contribution; it then comes back to the queue."))


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Public answer"), validators=[DataRequired(), length(ANSWER_LENGTH)])
    status = SelectField(_l("Public status"))


class MergeForm(FlaskForm):
    sources = SelectMultipleField(_l("Merge these into this contribution"), coerce=int,
                                  validate_choice=False, validators=[DataRequired(
                                      message=_l("Tick at least one contribution."))])
    confirmed = HiddenField()


class TemplateForm(FlaskForm):
    title = StringField(_l("Name of the template"),
                        validators=[DataRequired(), length(TEMPLATE_TITLE_LENGTH)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), length(TEMPLATE_BODY_LENGTH)])


class BlockForm(FlaskForm):
    hide_content = BooleanField(_l("Also hide their public contributions and comments"))


class UnblockForm(FlaskForm):
    restore_content = BooleanField(_l("Also show again what the block hid"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices((r.value, label) for r, label in
                                                   ROLE_LABELS.items()))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail address"), validators=[Optional(), Length(max=200)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = IdSelectField(_l("Who"), validators=[Optional()])
    target_type = SelectField(_l("On"), validators=[Optional()], choices=choices(
        [("", _l("Everything")), *TARGET_LABELS.items()]))


class FlagForm(FlaskForm):
    reason = RadioField(_l("Why do you report this?"), choices=choices(
        (r.value, label) for r, label in FLAG_REASON_LABELS.items()),
        validators=[DataRequired(message=_l("Choose a reason."))])
    details = TextAreaField(_l("Details (optional)"),
                            validators=[Optional(), length(FLAG_DETAILS_LENGTH)])
