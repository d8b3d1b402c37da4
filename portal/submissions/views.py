"""Needs and ideas: listing, posting, reading, supporting, commenting."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_number, get_translations
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from .. import policies
from ..extensions import db, limiter
from ..forms import (
    MAX_ID,
    ActionForm,
    page_number,
    refuse,
    show_errors,
    territory_choices,
    theme_choices,
    whole_number,
)
from ..models import Comment, Submission, SubmissionKind
from ..moderation.forms import FlagForm
from ..policies import moderator_required, verified_required
from ..services.accounts import notifications
from ..services.core.errors import DomainError, InvalidInput, NotAllowed
from ..services.leads import story as lead_story
from ..services.submissions import comments as comment_service
from ..services.submissions import flags, listing, merging, opendata, search, votes
from ..services.submissions import posting as submission_service
from ..services.submissions.rules import TITLE_LENGTH
from ..urls import redirect_back
from .forms import CommentForm, DeclineForm, EditSubmissionForm, FilterForm, SubmissionForm

bp = Blueprint("submissions", __name__, url_prefix="/contributions")


def _get_visible(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not policies.can_view_submission(current_user, submission):
        abort(404)
    return submission


def _get_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    _get_visible(comment.submission_id)
    return comment


def _fill_choices(form) -> None:
    form.territory.choices = territory_choices(blank=_("Choose a territory"))
    form.theme.choices = theme_choices(blank=_("Choose a theme"))


def _home_filters() -> MultiDict:
    """A resident who said where they live first sees their commune (they can pick another)."""
    if current_user.is_authenticated and current_user.home_territory_id:
        return MultiDict({"territory": str(current_user.home_territory_id)})
    return MultiDict()


@bp.route("/")
def index():
    form = FilterForm(request.args if request.args else _home_filters())
    form.territory.choices = territory_choices(blank=_("The whole metropolitan area"))
    form.theme.choices = theme_choices(blank=_("All themes"))
    page = page_number(request.args.get("page"))
    if not form.validate() or page is None:
        if page is None:
            form.form_errors.append(_("The page number must be a whole number from 1."))
        return render_template("submissions/index.html", form=form, pagination=None,
                               supported=set()), 400
    filters = listing.SubmissionFilters(
        kind=form.kind.data or None, territory_id=form.territory.data, theme_id=form.theme.data,
        status=form.status.data or None, query=form.q.data or "", sort=form.sort.data or "newest",
    )
    pagination = listing.search(filters, page=page, cards=True)
    supported = votes.supported_ids(current_user, [s.id for s in pagination.items])
    feed_url = url_for("opendata.submissions_feed", **opendata.feed_query(
        filters.territory_id, filters.theme_id, filters.kind))
    return render_template("submissions/index.html", form=form, pagination=pagination,
                           supported=supported, feed_url=feed_url)


@bp.route("/nouvelle", methods=["GET", "POST"])
@verified_required
@limiter.limit("20/hour", methods=["POST"])
def new():
    if current_user.is_blocked:  # said before they type, not after
        refuse(NotAllowed(policies.why_cannot_post(current_user)))
    form = SubmissionForm()
    if request.method == "GET" and request.args.get("kind") in (SubmissionKind.NEED,
                                                                 SubmissionKind.IDEA):
        form.kind.data = request.args["kind"]
    if request.method == "GET":
        form.territory.data = current_user.home_territory_id
    _fill_choices(form)
    # Validated once: HumanCheck restarts the fill-time clock each time it validates.
    valid = form.validate_on_submit()
    if valid and form.checked.data != "1":
        # The check before publishing: look-alikes are shown once, never in the way.
        form.checked.data = "1"
        hints = search.similar(form.title.data, form.body.data, territory_id=form.territory.data)
        if hints:
            # This sending passed the human check: the page keeps the moment the form was
            # first shown, so "send mine all the same" at once is not taken for a robot.
            form.shown.data = request.form.get("shown", "")
            return render_template("submissions/form.html", form=form, submission=None,
                                   similar=hints)
    if valid:
        try:
            submission = submission_service.submit(
                current_user, kind=form.kind.data, title=form.title.data, body=form.body.data,
                territory_id=form.territory.data, theme_id=form.theme.data,
                target_public=form.target_public.data, author_offer=form.author_offer.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            if submission.is_open:
                flash(_("Thank you! Your contribution is published."), "success")
            else:
                flash(_("Thank you! A moderator will read your contribution before it is "
                        "published; you will find it in your account meanwhile."), "success")
            return redirect(url_for(".detail", submission_id=submission.id))
    return render_template("submissions/form.html", form=form, submission=None), \
        422 if form.errors else 200


def _render_detail(submission: Submission, comment_form: CommentForm | None = None,
                   decline_form: DeclineForm | None = None):
    if current_user.is_authenticated:
        comment_form, decline_form = comment_form or CommentForm(), decline_form or DeclineForm()
    # else no form at all: a form's token would give the visitor a session cookie, and with it
    # a page no cache may keep (the page shows them no form anyway).
    return render_template(
        "submissions/detail.html", submission=submission,
        comments=comment_service.thread(submission),
        supported=submission.id in votes.supported_ids(current_user, [submission.id]),
        comment_form=comment_form, decline_form=decline_form,
        following=notifications.is_following(current_user, submission),
        flagged=flags.flagged_by(current_user, submission),
        similar=merging.similar(submission) if policies.can_moderate(current_user) else [],
        story=lead_story.story(submission),
    )


@bp.route("/semblables")
@limiter.limit("120/minute")
def look_alikes():
    """The open contributions like a title being typed (static/js/similar.js, the post form)."""
    title = (request.args.get("title") or "")[:TITLE_LENGTH[1]]
    territory = request.args.get("territory") or None
    territory_id = territory and whole_number(territory, MAX_ID)
    if territory and territory_id is None:  # the form's menu only sends ids
        abort(400, _("Choose a territory from the list."))
    hints = search.similar(title, territory_id=territory_id) if len(title) >= 4 else []
    return jsonify({"items": [
        {"id": s.id, "title": s.title, "support_count": s.support_count,
         # the plural chosen by the count, the count written the reader's way ("1 234")
         "supports_label": get_translations().ngettext(
             "%(num)s support", "%(num)s supports", s.support_count)
         % {"num": format_number(s.support_count)},
         "url": url_for(".detail", submission_id=s.id),
         # the resident's own contribution: shown, but nothing to support ("Me too")
         "yours": policies.is_author(current_user, s),
         "support_url": None if policies.is_author(current_user, s)
         else url_for(".support", submission_id=s.id)} for s, _score in hints]})


@bp.route("/<int:submission_id>")
def detail(submission_id: int):
    return _render_detail(_get_visible(submission_id))


def _refuse_blocked(submission_id: int):
    """A blocked author cannot edit any more; they are told why, on the contribution's page."""
    flash(policies.blocked_reason(), "warning")
    return redirect(url_for("submissions.detail", submission_id=submission_id))


