"""Correcting a mistake on a lead: detach a contribution, delete a lead made by mistake."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db
from ..forms import ActionForm, refuse, show_errors
from ..models import Lead, Submission
from ..services.core.errors import DomainError, InvalidInput
from ..services.leads import corrections
from .forms import DeleteLeadForm

bp = Blueprint("lead_corrections", __name__, url_prefix="/pistes")
bp.before_request(policies.area_guard(policies.can_run_pipeline))


@bp.route("/<int:lead_id>/contributions/<int:submission_id>/detacher", methods=["POST"])
def detach(lead_id: int, submission_id: int):
    lead = db.get_or_404(Lead, lead_id)
    submission = db.get_or_404(Submission, submission_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        corrections.detach(lead, current_user, submission)
    except DomainError as error:
        refuse(error)
    flash(_("“%(title)s” is no longer part of this lead; its author and followers are told.",
            title=submission.title), "success")
    return redirect(url_for("leads.detail", lead_id=lead.id, _anchor="sources"))


@bp.route("/<int:lead_id>/supprimer", methods=["GET", "POST"])
def delete(lead_id: int):
    """A page that says what deleting does, with the reason to give; then the deletion."""
    lead = db.get_or_404(Lead, lead_id)
    form = DeleteLeadForm()
    if form.validate_on_submit():
        try:
            corrections.delete(lead, current_user, form.reason.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The lead is deleted; its contributions are back and the journal keeps the "
                    "reason."), "success")
            return redirect(url_for("leads.board"))
    return render_template("leads/delete.html", form=form, lead=lead,
                           blocked=corrections.holds_residents_work(lead)), (
        422 if form.errors else 200)
