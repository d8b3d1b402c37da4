"""Project leads: converting submissions, qualifying the fiche, moving along the pipeline."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ... import policies
from ...extensions import db
from ...models import (
    PUBLIC_SECTIONS,
    Lead,
    LeadMember,
    LeadOrigin,
    LeadPartner,
    LeadStage,
    LeadSubmission,
    Notification,
    PartnerKind,
    PartnerRole,
    Role,
    Submission,
    SubmissionStatus,
    Territory,
    Theme,
    User,
)
from ..accounts import notifications
from ..core.errors import InvalidInput, NotAllowed
from ..partners import webhooks
from .stages import allowed_targets, apply_move

#: Statuses a submission may have to become part of a lead.
CONVERTIBLE_STATUSES = (SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY)
FICHE_FIELDS = ("title", "summary", "origin", "need", "target_public", "existing_offers",
                "economic_model", "carrier_profile", "budget", "notes")


def _require_team(actor: User) -> None:
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team manages project leads."))


def lead_for(submission: Submission) -> Lead | None:
    return db.session.scalar(select(Lead).join(LeadSubmission).where(
        LeadSubmission.submission_id == submission.id))


def notify_sources(lead: Lead, event: str, actor: User | None,
                   payload: dict | None = None) -> list[Notification]:
    """Notify the followers of every source submission once each. Does not commit."""
    sent: list[Notification] = []
    for submission in lead.submissions:
        sent += notifications.notify_followers(
            submission, event, actor=actor, payload={"lead": lead.title, **(payload or {})},
            skip={notification.user_id for notification in sent})
    return sent


def stage_news(lead: Lead, actor: User | None) -> list[Notification]:
    """A new stage: followers hear of it when the lead is public; the partners who forwarded
    its sources are told by webhook in any case (their dashboard shows the stage too)."""
    if lead.is_public:
        return notify_sources(lead, "lead_stage", actor)
    for submission in lead.submissions:
        webhooks.queue_event(submission, "lead_stage")
    return []


def _load_submissions(submission_ids: list[int]) -> list[Submission]:
    if not submission_ids:
        raise InvalidInput(_("Give at least one contribution number."), field="submission_ids")
    rows = db.session.scalars(select(Submission).where(Submission.id.in_(submission_ids))).all()
    found = {s.id: s for s in rows}
    for submission_id in submission_ids:
        submission = found.get(submission_id)
        if submission is None:
            raise InvalidInput(_("There is no contribution number %(id)d.", id=submission_id),
                               field="submission_ids")
        if submission.status not in CONVERTIBLE_STATUSES or lead_for(submission) is not None:
            raise InvalidInput(_("Contribution %(id)d is not published or already belongs to a "
                                 "project lead.", id=submission_id), field="submission_ids")
    return [found[i] for i in submission_ids]


def _link(lead: Lead, submissions: list[Submission], actor: User) -> None:
    for submission in submissions:
        lead.links.append(LeadSubmission(submission=submission, added_by_id=actor.id))
        submission.status = SubmissionStatus.IN_PROJECT


def _check_references(territory_id: int, theme_id: int) -> None:
    if db.session.get(Territory, territory_id) is None:
        raise InvalidInput(_("Choose a territory from the list."), field="territory")
    if db.session.get(Theme, theme_id) is None:
        raise InvalidInput(_("Choose a theme from the list."), field="theme")


def convert(actor: User, submission_ids: list[int], *, title: str, summary: str,
            territory_id: int, theme_id: int) -> Lead:
    """Make one lead from published submissions; they become "in project", followers learn it."""
    _require_team(actor)
    submission_ids = list(dict.fromkeys(submission_ids))
    submissions = _load_submissions(submission_ids)
    _check_references(territory_id, theme_id)
    if not title.strip():
        raise InvalidInput(_("Give the lead a title."), field="title")
    lead = Lead(title=title.strip(), summary=(summary or "").strip(), territory_id=territory_id,
                theme_id=theme_id, owner_id=actor.id, created_by_id=actor.id,
                origin=LeadOrigin.RESIDENTS, stage=LeadStage.DETECTED, public_sections=[])
    lead.need = "\n\n".join(s.body for s in submissions)
    lead.target_public = next((s.target_public for s in submissions if s.target_public), "") or ""
    db.session.add(lead)
    _link(lead, submissions, actor)
    db.session.flush()
    notify_sources(lead, "in_project", actor)
    db.session.commit()
    return lead


def attach(lead: Lead, actor: User, submission_ids: list[int]) -> list[Submission]:
    _require_team(actor)
    submissions = _load_submissions(list(dict.fromkeys(submission_ids)))
    _link(lead, submissions, actor)
    db.session.flush()
    for submission in submissions:
        notifications.notify_followers(submission, "in_project", actor=actor,
                                       payload={"lead": lead.title})
    db.session.commit()
    return submissions


def update_fiche(lead: Lead, actor: User, *, territory_id: int, theme_id: int,
                 owner_id: int | None, member_ids: list[int], is_public: bool,
                 public_sections: list[str], **fields: str) -> Lead:
    _require_team(actor)
    _check_references(territory_id, theme_id)
    if not (fields.get("title") or "").strip():
        raise InvalidInput(_("Give the lead a title."), field="title")
    if fields.get("origin") not in set(LeadOrigin):
        raise InvalidInput(_("Choose one of the offered answers."), field="origin")
    team = {u.id for u in db.session.scalars(select(User).where(
        User.role.in_((Role.MODERATOR, Role.ADMIN))))}
    if owner_id is not None and owner_id not in team:
        raise InvalidInput(_("The person in charge must belong to the Fabrique's team."),
                           field="owner")
    if any(member_id not in team for member_id in member_ids):
        raise InvalidInput(_("Team members must belong to the Fabrique's team."),
                           field="members")
    for name in FICHE_FIELDS:
        if name in fields:
            setattr(lead, name, (fields[name] or "").strip())
    lead.territory_id, lead.theme_id, lead.owner_id = territory_id, theme_id, owner_id
    lead.is_public = bool(is_public)
    lead.public_sections = [s for s in PUBLIC_SECTIONS if s in set(public_sections)]
    wanted = set(member_ids) - {owner_id}
    lead.members = [m for m in lead.members if m.user_id in wanted] + [
        LeadMember(user_id=i) for i in sorted(wanted - {m.user_id for m in lead.members})]
    db.session.commit()
    return lead


def add_partner(lead: Lead, actor: User, *, name: str, kind: str, role: str,
                commitment: str = "") -> LeadPartner:
    _require_team(actor)
    if not name.strip():
        raise InvalidInput(_("Give the partner's name."), field="name")
    if kind not in set(PartnerKind) or role not in set(PartnerRole):
        raise InvalidInput(_("Choose one of the offered answers."), field="kind")
    partner = LeadPartner(lead=lead, name=name.strip(), kind=kind, role=role,
                          commitment=(commitment or "").strip())
    db.session.add(partner)
    db.session.commit()
    return partner


def remove_partner(partner: LeadPartner, actor: User) -> None:
    _require_team(actor)
    db.session.delete(partner)
    db.session.commit()


def move(lead: Lead, actor: User, to_stage: str, **details) -> Lead:
    """Move a lead and keep the trail; residents who follow its sources hear of public moves."""
    change = apply_move(lead, actor, to_stage, **details)
    db.session.flush()
    stage_news(lead, actor)
    db.session.commit()
    return change.lead


def record_creation(lead: Lead, actor: User, *, name: str, legal_form: str, created_on: date | None,
                    note: str) -> Lead:
    """The enterprise exists: keep its name, legal form and date, and the lead is created."""
    _require_team(actor)
    if not (name or "").strip():
        raise InvalidInput(_("Give the enterprise's name."), field="name")
    if not (legal_form or "").strip():
        raise InvalidInput(_("Give the legal form, for example SCIC or association."),
                           field="legal_form")
    if created_on is None:
        raise InvalidInput(_("Give the date of creation."), field="created_on")
    if LeadStage.CREATED not in allowed_targets(lead):
        raise InvalidInput(_("Only a lead in launch support can become an enterprise."),
                           field="name")
    if not (note or "").strip():
        raise InvalidInput(_("Write the decision note: it is the project's memory."),
                           field="note")
    lead.enterprise_name = name.strip()
    lead.enterprise_legal_form = legal_form.strip()
    lead.enterprise_created_on = created_on
    apply_move(lead, actor, LeadStage.CREATED, note=note)
    db.session.flush()
    stage_news(lead, actor)
    db.session.commit()
    return lead
