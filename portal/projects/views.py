"""Public project pages: the way back from what residents said to what became of it."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    before_render_template,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db, limiter
from ..forms import show_errors, territory_choices, theme_choices
from ..leads.forms import ATTENDANCE_LABELS, AttendanceForm
from ..models import MAIN_STAGES, Lead, LeadStage, Offer, Submission, Workshop
from ..policies import verified_required
from ..services.core.errors import InvalidInput, NotAllowed
from ..services.leads import listing
from ..services.leads import offers as offer_service
from ..services.leads import workshops as workshop_service
from ..services.leads.rules import furthest_stage_index, lead_takes_offers, takes_offers
from ..services.leads.stages import STAGE_LABELS, STAGE_PUBLIC_TEXT
from ..services.submissions import opendata
from .forms import ConsentForm, OfferForm, ProjectFilterForm

bp = Blueprint("projects", __name__, url_prefix="/projets")


def _get_public(lead_id: int) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None or not lead.is_public:
        abort(404)
    return lead


def submission_box(submission: Submission) -> dict:
    """What the box under a submission shows: the public project it became, and the offer form
    with the visitor's past offers when the submission takes offers."""
    return {
        "project": listing.public_lead_for(submission),
        "takes_offers": takes_offers(submission),
        "form": g.pop("offer_form", None) or _blank_offer_form(),
        "mine": offer_service.offers_of(current_user, submission=submission),
    }


def _blank_offer_form() -> OfferForm | None:
    """The offer form, for those who may offer: a visitor gets none, since its token would give
    them a session cookie and a page no cache may keep."""
    if policies.can_offer_help(current_user):
        return OfferForm(formdata=None, prefix="offer")
    return None


def _add_submission_box(sender, template, context, **extra) -> None:
    """The submission page includes the project box: give it its data, so that the template
    reads and never queries."""
    if template.name == "submissions/detail.html" and "submission" in context:
        context["submission_box"] = submission_box(context["submission"])


@bp.record_once
def _connect(state) -> None:
    before_render_template.connect(_add_submission_box, state.app)


