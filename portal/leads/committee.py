"""Committee meetings and the steering summary: shared by the team and the committee."""
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
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db
from ..forms import show_errors, territory_choices, theme_choices
from ..models import AgendaItem, CommitteeMeeting, Territory
from ..services.core import tables
from ..services.core.errors import InvalidInput, NotAllowed
from ..services.leads import committee as committee_service
from ..services.leads import summary as summary_service
from ..services.leads.stages import STAGE_LABELS
from ..services.submissions.still_a_need import ANSWER_LABELS
from .forms import DecisionForm, MeetingForm, SummaryFilterForm
from .views import refuse

bp = Blueprint("committee", __name__, url_prefix="/pistes")
bp.before_request(policies.area_guard(policies.can_sit_on_committee))


@bp.route("/comite", methods=["GET", "POST"])
def meetings():
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = committee_service.create_meeting(current_user, name=form.name.data,
                                                      held_on=form.held_on.data)
        except NotAllowed as error:
            refuse(error)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            flash(_("The meeting is created."), "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    rows = committee_service.meetings()
    return render_template("leads/meetings.html", meetings=rows, form=form), \
        422 if form.errors else 200


@bp.route("/comite/<int:meeting_id>")
def meeting(meeting_id: int, forms: dict | None = None, status: int = 200):
    meeting_ = db.session.get(CommitteeMeeting, meeting_id)
    if meeting_ is None:
        abort(404)
    decision_forms = {item.id: DecisionForm(formdata=None, prefix=f"item{item.id}")
                      for item in meeting_.items}
    decision_forms.update(forms or {})
    return render_template("leads/meeting.html", meeting=meeting_, decision_forms=decision_forms,
                           stage_labels=STAGE_LABELS), status


@bp.route("/comite/points/<int:item_id>/decision", methods=["POST"])
def decide(item_id: int):
    item = db.session.get(AgendaItem, item_id)
    if item is None:
        abort(404)
    form = DecisionForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        try:
            committee_service.decide(item, current_user, decision=form.decision.data,
                                    note=form.note.data, document_url=form.document_url.data)
        except NotAllowed as error:
            db.session.rollback()
            refuse(error)
        except InvalidInput as error:
            db.session.rollback()
            item = db.session.get(AgendaItem, item_id)
            show_errors(form, error)
        else:
            flash(_("The committee's decision is recorded."), "success")
            return redirect(url_for(".meeting", meeting_id=item.meeting_id))
    return meeting(item.meeting_id, forms={item.id: form}, status=422)


# Steering summary -------------------------------------------------------------------------------

def _summary_scope():
    form = SummaryFilterForm(request.args)
    form.territory.choices = territory_choices(blank=_("The whole metropolitan area"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    if not form.validate():
        return form, None
    territory = db.session.get(Territory, form.territory.data) if form.territory.data else None
    return form, summary_service.build(territory, form.theme.data)


@bp.route("/synthese")
def summary():
    form, data = _summary_scope()
    if data is None:
        return render_template("leads/summary.html", form=form, data=None), 400
    return render_template("leads/summary.html", form=form, data=data,
                           funnel_labels=summary_service.FUNNEL_LABELS, stage_labels=STAGE_LABELS,
                           still_a_need_answers=ANSWER_LABELS,
                           max_funnel=max([v for _k, v in data.funnel] + [1]),
                           max_stage=max([*list(data.per_stage.values()), 1]))


@bp.route("/synthese.csv")
def summary_csv():
    _form, data = _summary_scope()
    if data is None:
        abort(400, _("The filters are not valid."))
    return Response(tables.csv_text(["section", "key", "label", "value"],
                                    summary_service.csv_rows(data)), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=synthese.csv"})
