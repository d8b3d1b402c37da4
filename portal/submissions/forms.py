from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import HumanCheck, IdSelectField, choices, length
from ..models import AuthorOffer, SubmissionKind, SubmissionStatus
from ..services.submissions.listing import RANKED_SORT, SORTS
from ..services.submissions.rules import (
    BODY_LENGTH,
    COMMENT_LENGTH,
    DECLINE_REASON_LENGTH,
    TARGET_PUBLIC_LENGTH,
    TITLE_LENGTH,
)

KIND_LABELS = {
    SubmissionKind.NEED: _l("Need"),
    SubmissionKind.IDEA: _l("Idea"),
    SubmissionKind.OPPORTUNITY: _l("Opportunity"),
}
STATUS_LABELS = {
    SubmissionStatus.PENDING: _l("Awaiting moderation"),
    SubmissionStatus.PUBLISHED: _l("Published"),
    SubmissionStatus.UNDER_STUDY: _l("Under study"),
    SubmissionStatus.IN_PROJECT: _l("Became a project lead"),
    SubmissionStatus.DECLINED: _l("Not retained"),
    SubmissionStatus.MERGED: _l("Merged"),
    SubmissionStatus.WITHDRAWN: _l("Withdrawn by its author"),
    SubmissionStatus.HIDDEN: _l("Hidden"),
}
SORT_LABELS = {"newest": _l("Newest"), "supported": _l("Most supported"),
               "trending": _l("Trending (last 14 days)")}
#: What RANKED_SORT does once words are searched for.
RANKED_SORT_LABEL = _l("Most relevant")
OFFER_LABELS = {
    AuthorOffer.NONE: _l("No, I only raise it"),
    AuthorOffer.CARRY: _l("I could help carry this project"),
    AuthorOffer.CONTRIBUTE: _l("I could contribute (time, skills, network)"),
}


class SubmissionForm(HumanCheck, FlaskForm):
    kind = RadioField(_l("What do you want to share?"), validators=[DataRequired(
        message=_l("Choose whether this is a need or an idea."))], choices=choices([
        (SubmissionKind.NEED.value, _l("A need: something missing here, for some people")),
        (SubmissionKind.IDEA.value, _l("An idea: an answer that nobody carries yet")),
    ]))
    title = StringField(_l("Title"), validators=[DataRequired(), length(TITLE_LENGTH)],
                        description=_l("One short sentence, between %(low)d and %(high)d "
                                       "characters.", low=TITLE_LENGTH[0], high=TITLE_LENGTH[1]))
    body = TextAreaField(_l("Description"), validators=[DataRequired(), length(BODY_LENGTH)],
                         description=_l("What is missing, for whom, since when, what you have "
                                        "seen. Markdown is accepted: *italic*, **bold**, lists, "
                                        "links."))
    target_public = StringField(_l("Who is concerned? (optional)"),
                                validators=[Optional(), length(TARGET_PUBLIC_LENGTH)],
                                description=_l("For example: elderly people living alone, "
                                               "young parents, job seekers."))
    territory = IdSelectField(_l("Where?"), validators=[DataRequired(
        message=_l("Choose a territory from the list."))])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired(
        message=_l("Choose a theme from the list."))])
    author_offer = RadioField(_l("Would you take part?"), default=AuthorOffer.NONE.value,
                              choices=choices((key.value, label)
                                              for key, label in OFFER_LABELS.items()))
    #: "1" once the look-alikes were shown (the check before publishing, or the live hints).
    checked = HiddenField()


class EditSubmissionForm(SubmissionForm):
    """The kind is chosen once; the rest may be corrected."""

    kind = None


class FilterForm(FlaskForm):
    """The listing's query string, validated like any other input."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[Optional()], choices=choices([
        ("", _l("Needs and ideas")),
        (SubmissionKind.NEED.value, _l("Needs")),
        (SubmissionKind.IDEA.value, _l("Ideas")),
        (SubmissionKind.OPPORTUNITY.value, _l("Opportunities")),
    ]))
    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=choices([
        ("", _l("Open (published, under study, in project)")),
        (SubmissionStatus.PUBLISHED.value, STATUS_LABELS[SubmissionStatus.PUBLISHED]),
        (SubmissionStatus.UNDER_STUDY.value, STATUS_LABELS[SubmissionStatus.UNDER_STUDY]),
        (SubmissionStatus.IN_PROJECT.value, STATUS_LABELS[SubmissionStatus.IN_PROJECT]),
        (SubmissionStatus.DECLINED.value, STATUS_LABELS[SubmissionStatus.DECLINED]),
    ]))
    sort = SelectField(_l("Sort by"), validators=[Optional()], default="newest",
                       choices=choices((key, SORT_LABELS[key]) for key in SORTS))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (self.q.data or "").strip():  # the menu says what the listing does with words
            self.sort.choices = choices(
                (key, RANKED_SORT_LABEL if key == RANKED_SORT else SORT_LABELS[key])
                for key in SORTS)


class CommentForm(HumanCheck, FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), length(COMMENT_LENGTH)],
                         description=_l("Markdown is accepted. Be kind and stay on topic."))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason given to residents"),
                           validators=[DataRequired(), length(DECLINE_REASON_LENGTH)])
