"""Duplicates: find the look-alikes of a submission; merge them without counting anyone twice."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from ... import policies
from ...extensions import db
from ...models import OPEN_STATUSES, Follow, Submission, SubmissionStatus, User, Vote
from ..accounts import notifications
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed
from ..core.sql import dialect_insert
from . import search
from .counters import recount


def similar(submission: Submission, limit: int = 5) -> list[tuple[Submission, float]]:
    """The closest others, published or waiting, for the moderators: the engine of the post
    form's duplicate hints (search.similar)."""
    return search.similar(submission.title, submission.body,
                          territory_id=submission.territory_id, exclude_id=submission.id,
                          statuses=(*OPEN_STATUSES, SubmissionStatus.PENDING), limit=limit)


def hides_public_supports(source: Submission, target: Submission) -> bool:
    """Supports given in public never move to a contribution that nobody can see yet."""
    return (target.status == SubmissionStatus.PENDING and source.status in OPEN_STATUSES
            and source.support_count > 0)


def merge(moderator: User, sources: list[Submission], target: Submission) -> Submission:
    """Carry supports and followers over to `target`; a resident who supported several of them,
    or wrote the target, counts once. The merged ones keep their text and comments."""
    if not policies.can_moderate(moderator):
        raise NotAllowed(_("Only moderators can do this."))
    if not sources:
        raise InvalidInput(_("Choose at least one contribution to merge."), field="sources")
    if target.status not in (*OPEN_STATUSES, SubmissionStatus.PENDING):
        raise InvalidInput(_("The target must be published or awaiting moderation."),
                           field="target")
    for source in sources:
        if source.id == target.id:
            raise InvalidInput(_("A contribution cannot be merged into itself."), field="target")
        if source.status in (SubmissionStatus.MERGED, SubmissionStatus.WITHDRAWN):
            raise InvalidInput(_("“%(title)s” is already merged or withdrawn.",
                                 title=source.title), field="sources")
        if hides_public_supports(source, target):
            raise InvalidInput(_("“%(title)s” is public and supported: publish this "
                                 "contribution before merging it here.", title=source.title),
                               field="sources")
    for source in sources:
        before = audit.snapshot(source)
        already = select(Vote.user_id).where(Vote.submission_id == target.id)
        db.session.execute(delete(Vote).where(
            Vote.submission_id == source.id,
            or_(Vote.user_id.in_(already), Vote.user_id == target.author_id))
            .execution_options(synchronize_session=False))
        db.session.execute(update(Vote).where(Vote.submission_id == source.id)
                           .values(submission_id=target.id)
                           .execution_options(synchronize_session=False))
        followers = db.session.scalars(select(Follow.user_id).where(
            Follow.submission_id == source.id)).all()
        for user_id in followers:
            db.session.execute(dialect_insert(Follow).values(
                user_id=user_id, submission_id=target.id)
                .on_conflict_do_nothing(index_elements=["submission_id", "user_id"]))
        source.status = SubmissionStatus.MERGED
        source.merged_into_id = target.id
        audit.record(moderator, "merge", source, before, audit.snapshot(source))
        notifications.notify_followers(source, "merged", actor=moderator,
                                       payload={"target": target.title,
                                                "target_id": target.id})
    db.session.flush()
    recount([target.id] + [source.id for source in sources])
    db.session.commit()
    db.session.refresh(target)
    return target
