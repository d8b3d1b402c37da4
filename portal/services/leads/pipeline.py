"""Project leads: converting submissions, qualifying the fiche, moving along the pipeline."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    StageChange,
    Submission,
    SubmissionStatus,
    Territory,
    Theme,
    User,
    utcnow,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import NotAllowed, Problems
from ..submissions import still_a_need
from .rules import (
    COMMITMENT_LENGTH,
    FICHE_FIELDS,
    FICHE_LENGTHS,
    LEAD_TITLE_LENGTH,
    LEGAL_FORM_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    SUMMARY_LENGTH,
    can_feed_new_lead,
    check_choice,
    check_text,
)
from .stages import allowed_targets, apply_move

#: What to say when a required text of the fiche is left empty.
FICHE_MISSING = {
    "title": _l("Give the lead a title."),
    "summary": _l("Sum the lead up in a few sentences."),
}



def require_team(actor: User) -> None:
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team manages project leads."))


def lead_for(submission: Submission) -> Lead | None:
    return db.session.scalar(select(Lead).join(LeadSubmission).where(
        LeadSubmission.submission_id == submission.id))


def notify_sources(lead: Lead, event: str, actor: User | None,
                   payload: dict | None = None) -> list[Notification]:
    """Tell the followers (supporters and partner accounts follow too) and the author of every
    source submission, once each, never the actor. Does not commit."""
    sent: list[Notification] = []
    for submission in lead.submissions:
        sent += notify_submission(submission, event, actor, {"lead": lead.title, **(payload or {})},
                                  {notification.user_id for notification in sent})
    return sent


def notify_submission(submission: Submission, event: str, actor: User | None, payload: dict,
                      skip: set[int]) -> list[Notification]:
    """Tell the followers and the author of one contribution, except the actor and `skip`."""
    sent = notifications.notify_followers(submission, event, actor=actor, payload=payload,
                                          skip=skip)
    told = skip | {notification.user_id for notification in sent}
    author_id = submission.author_id
    if author_id is not None and author_id not in told and (
            actor is None or author_id != actor.id):
        sent += notifications.notify_user(author_id, submission, event, payload=payload)
    return sent


#: The fields of a lead the journal keeps before and after a change of its fiche.
LEAD_AUDIT_FIELDS = (*FICHE_FIELDS, "territory_id", "theme_id", "owner_id", "is_public",
                     "public_sections")


def audit_move(actor: User, change: StageChange) -> None:
    """Journal one move of a lead, with the committee's decision when one was recorded."""
    after = {"stage": change.to_stage, "note": change.note}
    after.update({key: value for key, value in (
        ("reason", change.reason), ("committee", change.committee_name),
        ("decision", change.decision)) if value})
    audit.record(actor, "lead_move", change.lead, {"stage": change.from_stage}, after)


def stage_news(lead: Lead, actor: User | None, change: StageChange | None = None
               ) -> list[Notification]:
    """A new stage reaches the authors, supporters and followers of the lead's sources in plain
    words, public lead or not (the news never carries the decision note nor a link to a private
    fiche), and the partners who forwarded them by webhook. What a partner sees of its items
    changed: their `updated_at` moves in the same transaction, before the webhook is written."""
    now = utcnow()
    for submission in lead.submissions:
        submission.updated_at = now
    db.session.flush()
    payload = {"stage": lead.stage, "reason": change.reason if change else "",
               "enterprise": lead.enterprise_name or ""}
    sent = notify_sources(lead, "lead_stage", actor, payload)
    # Paused or abandoned: is what the residents raised still a need?
    still_a_need.ask_after_lead_stage(list(lead.submissions), lead.stage)
    return sent


def _check_submissions(problems: Problems, submission_ids: list[int]) -> list[Submission]:
    """The submissions to link, each able to become part of a lead and in none yet."""
    field = "submission_ids"
    if not submission_ids:
        problems.add(field, _("Give at least one contribution number."))
        return []
    rows = db.session.scalars(select(Submission).where(Submission.id.in_(submission_ids))).all()
    found = {s.id: s for s in rows}
    for submission_id in submission_ids:
        submission = found.get(submission_id)
        current = lead_for(submission) if submission is not None else None
        if submission is None:
            problems.add(field, _("There is no contribution number %(id)d.", id=submission_id))
        elif can_feed_new_lead(submission, current):
            continue
        elif current is None:
            problems.add(field, _("Contribution %(id)d is not published: it cannot become a "
                                  "project lead.", id=submission_id))
        else:
            problems.add(field, _("Contribution %(id)d already belongs to a project lead.",
                                  id=submission_id))
    return [found[i] for i in submission_ids if i in found]


