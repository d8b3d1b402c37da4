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

from ..forms import IdSelectField, choices
from ..models import FlagReason, Role, SubmissionSource, SubmissionStatus
from ..submissions.forms import KIND_LABELS, STATUS_LABELS

SOURCE_LABELS = {SubmissionSource.RESIDENT: _l("Resident"), SubmissionSource.RELAY: _l("Relay"),
                 SubmissionSource.PARTNER: _l("Partner")}
ROLE_LABELS = {Role.RESIDENT: _l("Resident"), Role.MODERATOR: _l("Moderator"),
               Role.PARTNER: _l("Partner"), Role.ADMIN: _l("Administrator")}
FLAG_REASON_LABELS = {
    FlagReason.SPAM: _l("Spam or advertising"), FlagReason.INSULT: _l("Insult or harassment"),
    FlagReason.PERSONAL_DATA: _l("Personal data"), FlagReason.OFF_TOPIC: _l("Off topic"),
    FlagReason.OTHER: _l("Other"),
}
ANSWER_STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in (
    SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY, SubmissionStatus.IN_PROJECT,
    SubmissionStatus.DECLINED)]


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validators=[Optional()], choices=choices(
        [("", _l("All kinds"))] + [(k.value, label) for k, label in KIND_LABELS.items()]))
    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])
    source = SelectField(_l("Source"), validators=[Optional()], choices=choices(
        [("", _l("All sources"))] + [(k.value, label) for k, label in SOURCE_LABELS.items()]))


class BulkForm(FlaskForm):
    ids = SelectMultipleField(_l("Contributions"), coerce=int, validate_choice=False,
                              validators=[DataRequired(message=_l("Tick at least one contribution."))])
    action = RadioField(_l("Action"), choices=choices([("publish", _l("Publish")),
                                                       ("tag", _l("Add tags"))]),
                        validators=[DataRequired()])
    tags = StringField(_l("Tags (comma-separated)"), validators=[Optional(), Length(max=300)])
    confirmed = HiddenField()


class ReviewForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=8, max=160)])
    body = TextAreaField(_l("Description"), validators=[DataRequired(), Length(min=30, max=10000)])
    territory = IdSelectField(_l("Territory"), validators=[DataRequired()])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired()])
    tags = StringField(_l("Tags (comma-separated)"), validators=[Optional(), Length(max=300)])


class ModeratorDeclineForm(FlaskForm):
    template = IdSelectField(_l("Start from a template"), validators=[Optional()])
    reason = TextAreaField(_l("Reason given to residents"),
                           validators=[Optional(), Length(max=5000)],
                           description=_l("Leave empty to use the chosen template as it is."))


class DetailsForm(FlaskForm):
    message = TextAreaField(_l("What is missing?"), validators=[DataRequired(), Length(max=2000)],
                            description=_l("The author receives this message and can edit the "
                                           "contribution; it then comes back to the queue."))


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Public answer"), validators=[DataRequired(), Length(max=5000)])
    status = SelectField(_l("Public status"), choices=choices(ANSWER_STATUS_CHOICES))


class MergeForm(FlaskForm):
    sources = SelectMultipleField(_l("Merge these into this contribution"), coerce=int,
                                  validate_choice=False, validators=[DataRequired(
                                      message=_l("Tick at least one contribution."))])


class TemplateForm(FlaskForm):
    title = StringField(_l("Name of the template"), validators=[DataRequired(), Length(max=120)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=5000)])


class BlockForm(FlaskForm):
    hide_content = BooleanField(_l("Also hide their public contributions and comments"))


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
    target_type = SelectField(_l("On"), validators=[Optional()], choices=choices([
        ("", _l("Everything")), ("submissions", _l("Contributions")),
        ("comments", _l("Comments")), ("users", _l("Accounts")),
        ("reply_templates", _l("Reply templates"))]))


class FlagForm(FlaskForm):
    reason = RadioField(_l("Why do you report this?"), choices=choices(
        (r.value, label) for r, label in FLAG_REASON_LABELS.items()),
        validators=[DataRequired(message=_l("Choose a reason."))])
    details = TextAreaField(_l("Details (optional)"), validators=[Optional(), Length(max=1000)])
