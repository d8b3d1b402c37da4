"""Public project pages: the way back from what residents said to what became of it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from .. import policies
from ..extensions import db, limiter
from ..forms import territory_choices, theme_choices
from ..models import (
    ALL_STAGES,
    MAIN_STAGES,
    Lead,
    LeadStage,
    Offer,
    StageChange,
    Submission,
    Vote,
    Workshop,
)
from ..policies import verified_required
from ..services.core.errors import DomainError, InvalidInput
from ..services.core.sql import in_territory
from ..services.leads import offers as offer_service
from ..services.leads import pipeline as lead_service
from ..services.leads.stages import STAGE_LABELS, STAGE_PUBLIC_TEXT
from .forms import ConsentForm, OfferForm, ProjectFilterForm

bp = Blueprint("projects", __name__, url_prefix="/projets")


def _get_public(lead_id: int) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None or not lead.is_public:
        abort(404)
    return lead


@bp.app_template_global()
def public_lead_for(submission: Submission) -> Lead | None:
    """The public lead a submission became part of, if any."""
    lead = lead_service.lead_for(submission)
    return lead if lead is not None and lead.is_public else None


@bp.app_template_global()
def offer_box(submission: Submission) -> dict:
    """What the offer box under a submission needs: whether to show it, the forms, past offers."""
    return {
        "show": submission.is_open and submission.kind in ("need", "idea", "opportunity"),
        "form": OfferForm(formdata=None, prefix="offer"),
        "mine": offer_service.offers_of(current_user, submission=submission),
        "consent_form": ConsentForm(formdata=None),
    }


@bp.route("/")
def index():
    form = ProjectFilterForm(request.args)
    form.territory.choices = territory_choices(blank=_("Whole métropole"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    if not form.validate():
        return render_template("projects/index.html", form=form, columns=[], counts={}), 400
    query = select(Lead).where(Lead.is_public.is_(True))
    if form.territory.data:
        query = query.where(in_territory(Lead.territory_id, form.territory.data))
    if form.theme.data:
        query = query.where(Lead.theme_id == form.theme.data)
    leads = db.session.scalars(query.order_by(Lead.title)).all()
    columns = [(stage, STAGE_LABELS[stage], [lead for lead in leads if lead.stage == stage])
               for stage in ALL_STAGES]
    counts = {stage: len(items) for stage, _label, items in columns}
    return render_template("projects/index.html", form=form, columns=columns, counts=counts,
                           total=len(leads))


def render_project(lead: Lead, offer_form: OfferForm | None = None, status: int = 200):
    decisions = db.session.scalars(select(StageChange).where(StageChange.lead_id == lead.id)
                                   .order_by(StageChange.id)).all()
    workshops = (db.session.scalars(select(Workshop).where(Workshop.lead_id == lead.id)
                                    .order_by(Workshop.held_on)).all()
                 if lead.shows("workshops") else [])
    supports = db.session.scalar(select(func.count(func.distinct(Vote.user_id))).where(
        Vote.submission_id.in_([s.id for s in lead.submissions]))) if lead.links else 0
    current_index = MAIN_STAGES.index(lead.stage) if lead.stage in MAIN_STAGES else None
    reached = max([MAIN_STAGES.index(c.to_stage) for c in decisions if c.to_stage in MAIN_STAGES]
                  + [current_index or 0])
    return render_template(
        "projects/detail.html", lead=lead, decisions=decisions, workshops=workshops,
        supports=supports, main_stages=MAIN_STAGES, stage_labels=STAGE_LABELS,
        stage_texts=STAGE_PUBLIC_TEXT, current_index=current_index, reached=reached,
        offer_form=offer_form or OfferForm(formdata=None, prefix="offer"),
        my_offers=offer_service.offers_of(current_user, lead=lead),
        consent_form=ConsentForm(formdata=None),
        created=LeadStage.CREATED,
        abandon=next((c for c in reversed(decisions) if c.to_stage == LeadStage.ABANDONED), None)
        if lead.stage == LeadStage.ABANDONED else None,
    ), status


@bp.route("/<int:lead_id>")
def detail(lead_id: int):
    return render_project(_get_public(lead_id))


@bp.route("/<int:lead_id>/proposer", methods=["POST"])
@verified_required
@limiter.limit("20/hour")
def offer(lead_id: int):
    lead = _get_public(lead_id)
    form = OfferForm(prefix="offer")
    if form.validate_on_submit():
        try:
            offer_service.offer_on_lead(current_user, lead, kind=form.kind.data,
                                        message=form.message.data)
        except InvalidInput as error:
            getattr(form, error.field).errors.append(error.message)
        except DomainError as error:
            abort(error.status, error.message)
        else:
            flash(_("Thank you! The Fabrique will get back to you through the portal."),
                  "success")
            return redirect(url_for(".detail", lead_id=lead.id, _anchor="help"))
    return render_project(lead, form, 422)


@bp.route("/contribution/<int:submission_id>/proposer", methods=["POST"])
@verified_required
@limiter.limit("20/hour")
def offer_on_submission(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None or not policies.can_view_submission(current_user, submission):
        abort(404)
    form = OfferForm(prefix="offer")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("submissions.detail", submission_id=submission.id,
                                _anchor="offer"))
    try:
        offer_service.offer_on_submission(current_user, submission, kind=form.kind.data,
                                          message=form.message.data)
    except InvalidInput as error:
        flash(error.message, "error")
        return redirect(url_for("submissions.detail", submission_id=submission.id,
                                _anchor="offer"))
    except DomainError as error:
        abort(error.status, error.message)
    flash(_("Thank you! The Fabrique will get back to you through the portal."), "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id, _anchor="offer"))


@bp.route("/offres/<int:offer_id>/consentement", methods=["POST"])
@verified_required
def consent(offer_id: int):
    offer_ = db.session.get(Offer, offer_id)
    if offer_ is None or offer_.user_id != current_user.id:
        abort(404)
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400, _("Choose one of the offered answers."))
    offer_service.set_consent(offer_, current_user, form.consent.data == "yes")
    flash(_("Your choice is saved."), "success")
    if offer_.submission_id:
        return redirect(url_for("submissions.detail", submission_id=offer_.submission_id,
                                _anchor="offer"))
    return redirect(url_for(".detail", lead_id=offer_.lead_id, _anchor="help"))



