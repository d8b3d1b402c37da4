"""Who may do what: one function per rule, used by services, views and templates alike."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .models import (
    OPEN_STATUSES,
    VISIBLE_STATUSES,
    Comment,
    Role,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)

#: Statuses in which the author may still edit the text (before any support or moderation).
EDITABLE_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.PUBLISHED)
#: Statuses from which the author may withdraw the contribution.
WITHDRAWABLE_STATUSES = (*EDITABLE_STATUSES, SubmissionStatus.UNDER_STUDY)
#: Statuses a moderator may publish from, and decline from.
PUBLISHABLE_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.DECLINED)
DECLINABLE_STATUSES = (SubmissionStatus.PENDING, *OPEN_STATUSES)
#: Statuses a moderator may answer publicly.
ANSWERABLE_STATUSES = (*OPEN_STATUSES, SubmissionStatus.DECLINED)


def _active(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_post(user: User | None) -> bool:
    """Posting, supporting, commenting and flagging need a confirmed, unblocked account."""
    return _active(user) and user.is_verified and not user.is_blocked


def blocked_reason() -> str:
    """What a blocked person reads wherever they are refused (log-in, posting, supporting...).
    The model keeps no reason of its own: the Fabrique gives it when asked."""
    return _("Your account is blocked by the moderators: it can no longer post, support, "
             "comment or report. Write to the Fabrique to ask why.")


def why_cannot_post(user: User | None) -> str | None:
    """The reason `can_post` refuses, in words for the person; None when they may post."""
    if not _active(user):
        return _("Log in to take part.")
    if user.is_blocked:
        return blocked_reason()
    if not user.is_verified:
        return _("Confirm your e-mail address before posting.")
    return None


def can_trust(moderator: User | None, author: User | None) -> bool:
    """A moderator trusts a resident (never a blocked one) so their posts skip the queue."""
    return (can_moderate(moderator) and author is not None and author.role == Role.RESIDENT
            and not author.is_blocked)


def publishes_at_once(author: User) -> bool:
    """A resident's post skips the queue in post-moderation, or once a moderator trusts them."""
    return current_app.config["MODERATION_MODE"] == "post" or author.trusted_at is not None


def can_moderate(user: User | None) -> bool:
    return _active(user) and user.is_moderator


def can_block(moderator: User | None, user: User) -> bool:
    """Moderators block residents, partners and committee members, never themselves nor
    another moderator or administrator."""
    return can_moderate(moderator) and user.id != moderator.id and not user.is_moderator


def can_use_two_factor(user: User | None) -> bool:
    """Staff accounts open private data: they may add a second factor to their password."""
    return _active(user) and user.is_staff


def can_administer(user: User | None) -> bool:
    return _active(user) and user.is_admin


def is_author(user: User | None, submission: Submission) -> bool:
    return _active(user) and submission.author_id == user.id


def can_view_submission(user: User | None, submission: Submission) -> bool:
    return (submission.status in VISIBLE_STATUSES or is_author(user, submission)
            or can_moderate(user))


def can_read_body(user: User | None, submission: Submission) -> bool:
    """A withdrawn or hidden text stays readable by its author and the moderators only."""
    if submission.status in (SubmissionStatus.WITHDRAWN, SubmissionStatus.HIDDEN):
        return is_author(user, submission) or can_moderate(user)
    return True


def can_edit_submission(user: User | None, submission: Submission) -> bool:
    """Authors edit until the first support or the first moderator action, and again while a
    moderator asks them for details, until they send the completed text."""
    untouched = submission.support_count == 0 and submission.moderated_at is None
    return (is_author(user, submission) and not user.is_blocked
            and submission.status in EDITABLE_STATUSES
            and (untouched or submission.details_requested_at is not None))


def can_withdraw_submission(user: User | None, submission: Submission) -> bool:
    return is_author(user, submission) and submission.status in WITHDRAWABLE_STATUSES


def can_support(user: User | None, submission: Submission) -> bool:
    return (can_post(user) and submission.status in OPEN_STATUSES
            and not is_author(user, submission))


def can_comment(user: User | None, submission: Submission) -> bool:
    return can_post(user) and submission.status in OPEN_STATUSES


def can_edit_comment(user: User | None, comment: Comment) -> bool:
    window = timedelta(minutes=current_app.config["COMMENT_EDIT_WINDOW_MINUTES"])
    return (_active(user) and comment.author_id == user.id and not user.is_blocked
            and not comment.is_deleted and utcnow() - comment.created_at <= window)


