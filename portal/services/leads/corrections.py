"""Correcting the pipeline's mistakes: a contribution detached from a lead, a mistaken lead
deleted. Nothing residents wrote is lost: their contributions go back to the status they had
before the lead, and they are told in plain words."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select

from ...extensions import db
from ...models import AgendaItem, Answer, Lead, LeadSubmission, Offer, Submission, User, Workshop
from ..core import audit
from ..core.errors import InvalidInput, Problems
from .pipeline import notify_submission, require_team
from .rules import CONVERTIBLE_STATUSES, REASON_LENGTH, check_text

#: The fields of a lead the journal keeps when the lead is deleted.
LEAD_FIELDS = ("title", "summary", "stage", "territory_id", "theme_id", "is_public", "notes")


def status_without_lead(submission: Submission) -> str:
    """What a contribution becomes when it leaves a lead: the status its last answer gave, when
    that answer left it published or under study; else published."""
    last = db.session.scalar(select(Answer.status).where(Answer.submission_id == submission.id)
                             .order_by(Answer.id.desc()).limit(1))
    return last if last in CONVERTIBLE_STATUSES else CONVERTIBLE_STATUSES[0]


def _release(link: LeadSubmission, actor: User, skip: set[int]) -> set[int]:
    """Unlink one contribution, put its status back and tell its people; returns who was told."""
    submission, lead = link.submission, link.lead
    submission.status = status_without_lead(submission)
    lead.links.remove(link)  # the link is an orphan: deleted at the flush
    db.session.flush()
    told = notify_submission(submission, "left_lead", actor, {"lead": lead.title}, skip)
    return {notification.user_id for notification in told}


def detach(lead: Lead, actor: User, submission: Submission) -> Submission:
    """The contribution is no longer part of this lead; the lead keeps its trail."""
    require_team(actor)
    link = db.session.scalar(select(LeadSubmission).where(
        LeadSubmission.lead_id == lead.id, LeadSubmission.submission_id == submission.id))
    if link is None:
        raise InvalidInput(_("Contribution %(id)d is not part of this lead.", id=submission.id),
                           field="submission")
    before = {"lead": lead.id, "status": submission.status}
    _release(link, actor, set())
    audit.record(actor, "lead_detach", submission, before,
                 {"lead": None, "status": submission.status})
    db.session.commit()
    return submission


def holds_residents_work(lead: Lead) -> bool:
    """Offers, workshops and committee agenda items are people's work beyond the team's: a lead
    that has any is abandoned with a reason, not deleted."""
    return db.session.scalar(select(
        exists().where(Offer.lead_id == lead.id)
        | exists().where(Workshop.lead_id == lead.id)
        | exists().where(AgendaItem.lead_id == lead.id)))


def delete(lead: Lead, actor: User, reason: str) -> list[Submission]:
    """Delete a lead made by mistake; its contributions go back, the journal keeps the lead's
    fiche and the reason. Returns the contributions released."""
    require_team(actor)
    problems = Problems()
    reason = check_text(problems, "reason", reason, REASON_LENGTH,
                        _("Say why this lead is deleted: the journal keeps it."))
    if holds_residents_work(lead):
        problems.add(None, _("This lead has offers, workshops or committee items: abandon it "
                             "with a reason instead of deleting it."))
    problems.raise_if_any()
    released = [link.submission for link in lead.links]
    before = {**audit.snapshot(lead, LEAD_FIELDS), "submissions": [s.id for s in released]}
    told: set[int] = set()
    for link in list(lead.links):
        told |= _release(link, actor, told)
    audit.record(actor, "lead_delete", lead, before, {"reason": reason})
    db.session.delete(lead)
    db.session.commit()
    return released

