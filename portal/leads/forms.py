from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import MAX_ID, IdSelectField, choices, whole_number
from ..models import (
    PUBLIC_SECTIONS,
    Attendance,
    Decision,
    LeadOrigin,
    OfferStatus,
    PartnerKind,
    PartnerRole,
)
from ..services.leads.rules import (
    COMMITMENT_LENGTH,
    COMMITTEE_NAME_LENGTH,
    CONTACT_LENGTH,
    FICHE_LENGTHS,
    LEAD_TITLE_LENGTH,
    LEGAL_FORM_LENGTH,
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    PARTICIPANTS_RANGE,
    REASON_LENGTH,
    SUMMARY_LENGTH,
    TEXT_LENGTH,
    URL_LENGTH,
)
from ..services.leads.stages import STAGE_LABELS


def length(bounds: tuple[int, int]) -> Length:
    """The bounds the use case checks, repeated in the browser's form."""
    return Length(min=bounds[0], max=bounds[1])


def fiche(name: str) -> list:
    """Validators of a text of the fiche, from its bounds in the rules."""
    bounds = FICHE_LENGTHS[name]
    return [DataRequired() if bounds[0] else Optional(), length(bounds)]

ORIGIN_LABELS = {
    LeadOrigin.RESIDENTS: _l("Residents' contributions"),
    LeadOrigin.RELAY: _l("A relay (social centre, association)"),
    LeadOrigin.COLLECTIVITY: _l("A request from a collectivité"),
    LeadOrigin.PARTNER: _l("A partner"),
    LeadOrigin.REPLICATION: _l("Replication of a model from elsewhere"),
}
SECTION_LABELS = {
    "need": _l("The need and its public"),
    "existing": _l("What already exists nearby"),
    "model": _l("Economic model hypotheses"),
    "partners": _l("Partners"),
    "carrier_profile": _l("Carrier sought"),
    "budget": _l("Budget and funding leads"),
    "workshops": _l("Workshops"),
    "decisions": _l("Decisions and their notes"),
    "outcome": _l("The enterprise created"),
}
PARTNER_KIND_LABELS = {
    PartnerKind.COLLECTIVITY: _l("Collectivité"),
    PartnerKind.COMPANY: _l("Company"),
    PartnerKind.ASSOCIATION: _l("Association"),
    PartnerKind.OTHER: _l("Other"),
}
PARTNER_ROLE_LABELS = {
    PartnerRole.FUNDER: _l("Funder"),
    PartnerRole.TECHNICAL: _l("Technical partner"),
    PartnerRole.PRESCRIBER: _l("Prescriber"),
    PartnerRole.OTHER: _l("Other"),
}
DECISION_LABELS = {Decision.GO: _l("Go"), Decision.NO_GO: _l("No-go")}
OFFER_STATUS_LABELS = {
    OfferStatus.NEW: _l("New"),
    OfferStatus.CONTACTED: _l("Contacted"),
    OfferStatus.MET: _l("Met"),
    OfferStatus.SELECTED: _l("Selected"),
    OfferStatus.NOT_RETAINED: _l("Not retained"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_ids(text: str) -> list[int]:
    parts = [whole_number(p.lstrip("#"), MAX_ID) for p in re.split(r"[\s,;]+", text or "") if p]
    if not parts or None in parts:
        raise ValidationError(_l("Give contribution numbers separated by commas, e.g. 12, 15."))
    return parts


class SubmissionIdsMixin:
    def validate_submission_ids(self, field):
        field.ids = parse_ids(field.data)


class ConvertForm(SubmissionIdsMixin, FlaskForm):
    submission_ids = StringField(_l("Contribution numbers"), validators=[DataRequired()],
                                 description=_l("The numbers of the published needs and ideas "
                                                "this lead answers, separated by commas."))
    title = StringField(_l("Title of the lead"), validators=[DataRequired(),
                                                              length(LEAD_TITLE_LENGTH)])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), length(SUMMARY_LENGTH)])
    territory = IdSelectField(_l("Territory"), validators=[DataRequired(
        message=_l("Choose a territory from the list."))])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired(
        message=_l("Choose a theme from the list."))])


