"""Duplicates: find the look-alikes of a submission; merge them without counting anyone twice."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ... import policies
from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    Follow,
    MergeRecord,
    Submission,
    SubmissionStatus,
    User,
    Vote,
    utcnow,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed
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


@dataclass
class MergePlan:
    """What merging one contribution into the target does: the confirmation page shows it and
    the merge applies it, so both always agree."""

    source: Submission
    target: Submission
    moving: list[Vote]
    #: Supports of residents who already count on the target (they supported both, or wrote it).
    doubles: list[Vote]


def _check(moderator: User, sources: list[Submission], target: Submission) -> None:
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


def plan(moderator: User, sources: list[Submission], target: Submission) -> list[MergePlan]:
    """Refuse what cannot be merged, else say, for each source in turn, which supports move and
    which are doubles (a resident counts once, whichever contribution they supported first)."""
    _check(moderator, sources, target)
    counted = set(db.session.scalars(select(Vote.user_id).where(Vote.submission_id == target.id)))
    counted.add(target.author_id)
    plans = []
    for source in sources:
        votes = db.session.scalars(select(Vote).where(Vote.submission_id == source.id)
                                   .order_by(Vote.id)).all()
        moving = [vote for vote in votes if vote.user_id not in counted]
        counted.update(vote.user_id for vote in moving)
        plans.append(MergePlan(source, target, moving,
                               [vote for vote in votes if vote not in moving]))
    return plans


def merge(moderator: User, sources: list[Submission], target: Submission) -> Submission:
    """Carry supports and followers over to `target`; a resident who supported several of them,
    or wrote the target, counts once. The merged ones keep their text and comments, and a merge
    record keeps what moved so that `undo` can put everything back."""
    for step in plan(moderator, sources, target):
        source = step.source
        before = audit.snapshot(source)
        record = MergeRecord(source_id=source.id, target_id=target.id, moderator_id=moderator.id,
                             previous_status=source.status,
                             moved_vote_ids=[vote.id for vote in step.moving],
                             dropped_votes=[[vote.id, vote.user_id, vote.created_at.isoformat()]
                                            for vote in step.doubles])
        for vote in step.doubles:
            db.session.delete(vote)
        for vote in step.moving:
            vote.submission_id = target.id
        following = set(db.session.scalars(select(Follow.user_id).where(
            Follow.submission_id == target.id)))
        added = [Follow(user_id=user_id, submission_id=target.id) for user_id in
                 db.session.scalars(select(Follow.user_id).where(
                     Follow.submission_id == source.id).order_by(Follow.id))
                 if user_id not in following]
        db.session.add_all(added)
        source.status = SubmissionStatus.MERGED
        source.merged_into_id = target.id
        db.session.flush()
        record.added_follow_ids = [follow.id for follow in added]
        db.session.add(record)
        audit.record(moderator, "merge", source, before, audit.snapshot(source))
        notifications.notify_followers(source, "merged", actor=moderator,
                                       payload={"target": target.title,
                                                "target_id": target.id})
        if target.author_id != moderator.id:
            notifications.notify_user(target.author_id, target, "merged_here",
                                      payload={"source": source.title})
    db.session.flush()
    recount([target.id] + [source.id for source in sources])
    db.session.commit()
    db.session.refresh(target)
    return target


def last_merge(source: Submission) -> MergeRecord | None:
    """The merge that made `source` merged, if it can still be undone."""
    if source.status != SubmissionStatus.MERGED:
        return None
    return db.session.scalar(select(MergeRecord).where(
        MergeRecord.source_id == source.id, MergeRecord.undone_at.is_(None))
        .order_by(MergeRecord.id.desc()).limit(1))


def undo(moderator: User, source: Submission) -> Submission:
    """Put back what the merge of `source` moved: each support (with its date, so the trending
    buckets are those of before), each follow, the status; the counters are recounted."""
    if not policies.can_moderate(moderator):
        raise NotAllowed(_("Only moderators can do this."))
    record = last_merge(source)
    if record is None:
        raise InvalidInput(_("This contribution is not merged, or its merge was already undone."),
                           field="merge")
    target = db.session.get(Submission, record.target_id)
    if target.status == SubmissionStatus.MERGED:
        raise InvalidInput(_("“%(title)s” has since been merged into another contribution: undo "
                             "that merge first.", title=target.title), field="merge")
    before = audit.snapshot(source)
    if record.moved_vote_ids:
        db.session.execute(update(Vote).where(Vote.id.in_(record.moved_vote_ids),
                                              Vote.submission_id == target.id)
                           .values(submission_id=source.id)
                           .execution_options(synchronize_session=False))
    voters = set(db.session.scalars(select(Vote.user_id).where(Vote.submission_id == source.id)))
    db.session.add_all(Vote(id=vote_id, submission_id=source.id, user_id=user_id,
                            created_at=datetime.fromisoformat(created_at))
                       for vote_id, user_id, created_at in record.dropped_votes
                       if user_id not in voters)
    if record.added_follow_ids:
        db.session.execute(delete(Follow).where(Follow.id.in_(record.added_follow_ids))
                           .execution_options(synchronize_session=False))
    source.status = record.previous_status
    source.merged_into_id = None
    record.undone_at = utcnow()
    record.undone_by_id = moderator.id
    audit.record(moderator, "merge_undo", source, before, audit.snapshot(source))
    notifications.notify_followers(source, "merge_undone", actor=moderator,
                                   payload={"target": target.title})
    db.session.flush()
    recount([source.id, target.id])
    db.session.commit()
    db.session.refresh(source)
    return source