def _link(lead: Lead, submissions: list[Submission], actor: User) -> list[int]:
    """Link each submission to `lead`; one that was in an abandoned lead leaves it. Returns the
    ids of the submissions taken from an abandoned lead."""
    taken = []
    for submission in submissions:
        former = db.session.scalar(select(LeadSubmission).where(
            LeadSubmission.submission_id == submission.id))
        if former is not None:
            former.lead.links.remove(former)
            db.session.flush()
            taken.append(submission.id)
        lead.links.append(LeadSubmission(submission=submission, added_by_id=actor.id))
        submission.status = SubmissionStatus.IN_PROJECT
    return taken


def _check_references(problems: Problems, territory_id: int | None,
                      theme_id: int | None) -> None:
    if territory_id is None or db.session.get(Territory, territory_id) is None:
        problems.add("territory", _("Choose a territory from the list."))
    if theme_id is None or db.session.get(Theme, theme_id) is None:
        problems.add("theme", _("Choose a theme from the list."))


def convert(actor: User, submission_ids: list[int], *, title: str, summary: str,
            territory_id: int | None, theme_id: int | None) -> Lead:
    """Make one lead from published submissions; they become "in project", followers learn it."""
    require_team(actor)
    problems = Problems()
    submissions = _check_submissions(problems, list(dict.fromkeys(submission_ids)))
    title = check_text(problems, "title", title, LEAD_TITLE_LENGTH, _("Give the lead a title."))
    summary = check_text(problems, "summary", summary, SUMMARY_LENGTH,
                         _("Sum the lead up in a few sentences."))
    _check_references(problems, territory_id, theme_id)
    problems.raise_if_any()
    lead = Lead(title=title, summary=summary, territory_id=territory_id,
                theme_id=theme_id, owner_id=actor.id, created_by_id=actor.id,
                origin=LeadOrigin.RESIDENTS, stage=LeadStage.DETECTED, public_sections=[])
    lead.need = "\n\n".join(s.body for s in submissions)
    lead.target_public = next((s.target_public for s in submissions if s.target_public), "") or ""
    db.session.add(lead)
    taken = _link(lead, submissions, actor)
    db.session.flush()
    audit.record(actor, "lead_convert", lead, {"submissions": taken},
                 {"title": lead.title, "submissions": [s.id for s in submissions]})
    notify_sources(lead, "in_project", actor)
    db.session.commit()
    return lead


def attach(lead: Lead, actor: User, submission_ids: list[int]) -> list[Submission]:
    require_team(actor)
    problems = Problems()
    submissions = _check_submissions(problems, list(dict.fromkeys(submission_ids)))
    problems.raise_if_any()
    before = [s.id for s in lead.submissions]
    _link(lead, submissions, actor)
    db.session.flush()
    audit.record(actor, "lead_attach", lead, {"submissions": before},
                 {"submissions": [s.id for s in lead.submissions]})
    for submission in submissions:
        notifications.notify_followers(submission, "in_project", actor=actor,
                                       payload={"lead": lead.title})
    db.session.commit()
    return submissions


def team_members() -> list[User]:
    """The Fabrique's team, by name: who may be in charge of a lead or work on it."""
    return list(db.session.scalars(select(User).where(User.role.in_(policies.TEAM_ROLES))
                                   .order_by(User.display_name, User.id)))


