"""The back-office of project leads: board, fiche, moves, offers, workshops, committees."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db
from ..forms import (
    ActionForm,
    AssignForm,
    choices,
    page_number,
    show_errors,
    territory_choices,
    theme_choices,
)
from ..forms import team_choices as _team_choices
from ..models import CommitteeMeeting, Lead, LeadPartner, Offer, Workshop, utcnow
from ..services.accounts import assignment
from ..services.core.errors import InvalidInput, NotAllowed
from ..services.leads import committee as committee_service
from ..services.leads import listing as lead_listing
from ..services.leads import offers as offer_service
from ..services.leads import pipeline as lead_service
from ..services.leads import timing
from ..services.leads import workshops as workshop_service
from ..services.leads.rules import FICHE_FIELDS, can_become_lead
from ..services.leads.stages import STAGE_LABELS, allowed_targets
from .forms import (
    ATTENDANCE_TEAM_LABELS,
    AgendaForm,
    AttachForm,
    BoardFilterForm,
    ContactForm,
    ConvertForm,
    CreationForm,
    LeadForm,
    MoveForm,
    OfferStatusForm,
    PartnerForm,
    WorkshopEventForm,
    WorkshopForm,
    WorkshopOutcomeForm,
)

bp = Blueprint("leads", __name__, url_prefix="/pistes")
#: Leads per page of "My leads".
MINE_PAGE_SIZE = 50
bp.before_request(policies.area_guard(policies.can_run_pipeline))


def _get_lead(lead_id: int) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        abort(404)
    return lead


def refuse(error: NotAllowed):
    """A use case said no to this person: the 403 page, with its reason."""
    abort(403, error.message)


def _meeting_choices(blank: str):
    return choices([("", blank)] + [(str(m.id), f"{m.name} ({m.held_on.isoformat()})")
                                    for m in committee_service.meetings()])


def move_form_for(lead: Lead, form: MoveForm | None = None) -> MoveForm:
    form = form or MoveForm(formdata=None, prefix=f"lead{lead.id}")
    form.set_targets(allowed_targets(lead))
    return form


# Board, list, export --------------------------------------------------------------------------

def _filter_form() -> BoardFilterForm:
    form = BoardFilterForm(request.args)
    form.territory.choices = territory_choices(blank=_("All territories"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    form.owner.choices = _team_choices(blank=_("Everyone"))
    return form


def _filters(form: BoardFilterForm, sort: str = "updated") -> lead_listing.LeadFilters:
    return lead_listing.LeadFilters(territory_id=form.territory.data, theme_id=form.theme.data,
                                    person_id=form.owner.data, sort=sort)


@bp.route("/")
def board():
    form = _filter_form()
    if not form.validate():
        return render_template("leads/board.html", form=form, columns=[], move_forms={},
                               times={}), 400
    leads = lead_listing.search(_filters(form))
    columns = lead_listing.by_stage(leads)
    return render_template("leads/board.html", form=form, columns=columns,
                           move_forms={lead.id: move_form_for(lead) for lead in leads},
                           times=timing.stage_times(leads))


@bp.route("/liste")
def list_view():
    form = _filter_form()
    if not form.validate():
        return render_template("leads/list.html", form=form, leads=[], times={}), 400
    leads = lead_listing.search(_filters(form, form.sort.data or "updated"))
    return render_template("leads/list.html", form=form, leads=leads,
                           times=timing.stage_times(leads))


@bp.route("/export.csv")
def export_csv():
    form = _filter_form()
    if not form.validate():
        abort(400, _("The filters are not valid."))
    return Response(lead_listing.csv_text(lead_listing.search(_filters(form, "title"))),
                    mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=pistes.csv"})


# Converting and the fiche ---------------------------------------------------------------------

@bp.route("/nouvelle", methods=["GET", "POST"])
def convert():
    form = ConvertForm()
    form.territory.choices = territory_choices(blank=_("Choose a territory"))
    form.theme.choices = theme_choices(blank=_("Choose a theme"))
    if request.method == "GET" and request.args.get("contributions"):
        form.submission_ids.data = request.args["contributions"][:200]
    if form.validate_on_submit():
        try:
            lead = lead_service.convert(
                current_user, form.submission_ids.ids, title=form.title.data,
                summary=form.summary.data, territory_id=form.territory.data,
                theme_id=form.theme.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The project lead is created; its contributions are now “in project”."),
                  "success")
            return redirect(url_for(".detail", lead_id=lead.id))
    return render_template("leads/convert.html", form=form), 422 if form.errors else 200


def _assign_form(lead: Lead, form: AssignForm | None = None) -> AssignForm:
    form = form or AssignForm(formdata=None, assignee=lead.owner_id)
    form.assignee.choices = _team_choices(blank=_("Nobody yet"))
    return form


def render_detail(lead: Lead, status: int = 200, **forms):
    offers = offer_service.offers_for_lead(lead)
    workshops = workshop_service.workshops_of(lead)
    agenda = committee_service.agenda_of(lead)
    agenda_form = forms.pop("agenda_form", None) or AgendaForm(formdata=None)
    agenda_form.meeting.choices = _meeting_choices(_("Choose a meeting"))
    agenda_form.target_stage.choices = choices((s, STAGE_LABELS[s]) for s in allowed_targets(lead))
    context = dict(
        lead=lead, offers=offers, workshops=workshops, agenda=agenda, agenda_form=agenda_form,
        move_form=move_form_for(lead, forms.pop("move_form", None)),
        attach_form=forms.pop("attach_form", None) or AttachForm(formdata=None),
        partner_form=forms.pop("partner_form", None) or PartnerForm(formdata=None),
        creation_form=forms.pop("creation_form", None) or CreationForm(formdata=None,
                                                                            prefix="enterprise"),
        workshop_form=forms.pop("workshop_form", None) or WorkshopForm(formdata=None),
        outcome_forms={w.id: WorkshopOutcomeForm(formdata=None, obj=w, prefix=f"workshop{w.id}")
                       for w in workshops},
        event_forms={w.id: WorkshopEventForm(formdata=None, obj=w, prefix=f"event{w.id}")
                     for w in workshops},
        attendance=workshop_service.attendance(workshops),
        attendance_labels=ATTENDANCE_TEAM_LABELS,
        contact_forms={o.id: ContactForm(formdata=None, prefix=f"offer{o.id}") for o in offers},
        status_forms={o.id: OfferStatusForm(formdata=None, prefix=f"status{o.id}", status=o.status)
                      for o in offers},
        action_form=ActionForm(),
        assign_form=_assign_form(lead, forms.pop("assign_form", None)),
        stage_periods=timing.stage_periods(lead), stage_targets=timing.targets(),
        now=utcnow(),
    )
    if "event_form" in forms:
        workshop_id, form = forms.pop("event_form")
        context["event_forms"][workshop_id] = form
    if "outcome_form" in forms:
        workshop_id, form = forms.pop("outcome_form")
        context["outcome_forms"][workshop_id] = form
    if "contact_form" in forms:
        offer_id, form = forms.pop("contact_form")
        context["contact_forms"][offer_id] = form
    if "status_form" in forms:
        offer_id, form = forms.pop("status_form")
        context["status_forms"][offer_id] = form
    return render_template("leads/detail.html", **context), status


@bp.route("/<int:lead_id>")
def detail(lead_id: int):
    return render_detail(_get_lead(lead_id))


@bp.route("/mes-pistes")
def mine():
    page = page_number(request.args.get("page"))
    if page is None:
        abort(400)
    return render_template("leads/mine.html",
                           leads=assignment.my_leads(current_user, page, MINE_PAGE_SIZE))


@bp.route("/<int:lead_id>/responsable", methods=["POST"])
def assign(lead_id: int):
    lead = _get_lead(lead_id)

    form = AssignForm()
    form.assignee.choices = _team_choices(blank=_("Nobody yet"))
    return _post(lead, form, "assign_form",
                 lambda f: assignment.assign_lead(lead, current_user, f.assignee.data),
                 _("The person in charge is saved."), "in-charge")


@bp.route("/<int:lead_id>/modifier", methods=["GET", "POST"])
def edit(lead_id: int):
    lead = _get_lead(lead_id)
    form = LeadForm(obj=lead)
    if request.method == "GET":
        form.territory.data, form.theme.data, form.owner.data = (
            lead.territory_id, lead.theme_id, lead.owner_id)
        form.members.data = [m.user_id for m in lead.members]
        form.public_sections.data = list(lead.public_sections or [])
    form.territory.choices = territory_choices(blank=_("Choose a territory"))
    form.theme.choices = theme_choices(blank=_("Choose a theme"))
    form.owner.choices = _team_choices(blank=_("Nobody yet"))
    form.members.choices = _team_choices()
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in FICHE_FIELDS}
        try:
            lead_service.update_fiche(
                lead, current_user, territory_id=form.territory.data, theme_id=form.theme.data,
                owner_id=form.owner.data, member_ids=form.members.data or [],
                is_public=form.is_public.data, public_sections=form.public_sections.data or [],
                **fields)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The fiche is saved."), "success")
            return redirect(url_for(".detail", lead_id=lead.id))
    return render_template("leads/edit.html", form=form, lead=lead), 422 if form.errors else 200


def _board_url_kept() -> str:
    """The board with the filters a move form carried back (`board-<filter>` fields), so a move
    does not reset the view; the board validates them as it validates its own query."""
    kept = {name.removeprefix("board-"): value for name, value in request.form.items()
            if name.startswith("board-") and value}
    return url_for(".board", **kept)


def _post(lead: Lead, form, form_name: str, action, success: str, anchor: str = ""):
    """Validate `form`, run `action(form)`; on a rule broken, show the fiche again with errors."""
    if form.validate_on_submit():
        try:
            action(form)
        except NotAllowed as error:
            db.session.rollback()
            refuse(error)
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(success, "success")
            return redirect((request.form.get("next") == "board" and _board_url_kept())
                            or url_for(".detail", lead_id=lead.id, _anchor=anchor or None))
    lead = _get_lead(lead.id)
    return render_detail(lead, 422, **{form_name: form})


@bp.route("/<int:lead_id>/rattacher", methods=["POST"])
def attach(lead_id: int):
    lead = _get_lead(lead_id)
    return _post(lead, AttachForm(), "attach_form",
                 lambda f: lead_service.attach(lead, current_user, f.submission_ids.ids),
                 _("The contributions are attached to the lead."), "sources")


@bp.route("/<int:lead_id>/partenaires", methods=["POST"])
def add_partner(lead_id: int):
    lead = _get_lead(lead_id)
    return _post(lead, PartnerForm(), "partner_form",
                 lambda f: lead_service.add_partner(lead, current_user, name=f.name.data,
                                                    kind=f.kind.data, role=f.role.data,
                                                    commitment=f.commitment.data),
                 _("The partner is added."), "partners")


@bp.route("/<int:lead_id>/partenaires/<int:partner_id>/supprimer", methods=["POST"])
def remove_partner(lead_id: int, partner_id: int):
    partner = db.session.get(LeadPartner, partner_id)
    if partner is None or partner.lead_id != lead_id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            lead_service.remove_partner(partner, current_user)
        except NotAllowed as error:
            refuse(error)
        flash(_("The partner is removed."), "success")
    return redirect(url_for(".detail", lead_id=lead_id, _anchor="partners"))


@bp.route("/<int:lead_id>/etape", methods=["POST"])
def move(lead_id: int):
    lead = _get_lead(lead_id)
    form = move_form_for(lead, MoveForm(prefix=f"lead{lead.id}"))
    return _post(lead, form, "move_form",
                 lambda f: lead_service.move(
                     lead, current_user, f.to_stage.data, note=f.note.data, reason=f.reason.data,
                     committee_name=f.committee_name.data, decision_date=f.decision_date.data,
                     decision=f.decision.data or None, document_url=f.document_url.data),
                 _("The lead has moved; the history keeps the note."), "history")


@bp.route("/<int:lead_id>/entreprise", methods=["POST"])
def record_creation(lead_id: int):
    lead = _get_lead(lead_id)
    return _post(lead, CreationForm(prefix="enterprise"), "creation_form",
                 lambda f: lead_service.record_creation(
                     lead, current_user, name=f.name.data, legal_form=f.legal_form.data,
                     created_on=f.created_on.data, note=f.note.data),
                 _("The enterprise is recorded: the lead is created."), "history")


# Workshops --------------------------------------------------------------------------------------

@bp.route("/<int:lead_id>/ateliers", methods=["POST"])
def add_workshop(lead_id: int):
    lead = _get_lead(lead_id)
    return _post(lead, WorkshopForm(), "workshop_form",
                 lambda f: workshop_service.add_workshop(
                     lead, current_user, held_on=f.held_on.data, starts_at=f.starts_at.data,
                     place=f.place.data,
                     participant_count=f.participant_count.data,
                     organisations=f.organisations.data, outcome=f.outcome.data),
                 _("The workshop is recorded."), "workshops")


@bp.route("/ateliers/<int:workshop_id>/inviter", methods=["POST"])
def invite(workshop_id: int):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            count = workshop_service.invite_residents(workshop, current_user)
        except NotAllowed as error:
            refuse(error)
        flash(_("%(num)s residents are invited.", num=format_number(count)), "success")
    return redirect(url_for(".detail", lead_id=workshop.lead_id, _anchor="workshops"))


@bp.route("/ateliers/<int:workshop_id>/evenement", methods=["POST"])
def workshop_event(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    form = WorkshopEventForm(prefix=f"event{workshop.id}")
    if form.validate_on_submit():
        try:
            workshop_service.update_event(workshop, current_user, held_on=form.held_on.data,
                                          starts_at=form.starts_at.data, place=form.place.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The workshop's date, time and place are saved."), "success")
            return redirect(url_for(".detail", lead_id=workshop.lead_id, _anchor="workshops"))
    return render_detail(_get_lead(workshop.lead_id), 422, event_form=(workshop.id, form))


@bp.route("/ateliers/<int:workshop_id>/compte-rendu", methods=["POST"])
def workshop_outcome(workshop_id: int):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    form = WorkshopOutcomeForm(prefix=f"workshop{workshop.id}")
    if form.validate_on_submit():
        try:
            workshop_service.update_outcome(
                workshop, current_user, participant_count=form.participant_count.data,
                organisations=form.organisations.data, outcome=form.outcome.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The workshop's outcome is saved."), "success")
            return redirect(url_for(".detail", lead_id=workshop.lead_id, _anchor="workshops"))
    return render_detail(_get_lead(workshop.lead_id), 422, outcome_form=(workshop.id, form))


# Offers -----------------------------------------------------------------------------------------

def _get_offer(lead: Lead, offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None or not offer_service.belongs_to(offer, lead):
        abort(404)
    return offer


@bp.route("/<int:lead_id>/offres/<int:offer_id>/statut", methods=["POST"])
def qualify_offer(lead_id: int, offer_id: int):
    lead = _get_lead(lead_id)
    offer = _get_offer(lead, offer_id)
    form = OfferStatusForm(prefix=f"status{offer.id}")
    if form.validate_on_submit():
        try:
            offer_service.qualify(offer, lead, current_user, form.status.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The offer is updated."), "success")
            return redirect(url_for(".detail", lead_id=lead.id, _anchor="offers"))
    return render_detail(lead, 422, status_form=(offer.id, form))


@bp.route("/<int:lead_id>/offres/<int:offer_id>/contact", methods=["POST"])
def contact_offer(lead_id: int, offer_id: int):
    lead = _get_lead(lead_id)
    offer = _get_offer(lead, offer_id)
    form = ContactForm(prefix=f"offer{offer.id}")
    if form.validate_on_submit():
        try:
            offer_service.contact(offer, lead, current_user, form.text.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("Your message is sent; the resident's address stays private."), "success")
            return redirect(url_for(".detail", lead_id=lead.id, _anchor="offers"))
    return render_detail(_get_lead(lead_id), 422, contact_form=(offer.id, form))


# Committees -------------------------------------------------------------------------------------

@bp.route("/<int:lead_id>/ordre-du-jour", methods=["POST"])
def put_on_agenda(lead_id: int):
    lead = _get_lead(lead_id)
    form = AgendaForm()
    form.meeting.choices = _meeting_choices(_("Choose a meeting"))
    form.target_stage.choices = choices((s, STAGE_LABELS[s]) for s in allowed_targets(lead))

    def action(f):
        meeting = db.session.get(CommitteeMeeting, f.meeting.data)
        committee_service.put_on_agenda(meeting, lead, current_user, f.target_stage.data)

    return _post(lead, form, "agenda_form", action,
                 _("The lead is on the committee's agenda."), "committee")


@bp.app_template_global()
def stage_label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


bp.add_app_template_global(can_become_lead, "can_become_lead")


@bp.record_once
def _register_labels(state) -> None:
    """Labels the lead templates and their imported macros read."""
    from ..projects.forms import OFFER_KIND_LABELS
    from .forms import (
        DECISION_LABELS,
        OFFER_STATUS_LABELS,
        PARTNER_KIND_LABELS,
        PARTNER_ROLE_LABELS,
    )

    state.app.jinja_env.globals.update(
        pace_labels=timing.PACE_LABELS, workshop_when=workshop_service.when_of,
        partner_kind_labels=PARTNER_KIND_LABELS, partner_role_labels=PARTNER_ROLE_LABELS,
        decision_labels=DECISION_LABELS, offer_status_labels=OFFER_STATUS_LABELS,
        offer_kind_labels=OFFER_KIND_LABELS)