def can_delete_comment(user: User | None, comment: Comment) -> bool:
    return (_active(user) and not comment.is_deleted
            and (comment.author_id == user.id or user.is_moderator))


def can_publish(user: User | None, submission: Submission) -> bool:
    return can_moderate(user) and submission.status in PUBLISHABLE_STATUSES


def can_decline(user: User | None, submission: Submission) -> bool:
    return can_moderate(user) and submission.status in DECLINABLE_STATUSES


def can_answer(user: User | None, submission: Submission) -> bool:
    return can_moderate(user) and submission.status in ANSWERABLE_STATUSES


def can_request_details(user: User | None, submission: Submission) -> bool:
    return can_moderate(user) and submission.status == SubmissionStatus.PENDING


def can_flag_submission(user: User | None, submission: Submission) -> bool:
    return (can_post(user) and submission.status in OPEN_STATUSES
            and not is_author(user, submission))


def can_flag_comment(user: User | None, comment: Comment) -> bool:
    return (can_post(user) and not comment.is_deleted and not comment.is_hidden
            and comment.author_id != user.id)


def can_follow(user: User | None, submission: Submission) -> bool:
    return _active(user) and submission.status in VISIBLE_STATUSES


def can_read_comment(user: User | None, comment: Comment) -> bool:
    """A hidden comment stays readable by its author and the moderators."""
    return not comment.is_hidden or can_moderate(user) or (
        _active(user) and comment.author_id == user.id)


# Project leads: the moderators run the pipeline, the committee reads and decides.
def can_run_pipeline(user: User | None) -> bool:
    return is_team_member(user)


def can_sit_on_committee(user: User | None) -> bool:
    return _active(user) and (user.is_moderator or user.is_committee_member)


def can_offer_help(user: User | None) -> bool:
    return can_post(user)


def belongs_to(user: User | None, organisation) -> bool:
    return (_active(user) and organisation is not None
            and user.partner_organisation_id == organisation.id)


def can_manage_tokens(user: User | None, organisation) -> bool:
    """An organisation's API tokens are made and revoked by its own partner accounts, and by
    administrators."""
    return can_administer(user) or belongs_to(user, organisation)


def lacks_organisation(user: User | None) -> bool:
    """A partner account the Fabrique has not attached to an organisation yet."""
    return _active(user) and user.role == Role.PARTNER and user.partner_organisation_id is None


def can_forward(user: User | None) -> bool:
    """Partners (and relays) forward for their organisation; the account must be usable."""
    return can_post(user) and user.partner_organisation_id is not None


TEMPLATE_POLICIES = {
    name: func for name, func in globals().items()
    if name.startswith(("can_", "is_author", "belongs_to")) and callable(func)
}


def area_guard(rule):
    """A `before_request` for a whole blueprint: visitors go to log in, others need `rule`.

    Guarding the area rather than each view means no route of it can be left open by mistake.
    """

    def guard():
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not rule(current_user):
            abort(403)
        return None

    return guard


def verified_required(view):
    """Logged in with a confirmed e-mail; others are sent to log in or told to confirm."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_verified:
            flash(_("Please confirm your e-mail address first: we sent you a link."), "warning")
            return redirect(url_for("accounts.profile"))
        return view(*args, **kwargs)

    return wrapper


def moderator_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_moderator:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


# Project leads (continued): who the Fabrique's team is, in one place.
#: Roles of the Fabrique's team: they run the pipeline and may be in charge of a lead.
TEAM_ROLES = (Role.MODERATOR, Role.ADMIN)


def is_team_member(user: User | None) -> bool:
    return _active(user) and user.role in TEAM_ROLES


def can_keep_internal_notes(user: User | None) -> bool:
    """Internal notes on a contribution are for the Fabrique's team only (staff: moderators and
    administrators), never committee members, partners or residents."""
    return is_team_member(user)


def can_answer_invitation(user: User | None, invitation) -> bool:
    """Only the invited person answers their invitation to a workshop."""
    return _active(user) and invitation is not None and invitation.user_id == user.id


def can_read_workshop(user: User | None, invitation) -> bool:
    """A workshop's page and calendar file: for the team, and for the residents invited."""
    return is_team_member(user) or can_answer_invitation(user, invitation)


TEMPLATE_POLICIES.update(is_team_member=is_team_member,
                         can_keep_internal_notes=can_keep_internal_notes)