def update_fiche(lead: Lead, actor: User, *, territory_id: int | None, theme_id: int | None,
                 owner_id: int | None, member_ids: list[int], is_public: bool,
                 public_sections: list[str], **fields: str) -> Lead:
    require_team(actor)
    problems = Problems()
    for name, bounds in FICHE_LENGTHS.items():
        if name in fields or bounds[0] > 0:
            fields[name] = check_text(problems, name, fields.get(name), bounds,
                                      FICHE_MISSING.get(name))
    check_choice(problems, "origin", fields.get("origin"), LeadOrigin)
    _check_references(problems, territory_id, theme_id)
    team = {u.id for u in team_members()}
    if owner_id is not None and owner_id not in team:
        problems.add("owner", _("The person in charge must belong to the Fabrique's team."))
    if any(member_id not in team for member_id in member_ids):
        problems.add("members", _("Team members must belong to the Fabrique's team."))
    if any(section not in PUBLIC_SECTIONS for section in public_sections):
        problems.add("public_sections", _("Choose one of the offered answers."))
    problems.raise_if_any()
    before = audit.snapshot(lead, LEAD_AUDIT_FIELDS)
    for name in FICHE_FIELDS:
        if name in fields:
            setattr(lead, name, fields[name])
    lead.territory_id, lead.theme_id, lead.owner_id = territory_id, theme_id, owner_id
    lead.is_public = bool(is_public)
    lead.public_sections = [s for s in PUBLIC_SECTIONS if s in set(public_sections)]
    wanted = set(member_ids) - {owner_id}
    lead.members = [m for m in lead.members if m.user_id in wanted] + [
        LeadMember(user_id=i) for i in sorted(wanted - {m.user_id for m in lead.members})]
    audit.record_changes(actor, "lead_fiche", lead, before,
                         audit.snapshot(lead, LEAD_AUDIT_FIELDS))
    db.session.commit()
    return lead


def add_partner(lead: Lead, actor: User, *, name: str, kind: str, role: str,
                commitment: str = "") -> LeadPartner:
    require_team(actor)
    problems = Problems()
    name = check_text(problems, "name", name, NAME_LENGTH, _("Give the partner's name."))
    check_choice(problems, "kind", kind, PartnerKind)
    check_choice(problems, "role", role, PartnerRole)
    commitment = check_text(problems, "commitment", commitment, COMMITMENT_LENGTH)
    problems.raise_if_any()
    partner = LeadPartner(lead=lead, name=name, kind=kind, role=role, commitment=commitment)
    db.session.add(partner)
    audit.record(actor, "lead_partner_add", lead, {},
                 {"partner": name, "partner_kind": kind, "partner_role": role})
    db.session.commit()
    return partner


def remove_partner(partner: LeadPartner, actor: User) -> None:
    require_team(actor)
    audit.record(actor, "lead_partner_remove", partner.lead, {"partner": partner.name}, {})
    db.session.delete(partner)
    db.session.commit()


def move(lead: Lead, actor: User, to_stage: str, **details) -> Lead:
    """Move a lead and keep the trail; the people behind its sources hear of every move."""
    change = apply_move(lead, actor, to_stage, **details)
    db.session.flush()
    audit_move(actor, change)
    stage_news(lead, actor, change)
    db.session.commit()
    return change.lead


def record_creation(lead: Lead, actor: User, *, name: str, legal_form: str, created_on: date | None,
                    note: str) -> Lead:
    """The enterprise exists: keep its name, legal form and date, and the lead is created."""
    require_team(actor)
    problems = Problems()
    name = check_text(problems, "name", name, NAME_LENGTH, _("Give the enterprise's name."))
    legal_form = check_text(problems, "legal_form", legal_form, LEGAL_FORM_LENGTH,
                            _("Give the legal form, for example SCIC or association."))
    if created_on is None:
        problems.add("created_on", _("Give the date of creation."))
    note = check_text(problems, "note", note, NOTE_LENGTH,
                      _("Write the decision note: it is the project's memory."))
    if LeadStage.CREATED not in allowed_targets(lead):
        problems.add(None, _("Only a lead in launch support can become an enterprise."))
    problems.raise_if_any()
    lead.enterprise_name = name
    lead.enterprise_legal_form = legal_form
    lead.enterprise_created_on = created_on
    change = apply_move(lead, actor, LeadStage.CREATED, note=note)
    db.session.flush()
    audit.record(actor, "lead_enterprise", lead, {},
                 {"enterprise": name, "legal_form": legal_form,
                  "created_on": created_on.isoformat()})
    audit_move(actor, change)
    stage_news(lead, actor, change)
    db.session.commit()
    return lead