class AttachForm(SubmissionIdsMixin, FlaskForm):
    submission_ids = StringField(_l("Contribution numbers to attach"),
                                 validators=[DataRequired()])


class LeadForm(FlaskForm):
    title = StringField(_l("Title of the lead"), validators=fiche("title"))
    summary = TextAreaField(_l("Summary"), validators=fiche("summary"))
    origin = SelectField(_l("Origin"), choices=choices(
        (k.value, v) for k, v in ORIGIN_LABELS.items()))
    territory = IdSelectField(_l("Territory"), validators=[DataRequired(
        message=_l("Choose a territory from the list."))])
    theme = IdSelectField(_l("Theme"), validators=[DataRequired(
        message=_l("Choose a theme from the list."))])
    need = TextAreaField(_l("The need, its evidence"), validators=fiche("need"))
    target_public = StringField(_l("For whom"), validators=fiche("target_public"))
    existing_offers = TextAreaField(_l("What already exists nearby, and why it is not enough"),
                                    validators=fiche("existing_offers"))
    economic_model = TextAreaField(_l("Economic model hypotheses"),
                                   description=_l("Scenarios, resources, revenue mix, "
                                                  "investment, jobs expected."),
                                   validators=fiche("economic_model"))
    carrier_profile = TextAreaField(_l("Carrier sought"),
                                    description=_l("Individual, collective or existing "
                                                   "structure; skills; intended legal form."),
                                    validators=fiche("carrier_profile"))
    budget = TextAreaField(_l("Budget and funding leads"),
                           validators=fiche("budget"))
    notes = TextAreaField(_l("Internal notes"), description=_l("Never public."),
                          validators=fiche("notes"))
    owner = IdSelectField(_l("Person in charge"), validators=[Optional()])
    members = MultiCheckboxField(_l("Team members"), coerce=int)
    is_public = BooleanField(_l("Show this lead on the public “Projects” pages"))
    public_sections = MultiCheckboxField(_l("Sections shown publicly"), choices=choices(
        (s, SECTION_LABELS[s]) for s in PUBLIC_SECTIONS), description=_l(
            "The title, summary, stage, territory, theme and source contributions are public "
            "when the lead is. Internal notes and the team never are."))


class PartnerForm(FlaskForm):
    name = StringField(_l("Organisation"), validators=[DataRequired(), length(NAME_LENGTH)])
    kind = SelectField(_l("Kind"), choices=choices(
        (k.value, v) for k, v in PARTNER_KIND_LABELS.items()))
    role = SelectField(_l("Role"), choices=choices(
        (k.value, v) for k, v in PARTNER_ROLE_LABELS.items()))
    commitment = StringField(_l("Commitment"),
                             validators=[Optional(), length(COMMITMENT_LENGTH)])


class MoveForm(FlaskForm):
    to_stage = SelectField(_l("Move to"), validators=[DataRequired()])
    note = TextAreaField(_l("Decision note"), validators=[DataRequired(
        message=_l("Write the decision note: it is the project's memory.")), length(NOTE_LENGTH)])
    reason = TextAreaField(_l("Reason (required to abandon)"),
                           validators=[Optional(), length(TEXT_LENGTH)])
    committee_name = StringField(_l("Committee"),
                                 validators=[Optional(), length(COMMITTEE_NAME_LENGTH)],
                                 description=_l("Required past the opportunity and "
                                                "feasibility studies."))
    decision_date = DateField(_l("Date of the decision"), validators=[Optional()])
    decision = SelectField(_l("Committee decision"), choices=choices(
        [("", _l("No committee decision"))] + [(k.value, v) for k, v in DECISION_LABELS.items()]),
        validators=[Optional()])
    document_url = StringField(_l("Document link (study, minutes)"),
                               validators=[Optional(), length(URL_LENGTH)])

    def set_targets(self, targets):
        self.to_stage.choices = choices((s, STAGE_LABELS[s]) for s in targets)