@bp.route("/")
def index():
    form = ProjectFilterForm(request.args)
    form.territory.choices = territory_choices(blank=_("The whole metropolitan area"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    if not form.validate():
        return render_template("projects/index.html", form=form, columns=[], counts={}), 400
    leads = listing.public_leads(form.territory.data, form.theme.data, words=form.q.data or "")
    columns = listing.by_stage(leads)
    counts = {stage: len(items) for stage, _label, items in columns}
    feed_url = url_for("opendata.projects_feed", **opendata.feed_query(
        form.territory.data, form.theme.data))
    return render_template("projects/index.html", form=form, columns=columns, counts=counts,
                           total=len(leads), feed_url=feed_url)


def render_project(lead: Lead, offer_form: OfferForm | None = None, status: int = 200):
    decisions = listing.history_of(lead)
    workshops = workshop_service.workshops_of(lead) if lead.shows("workshops") else []
    current_index = MAIN_STAGES.index(lead.stage) if lead.stage in MAIN_STAGES else None
    return render_template(
        "projects/detail.html", lead=lead, decisions=decisions, workshops=workshops,
        supports=listing.supporter_count(lead), main_stages=MAIN_STAGES,
        stage_labels=STAGE_LABELS, stage_texts=STAGE_PUBLIC_TEXT, current_index=current_index,
        reached=furthest_stage_index(lead, [c.to_stage for c in decisions]),
        offer_form=offer_form or _blank_offer_form(),
        my_offers=offer_service.offers_of(current_user, lead=lead),
        created=LeadStage.CREATED, takes_offers=lead_takes_offers(lead),
        abandon=next((c for c in reversed(decisions) if c.to_stage == LeadStage.ABANDONED), None)
        if lead.stage == LeadStage.ABANDONED else None,
    ), status


@bp.route("/<int:lead_id>")
def detail(lead_id: int):
    return render_project(_get_public(lead_id))


def _record_offer(form: OfferForm, record, done_url: str):
    """Run `record(kind, message)` from a valid offer form; a redirect when it is recorded, None
    when the form must be shown again with its errors (a refusal of the rules is a 403)."""
    if not form.validate_on_submit():
        return None
    try:
        record(kind=form.kind.data, message=form.message.data)
    except NotAllowed as error:
        abort(403, error.message)
    except InvalidInput as error:
        show_errors(form, error)
        return None
    flash(_("Thank you! The Fabrique will get back to you through the portal."), "success")
    return redirect(done_url)


@bp.route("/<int:lead_id>/proposer", methods=["POST"])
@verified_required
@limiter.limit("20/hour")
def offer(lead_id: int):
    lead = _get_public(lead_id)
    form = OfferForm(prefix="offer")
    done = _record_offer(form, lambda **offer: offer_service.offer_on_lead(
        current_user, lead, **offer), url_for(".detail", lead_id=lead.id, _anchor="help"))
    return done or render_project(lead, form, 422)


@bp.route("/contribution/<int:submission_id>/proposer", methods=["POST"])
@verified_required
@limiter.limit("20/hour")
def offer_on_submission(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None or not policies.can_view_submission(current_user, submission):
        abort(404)
    form = OfferForm(prefix="offer")
    done = _record_offer(form, lambda **offer: offer_service.offer_on_submission(
        current_user, submission, **offer),
        url_for("submissions.detail", submission_id=submission.id, _anchor="offer"))
    if done:
        return done
    # The submission's own page, with the offer form as it was typed and its errors.
    from ..submissions.views import _render_detail

    g.offer_form = form
    return _render_detail(submission), 422


@bp.route("/offres/<int:offer_id>/consentement", methods=["POST"])
@verified_required
def consent(offer_id: int):
    offer_ = db.session.get(Offer, offer_id)
    if offer_ is None or offer_.user_id != current_user.id:
        abort(404)
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400, _("Choose one of the offered answers."))
    try:
        offer_service.set_consent(offer_, current_user, form.consent.data == "yes")
    except NotAllowed as error:
        abort(403, error.message)
    flash(_("Your choice is saved."), "success")
    if offer_.submission_id:
        return redirect(url_for("submissions.detail", submission_id=offer_.submission_id,
                                _anchor="offer"))
    return redirect(url_for(".detail", lead_id=offer_.lead_id, _anchor="help"))


# Workshops: the invited residents' page, their answer and the calendar file ----------------------

def _readable_workshop(workshop_id: int):
    """The workshop and the current person's invitation; others get a 404 (a workshop of a
    private lead is not announced to those who are not invited)."""
    workshop = db.get_or_404(Workshop, workshop_id)
    invitation = workshop_service.invitation_of(workshop, current_user)
    if not policies.can_read_workshop(current_user, invitation):
        abort(404)
    return workshop, invitation


@bp.route("/ateliers/<int:workshop_id>")
@verified_required
def workshop(workshop_id: int):
    """Reading the invitation writes nothing: the answer is a POST."""
    workshop, invitation = _readable_workshop(workshop_id)
    form = AttendanceForm(formdata=None, answer=invitation.answer if invitation else None)
    return render_template("projects/workshop.html", workshop=workshop, invitation=invitation,
                           form=form, attendance_answer_labels=ATTENDANCE_LABELS)


@bp.route("/ateliers/<int:workshop_id>/reponse", methods=["POST"])
@verified_required
def answer_workshop(workshop_id: int):
    workshop, invitation = _readable_workshop(workshop_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        try:
            workshop_service.answer(workshop, current_user, form.answer.data)
        except NotAllowed as error:
            abort(403, error.message)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("Thank you: your answer is saved. You can change it here."), "success")
            return redirect(url_for(".workshop", workshop_id=workshop.id))
    return render_template("projects/workshop.html", workshop=workshop, invitation=invitation,
                           form=form, attendance_answer_labels=ATTENDANCE_LABELS), 422


@bp.route("/ateliers/<int:workshop_id>/atelier.ics")
@verified_required
def workshop_calendar(workshop_id: int):
    workshop, _invitation = _readable_workshop(workshop_id)
    return Response(workshop_service.calendar_file(workshop), mimetype="text/calendar",
                    headers={"Content-Disposition": "attachment; filename=atelier.ics"})
