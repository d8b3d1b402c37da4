"""Who handles what: the team member in charge of a contribution or a lead, each one's queue,
and what waits for whom (and since when) on the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from ... import policies
from ...extensions import db
from ...models import Lead, Submission, SubmissionStatus, User
from ..core import audit
from ..core.errors import NotAllowed, Problems

#: A contribution waits for its person in charge while it awaits moderation, or once published
#: until the Fabrique answers it.
WAITING = or_(Submission.status == SubmissionStatus.PENDING,
              and_(Submission.status == SubmissionStatus.PUBLISHED,
                   Submission.public_answer.is_(None)))
#: Since when it waits: its publication if it is published, otherwise its posting.
WAITING_SINCE = func.coalesce(Submission.published_at, Submission.created_at)


def _check_in_charge(user_id: int | None) -> int | None:
    """Nobody (None) or a member of the Fabrique's team; anyone else is refused."""
    if user_id is None:
        return None
    problems = Problems()
    if not policies.is_team_member(db.session.get(User, user_id)):
        problems.add("assignee", _("The person in charge must belong to the Fabrique's team."))
    problems.raise_if_any()
    return user_id


def assign_submission(submission: Submission, actor: User, assignee_id: int | None) -> bool:
    """Put a team member (or nobody) in charge of a contribution; True when it changed.
    Saving the person already in charge changes nothing and journals nothing."""
    if not policies.can_moderate(actor):
        raise NotAllowed(_("Only moderators can do this."))
    return _put_in_charge(actor, submission, "assignee_id", "submission_assign", assignee_id)


def assign_lead(lead: Lead, actor: User, owner_id: int | None) -> bool:
    """Put a team member (or nobody) in charge of a lead; True when it changed."""
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team manages project leads."))
    return _put_in_charge(actor, lead, "owner_id", "lead_assign", owner_id)


def _put_in_charge(actor: User, target: Submission | Lead, attribute: str, action: str,
                   person_id: int | None) -> bool:
    person_id = _check_in_charge(person_id)
    before = getattr(target, attribute)
    if before == person_id:
        return False
    setattr(target, attribute, person_id)
    audit.record(actor, action, target, {attribute: before}, {attribute: person_id})
    db.session.commit()
    return True


def my_queue(user: User, page: int = 1, per_page: int = 50):
    """One page of the contributions waiting for `user`, the longest-waiting first."""
    query = (select(Submission).where(Submission.assignee_id == user.id, WAITING)
             .options(db.joinedload(Submission.territory), db.joinedload(Submission.theme))
             .order_by(WAITING_SINCE, Submission.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def my_leads(user: User, page: int = 1, per_page: int = 50):
    """One page of the leads `user` is in charge of, the longest at their stage first."""
    query = (select(Lead).where(Lead.owner_id == user.id)
             .options(db.joinedload(Lead.territory), db.joinedload(Lead.theme))
             .order_by(Lead.stage_changed_at, Lead.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class Workload:
    person: User | None  # None: nobody is in charge yet
    waiting: int
    oldest: datetime


def workload() -> list[Workload]:
    """What waits for whom: per person in charge (nobody included), how many contributions wait
    and since when the oldest does; the longest wait first."""
    rows = db.session.execute(
        select(Submission.assignee_id, func.count(Submission.id), func.min(WAITING_SINCE))
        .where(WAITING).group_by(Submission.assignee_id)).all()
    people = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_([row[0] for row in rows if row[0] is not None])))}
    return sorted((Workload(people.get(person_id), count, oldest)
                   for person_id, count, oldest in rows), key=lambda w: w.oldest)