class CreationForm(FlaskForm):
    name = StringField(_l("Name of the enterprise"),
                       validators=[DataRequired(), length(NAME_LENGTH)])
    legal_form = StringField(_l("Legal form"),
                             validators=[DataRequired(), length(LEGAL_FORM_LENGTH)],
                             description=_l("For example SCIC, SCOP, association."))
    created_on = DateField(_l("Date of creation"), validators=[DataRequired(
        message=_l("Give the date of creation."))])
    note = TextAreaField(_l("Decision note"), validators=[DataRequired(), length(NOTE_LENGTH)])


class WorkshopEventForm(FlaskForm):
    """When and where: the workshop as an event."""

    held_on = DateField(_l("Date"), validators=[DataRequired(
        message=_l("Give the date of the workshop."))])
    starts_at = TimeField(_l("Starting time (optional)"), validators=[Optional()],
                          description=_l("Paris time, for example 18:30."))
    place = StringField(_l("Place"), validators=[DataRequired(), length(NAME_LENGTH)])


class WorkshopForm(WorkshopEventForm):
    participant_count = IntegerField(_l("Number of participants"),
                                     validators=[Optional(), NumberRange(*PARTICIPANTS_RANGE)])
    organisations = TextAreaField(_l("Partner organisations present"),
                                  validators=[Optional(), length(TEXT_LENGTH)])
    outcome = TextAreaField(_l("What came out"), validators=[Optional(), length(LONG_TEXT_LENGTH)])


ATTENDANCE_LABELS = {Attendance.COMING: _l("I am coming"),
                     Attendance.NOT_COMING: _l("I am not coming")}
#: How the team reads the answers.
ATTENDANCE_TEAM_LABELS = {Attendance.COMING: _l("Coming"),
                          Attendance.NOT_COMING: _l("Not coming"), None: _l("No answer yet")}


class AttendanceForm(FlaskForm):
    answer = RadioField(_l("Are you coming?"), choices=choices(ATTENDANCE_LABELS.items()),
                        validators=[DataRequired(message=_l("Say whether you are coming."))])


class WorkshopOutcomeForm(FlaskForm):
    participant_count = IntegerField(_l("Number of participants"),
                                     validators=[Optional(), NumberRange(*PARTICIPANTS_RANGE)])
    organisations = TextAreaField(_l("Partner organisations present"),
                                  validators=[Optional(), length(TEXT_LENGTH)])
    outcome = TextAreaField(_l("What came out"), validators=[Optional(), length(LONG_TEXT_LENGTH)])


class OfferStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(
        (k.value, v) for k, v in OFFER_STATUS_LABELS.items()))


class ContactForm(FlaskForm):
    text = TextAreaField(_l("Message to the resident"),
                         validators=[DataRequired(), length(CONTACT_LENGTH)])


class MeetingForm(FlaskForm):
    name = StringField(_l("Committee"), validators=[DataRequired(), length(NAME_LENGTH)])
    held_on = DateField(_l("Date of the meeting"), validators=[DataRequired(
        message=_l("Give the date of the meeting."))])


class AgendaForm(FlaskForm):
    meeting = IdSelectField(_l("Committee meeting"), validators=[DataRequired(
        message=_l("Choose a value from the list."))])
    target_stage = SelectField(_l("Move put to the committee"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=choices(
        (k.value, v) for k, v in DECISION_LABELS.items()))
    note = TextAreaField(_l("Decision note"), validators=[DataRequired(), length(NOTE_LENGTH)])
    document_url = StringField(_l("Minutes (link)"), validators=[Optional(), length(URL_LENGTH)])


class BoardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])
    owner = IdSelectField(_l("Person in charge"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()], choices=choices([
        ("updated", _l("Last change")), ("title", _l("Title")), ("stage", _l("Stage")),
        ("territory", _l("Territory"))]))


class SummaryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    territory = IdSelectField(_l("Territory"), validators=[Optional()])
    theme = IdSelectField(_l("Theme"), validators=[Optional()])


class DeleteLeadForm(FlaskForm):
    reason = TextAreaField(_l("Why delete this lead?"),
                           validators=[DataRequired(), length(REASON_LENGTH)],
                           description=_l("The journal keeps this reason with the lead's fiche."))
