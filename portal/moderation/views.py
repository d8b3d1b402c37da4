"""The moderators' back-office: dashboard, queue, review, flags, accounts, templates, journal."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policies
from ..extensions import db
from ..forms import (
    ActionForm,
    AssignForm,
    choices,
    page_number,
    refuse,
    show_errors,
    team_choices,
    territory_choices,
    theme_choices,
)
from ..labels import ACTION_LABELS, action_label
from ..models import (
    Comment,
    ReplyTemplate,
    Submission,
    User,
    utcnow,
)
from ..partners.forms import GATHERING_LABELS
from ..services.accounts import assignment
from ..services.core import audit
from ..services.core.errors import DomainError, InvalidInput
from ..services.leads import timing
from ..services.submissions import flags as flag_service
from ..services.submissions import merging, moderation, notes, still_a_need
from ..services.submissions import posting as submission_service
from .forms import (
    AnswerForm,
    AuditFilterForm,
    BlockForm,
    BulkForm,
    DetailsForm,
    MergeForm,
    ModeratorDeclineForm,
    NoteForm,
    QueueFilterForm,
    ReviewForm,
    RoleForm,
    TemplateForm,
    UnblockForm,
    UserSearchForm,
    answer_status_choices,
)

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
PAGE_SIZE = 50
bp.before_request(policies.area_guard(policies.can_moderate))


def _submission(submission_id: int) -> Submission:
    return db.get_or_404(Submission, submission_id)


#: Session key of the moderator's previous visit to the dashboard (ISO 8601, UTC).
LAST_VISIT = "moderation_last_visit"


@bp.route("/")
def dashboard():
    """Reading the dashboard writes nothing to the database: the previous visit is kept in the
    signed session cookie, then moved forward for the next one."""
    try:
        since = datetime.fromisoformat(session[LAST_VISIT]) if LAST_VISIT in session else None
    except (TypeError, ValueError):
        since = None
    stats = moderation.dashboard(current_user, since=since)
    session[LAST_VISIT] = utcnow().isoformat()
    return render_template("moderation/dashboard.html", stats=stats,
                           workload=assignment.workload(), overdue=timing.overdue_leads())


@bp.route("/ma-file")
def mine():
    page = page_number(request.args.get("page"))
    if page is None:
        abort(400)
    return render_template("moderation/mine.html",
                           items=assignment.my_queue(current_user, page, PAGE_SIZE))


@bp.route("/contributions/<int:submission_id>/responsable", methods=["POST"])
def assign(submission_id: int):
    return _decide(submission_id, AssignForm,
                   lambda s, f: assignment.assign_submission(s, current_user, f.assignee.data),
                   _("The person in charge is saved."), "assign_form")


@bp.route("/contributions/<int:submission_id>/notes", methods=["POST"])
def add_note(submission_id: int):
    return _decide(submission_id, NoteForm,
                   lambda s, f: notes.add_note(s, current_user, f.note.data),
                   _("The internal note is kept."), "note_form")


def _page() -> int:
    """The page asked for in the query string; a page that is not a number is a bad request."""
    page = page_number(request.args.get("page"))
    if page is None:
        abort(400)
    return page


@bp.route("/sans-reponse")
def unanswered():
    return render_template("moderation/unanswered.html",
                           pagination=moderation.unanswered(_page(), PAGE_SIZE))


@bp.route("/file-d-attente")
def queue():
    form = QueueFilterForm(request.args)
    form.territory.choices = territory_choices(blank=_("All territories"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    page = page_number(request.args.get("page"))
    if not form.validate() or page is None:
        return render_template("moderation/queue.html", form=form, items=None, waiting=[]), 400
    items, waiting = moderation.queue(kind=form.kind.data or None, theme_id=form.theme.data,
                                      source=form.source.data or None,
                                      territory_id=form.territory.data, words=form.q.data or "",
                                      page=page,
                                      per_page=PAGE_SIZE)
    return render_template("moderation/queue.html", form=form, items=items, waiting=waiting,
                           bulk_form=BulkForm(), answered=still_a_need.recent_answers(),
                           still_a_need_answers=still_a_need.ANSWER_LABELS)


@bp.route("/file-d-attente/lot", methods=["POST"])
def bulk():
    form = BulkForm()
    if not form.validate_on_submit() or (form.action.data == "tag" and not form.tags.data):
        flash(_("Tick at least one contribution and choose an action (tags need a name)."),
              "error")
        return redirect(url_for(".queue"))
    chosen = moderation.submissions_by_id(form.ids.data)
    if form.confirmed.data != "yes":
        return render_template("moderation/bulk_confirm.html", form=form, chosen=chosen)
    try:
        if form.action.data == "publish":
            count = moderation.bulk_publish(form.ids.data, current_user)
            flash(_("%(count)d contributions published.", count=count), "success")
        else:
            count = moderation.bulk_tag(form.ids.data, current_user, form.tags.data)
            flash(_("%(count)d contributions tagged.", count=count), "success")
    except InvalidInput as error:
        show_errors(form, error)
        return render_template("moderation/bulk_confirm.html", form=form, chosen=chosen), 422
    except DomainError as error:
        refuse(error)
    return redirect(url_for(".queue"))


def _review_page(submission: Submission, status: int = 200, **forms):
    review_form = forms.get("review_form") or ReviewForm(
        formdata=None, title=submission.title, body=submission.body,
        tags=", ".join(t.name for t in submission.tags),
        territory=submission.territory_id, theme=submission.theme_id)
    review_form.territory.choices = territory_choices()
    review_form.theme.choices = theme_choices()
    decline_form = forms.get("decline_form") or ModeratorDeclineForm()
    templates = moderation.reply_templates()
    decline_form.template.choices = choices(
        [("", _("No template"))] + [(str(t.id), t.title) for t in templates])
    similar = merging.similar(submission)
    merge_form = forms.get("merge_form") or MergeForm()
    revisions = moderation.revisions(submission)
    answer_form = forms.get("answer_form") or AnswerForm(
        formdata=None, text=submission.public_answer, status=submission.status)
    answer_form.status.choices = answer_status_choices(submission)
    assign_form = forms.get("assign_form") or AssignForm(formdata=None,
                                                         assignee=submission.assignee_id)
    assign_form.assignee.choices = team_choices(blank=_("Nobody yet"))
    return render_template(
        "moderation/review.html", submission=submission, review_form=review_form,
        decline_form=decline_form, details_form=forms.get("details_form") or DetailsForm(),
        answer_form=answer_form,
        merge_form=merge_form, similar=similar, revisions=revisions, templates=templates,
        merge_record=merging.last_merge(submission), undo_form=forms.get("undo_form"),
        reasons=flag_service.reasons(submission), action_form=ActionForm(),
        assign_form=assign_form, notes=notes.notes_of(submission),
        gathering_labels=GATHERING_LABELS,
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        still_a_need=still_a_need.answers_for(submission),
        still_a_need_answers=still_a_need.ANSWER_LABELS,
        still_a_need_reasons=still_a_need.REASON_LABELS,
    ), status


@bp.route("/contributions/<int:submission_id>", methods=["GET", "POST"])
def review(submission_id: int):
    submission = _submission(submission_id)
    form = ReviewForm()
    form.territory.choices = territory_choices()
    form.theme.choices = theme_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                moderation.review(submission, current_user, title=form.title.data,
                                  body=form.body.data, territory_id=form.territory.data,
                                  theme_id=form.theme.data, tags=form.tags.data or "")
            except InvalidInput as error:
                show_errors(form, error)
            except DomainError as error:
                refuse(error)
            else:
                flash(_("Changes saved; the former text is kept in the history."), "success")
                return redirect(url_for(".review", submission_id=submission.id))
        return _review_page(submission, 422, review_form=form)
    return _review_page(submission)


def _decide(submission_id: int, form_class, action, success: str, form_name: str):
    """Validate a review-screen form, call its service, come back to the screen."""
    submission = _submission(submission_id)
    form = form_class()
    if isinstance(form, ModeratorDeclineForm):
        form.template.choices = choices([("", "")] + [(str(t.id), t.title)
                                                      for t in moderation.reply_templates()])
    if isinstance(form, AnswerForm):
        form.status.choices = answer_status_choices(submission)
    if isinstance(form, AssignForm):
        form.assignee.choices = team_choices(blank=_("Nobody yet"))
    if form.validate_on_submit():
        try:
            action(submission, form)
        except InvalidInput as error:
            show_errors(form, error)
            return _review_page(submission, 422, **{form_name: form})
        except DomainError as error:
            refuse(error)
        flash(success, "success")
        return redirect(url_for(".review", submission_id=submission.id))
    return _review_page(submission, 422, **{form_name: form})


@bp.route("/contributions/<int:submission_id>/publier", methods=["POST"])
def publish(submission_id: int):
    return _decide(submission_id, ActionForm,
                   lambda s, f: submission_service.publish(s, current_user),
                   _("The contribution is published."), "action_form")


@bp.route("/contributions/<int:submission_id>/publier-et-faire-confiance", methods=["POST"])
def publish_and_trust(submission_id: int):
    return _decide(submission_id, ActionForm,
                   lambda s, f: moderation.publish_and_trust(s, current_user),
                   _("The contribution is published; its author's next contributions will be "
                     "published without waiting."), "action_form")


def _decline_reason(form: ModeratorDeclineForm) -> str:
    if form.reason.data and form.reason.data.strip():
        return form.reason.data
    template = db.session.get(ReplyTemplate, form.template.data) if form.template.data else None
    return template.body if template else ""


@bp.route("/contributions/<int:submission_id>/refuser", methods=["POST"])
def decline(submission_id: int):
    return _decide(submission_id, ModeratorDeclineForm,
                   lambda s, f: submission_service.decline(s, current_user, _decline_reason(f)),
                   _("The contribution is declined; the reason is shown to residents."),
                   "decline_form")


@bp.route("/contributions/<int:submission_id>/refuser-et-bloquer", methods=["POST"])
def decline_and_block(submission_id: int):
    """The decline form's second button: spam is declined and its author blocked at once."""
    return _decide(submission_id, ModeratorDeclineForm,
                   lambda s, f: moderation.decline_and_block(s, current_user, _decline_reason(f)),
                   _("The contribution is declined and its author blocked; what else they "
                     "posted is hidden."), "decline_form")