@bp.route("/<int:submission_id>/modifier", methods=["GET", "POST"])
@verified_required
def edit(submission_id: int):
    submission = _get_visible(submission_id)
    if current_user.is_blocked:
        return _refuse_blocked(submission.id)
    if not policies.can_edit_submission(current_user, submission):
        abort(403)
    form = EditSubmissionForm(obj=submission)
    if request.method == "GET":
        form.territory.data, form.theme.data = submission.territory_id, submission.theme_id
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            submission_service.edit(
                submission, current_user, title=form.title.data, body=form.body.data,
                territory_id=form.territory.data, theme_id=form.theme.data,
                target_public=form.target_public.data, author_offer=form.author_offer.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".detail", submission_id=submission.id))
    return render_template("submissions/form.html", form=form, submission=submission), \
        422 if form.errors else 200


def _act(submission_id: int, action, success: str, form_class=ActionForm,
         unchanged: str | None = None):
    """Run a button's service call, `action(submission, form)`, and come back to the page; when
    the call says it changed nothing (returns False), say `unchanged` rather than `success`."""
    submission = _get_visible(submission_id)
    form = form_class()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for(".detail", submission_id=submission.id))
    try:
        done = action(submission, form)
    except InvalidInput as error:
        if isinstance(form, DeclineForm):
            show_errors(form, error)
            return _render_detail(submission, decline_form=form), 422
        refuse(error)
    except DomainError as error:
        refuse(error)
    if done is False:
        flash(unchanged, "warning")
    else:
        flash(success, "success")
    # The id as given: reading the committed submission would load it again.
    return redirect_back(".detail", submission_id=submission_id)


@bp.route("/<int:submission_id>/retirer", methods=["POST"])
@verified_required
def withdraw(submission_id: int):
    return _act(submission_id, lambda s, _form: submission_service.withdraw(s, current_user),
                _("Your contribution is withdrawn."))


@bp.route("/<int:submission_id>/soutenir", methods=["POST"])
@verified_required
@limiter.limit("120/hour")
def support(submission_id: int):
    return _act(submission_id, lambda s, _form: votes.support(current_user, s),
                _("Thank you for your support."),
                unchanged=_("You already support this contribution."))


@bp.route("/<int:submission_id>/retirer-soutien", methods=["POST"])
@verified_required
def unsupport(submission_id: int):
    return _act(submission_id, lambda s, _form: votes.withdraw_support(current_user, s),
                _("Your support is withdrawn."),
                unchanged=_("You were not supporting this contribution."))


@bp.route("/<int:submission_id>/publier", methods=["POST"])
@moderator_required
def publish(submission_id: int):
    return _act(submission_id, lambda s, _form: submission_service.publish(s, current_user),
                _("The contribution is published."))


@bp.route("/<int:submission_id>/refuser", methods=["POST"])
@moderator_required
def decline(submission_id: int):
    return _act(submission_id,
                lambda s, form: submission_service.decline(s, current_user, form.reason.data),
                _("The contribution is declined; the reason is shown to residents."),
                form_class=DeclineForm)


@bp.route("/<int:submission_id>/suivre", methods=["POST"])
@login_required
def follow(submission_id: int):
    submission = _get_visible(submission_id)
    if ActionForm().validate_on_submit() and policies.can_follow(current_user, submission):
        if notifications.toggle_follow(current_user, submission):
            flash(_("You follow this contribution: you will be told what becomes of it."),
                  "success")
        else:
            flash(_("You no longer follow this contribution."), "info")
    return redirect(url_for(".detail", submission_id=submission.id))


def _flag(target, flag, back: str):
    form = FlagForm()
    if not form.validate_on_submit():
        flash(_("Choose a reason to report it."), "error")
        return redirect(back)
    try:
        flag(current_user, target, form.reason.data, form.details.data)
    except InvalidInput as error:
        for message in error.messages:
            flash(message, "error")
        return redirect(back)
    except DomainError as error:
        refuse(error)
    flash(_("Thank you: the moderators will look at your report."), "success")
    return redirect(back)


@bp.route("/<int:submission_id>/signaler", methods=["POST"])
@verified_required
@limiter.limit("30/hour")
def flag_submission(submission_id: int):
    submission = _get_visible(submission_id)
    return _flag(submission, flags.flag_submission,
                 url_for(".detail", submission_id=submission.id))


@bp.route("/commentaires/<int:comment_id>/signaler", methods=["POST"])
@verified_required
@limiter.limit("30/hour")
def flag_comment(comment_id: int):
    comment = _get_comment(comment_id)
    return _flag(comment, flags.flag_comment,
                 url_for(".detail", submission_id=comment.submission_id))


@bp.route("/<int:submission_id>/commentaires", methods=["POST"])
@verified_required
@limiter.limit("60/hour")
def comment(submission_id: int):
    submission = _get_visible(submission_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            new_comment = comment_service.add_comment(current_user, submission, form.body.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("Your comment is posted."), "success")
            return redirect(url_for(".detail", submission_id=submission.id,
                                    _anchor=f"comment-{new_comment.id}"))
    return _render_detail(submission, form), 422


@bp.route("/commentaires/<int:comment_id>/modifier", methods=["GET", "POST"])
@verified_required
def edit_comment(comment_id: int):
    comment = _get_comment(comment_id)
    if current_user.is_blocked:
        return _refuse_blocked(comment.submission_id)
    if not policies.can_edit_comment(current_user, comment):
        abort(403)
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            comment_service.edit_comment(current_user, comment, form.body.data)
        except InvalidInput as error:
            show_errors(form, error)
        except DomainError as error:
            refuse(error)
        else:
            flash(_("Your comment is updated."), "success")
            return redirect(url_for(".detail", submission_id=comment.submission_id,
                                    _anchor=f"comment-{comment.id}"))
    return render_template("submissions/edit_comment.html", form=form, comment=comment), \
        422 if form.errors else 200


@bp.route("/commentaires/<int:comment_id>/supprimer", methods=["POST"])
@verified_required
def delete_comment(comment_id: int):
    comment = _get_comment(comment_id)
    if ActionForm().validate_on_submit():
        try:
            comment_service.delete_comment(current_user, comment)
        except DomainError as error:
            refuse(error)
        flash(_("The comment is deleted."), "success")
    return redirect(url_for(".detail", submission_id=comment.submission_id))