@bp.route("/contributions/<int:submission_id>/details", methods=["POST"])
def request_details(submission_id: int):
    return _decide(submission_id, DetailsForm,
                   lambda s, f: moderation.request_details(s, current_user, f.message.data),
                   _("The author is asked for details."), "details_form")


@bp.route("/contributions/<int:submission_id>/reponse", methods=["POST"])
def answer(submission_id: int):
    return _decide(submission_id, AnswerForm,
                   lambda s, f: moderation.answer(s, current_user, f.text.data, f.status.data),
                   _("The answer is published."), "answer_form")


@bp.route("/contributions/<int:submission_id>/fusion", methods=["POST"])
def merge(submission_id: int):
    """First a page that says what the merge will do; the merge runs once it is confirmed."""
    target = _submission(submission_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _review_page(target, 422, merge_form=form)
    sources = moderation.submissions_by_id(form.sources.data)
    if len(sources) != len(set(form.sources.data)):
        abort(404)
    try:
        if form.confirmed.data != "yes":
            return render_template("moderation/merge_confirm.html", form=form, target=target,
                                   plans=merging.plan(current_user, sources, target))
        merging.merge(current_user, sources, target)
    except InvalidInput as error:
        show_errors(form, error)
        return _review_page(target, 422, merge_form=form)
    except DomainError as error:
        refuse(error)
    flash(_("Merged: supports and followers now count here."), "success")
    return redirect(url_for(".review", submission_id=target.id))


@bp.route("/contributions/<int:submission_id>/defusion", methods=["POST"])
def undo_merge(submission_id: int):
    return _decide(submission_id, ActionForm, lambda s, f: merging.undo(current_user, s),
                   _("The merge is undone: its supports, followers and status are back."),
                   "undo_form")


@bp.route("/signalements")
def flagged():
    submissions, comments = flag_service.flagged()
    return render_template("moderation/flags.html", submissions=submissions, comments=comments,
                           reasons=flag_service.reasons, action_form=ActionForm())


def _flag_target(kind: str, target_id: int):
    model = {"contribution": Submission, "commentaire": Comment}.get(kind)
    if model is None:
        abort(404)
    return db.get_or_404(model, target_id)


@bp.route("/signalements/<kind>/<int:target_id>/<decision>", methods=["POST"])
def decide_flag(kind: str, target_id: int, decision: str):
    target = _flag_target(kind, target_id)
    actions = {"retablir": (flag_service.restore, _("Restored; the flags are cleared.")),
               "masquer": (flag_service.confirm_hidden, _("It stays hidden."))}
    if decision not in actions or not ActionForm().validate_on_submit():
        abort(400)
    action, message = actions[decision]
    try:
        action(current_user, target)
    except DomainError as error:
        refuse(error)
    flash(message, "success")
    return redirect(url_for(".flagged"))


@bp.route("/masques")
def hidden():
    page = _page()
    return render_template("moderation/hidden.html",
                           submissions=flag_service.hidden_submissions(page, PAGE_SIZE),
                           comments=flag_service.hidden_comments(page, PAGE_SIZE))


@bp.route("/masques/<kind>/<int:target_id>/retablir", methods=["POST"])
def restore_hidden(kind: str, target_id: int):
    target = _flag_target(kind, target_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        flag_service.restore(current_user, target)
    except DomainError as error:
        refuse(error)
    flash(_("Restored: it is visible again."), "success")
    return redirect(url_for(".hidden", page=request.args.get("page")))


@bp.route("/comptes")
def users():
    form = UserSearchForm(request.args)
    page = page_number(request.args.get("page"))
    if not form.validate() or page is None:
        return render_template("moderation/users.html", form=form, users=None), 400
    return render_template("moderation/users.html", form=form,
                           users=moderation.search_users(form.q.data, page, PAGE_SIZE),
                           block_form=BlockForm(), role_form=RoleForm(),
                           action_form=ActionForm())


@bp.route("/comptes/<int:user_id>/bloquer", methods=["POST"])
def block(user_id: int):
    user = db.get_or_404(User, user_id)
    form = BlockForm()
    if form.validate_on_submit():
        try:
            moderation.block(current_user, user, form.hide_content.data)
            flash(_("%(name)s is blocked.", name=user.display_name), "success")
        except DomainError as error:
            refuse(error)
    return redirect(url_for(".users", q=user.email))


@bp.route("/comptes/<int:user_id>/debloquer", methods=["POST"])
def unblock(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UnblockForm()
    if form.validate_on_submit():
        try:
            moderation.unblock(current_user, user, form.restore_content.data)
        except DomainError as error:
            refuse(error)
        flash(_("%(name)s is unblocked.", name=user.display_name), "success")
    return redirect(url_for(".users", q=user.email))


@bp.route("/comptes/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    if not policies.can_administer(current_user):
        abort(403)
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        moderation.change_role(current_user, user, form.role.data)
    except DomainError as error:
        refuse(error)
    flash(_("The role of %(name)s is changed.", name=user.display_name), "success")
    return redirect(url_for(".users", q=user.email))


@bp.route("/modeles", methods=["GET", "POST"])
@bp.route("/modeles/<int:template_id>", methods=["GET", "POST"])
def templates(template_id: int | None = None):
    template = db.get_or_404(ReplyTemplate, template_id) if template_id else None
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            moderation.save_template(current_user, template, form.title.data, form.body.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The template is saved."), "success")
            return redirect(url_for(".templates"))
    existing = moderation.reply_templates()
    return render_template("moderation/templates.html", form=form, template=template,
                           templates=existing), 422 if form.errors else 200


@bp.route("/journal")
def journal():
    if not policies.can_administer(current_user):
        abort(403)
    form = AuditFilterForm(request.args)
    actions = moderation.journal_actions()
    known = sorted(((code, action_label(code)) for code in {*ACTION_LABELS, *actions}),
                   key=lambda pair: pair[1])
    form.action.choices = choices([("", _("All actions")), *known])
    staff = moderation.journal_actors()
    form.actor.choices = choices([("", _("Everyone"))] + [(str(u.id), u.display_name)
                                                          for u in staff])
    page = page_number(request.args.get("page"))
    if not form.validate() or page is None:
        return render_template("moderation/journal.html", form=form, pagination=None), 400
    pagination = moderation.journal(action=form.action.data or None, actor_id=form.actor.data,
                                    target_type=form.target_type.data or None, page=page,
                                    per_page=PAGE_SIZE)
    return render_template("moderation/journal.html", form=form, pagination=pagination,
                           names=audit.names(pagination.items))
