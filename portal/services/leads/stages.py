"""The stage machine of a lead: which moves are allowed, what each needs, and its history."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import policies
from ...extensions import db
from ...models import (
    MAIN_STAGES,
    Decision,
    Lead,
    LeadStage,
    StageChange,
    User,
    utcnow,
)
from ..core.errors import NotAllowed, Problems
from .rules import (
    COMMITTEE_NAME_LENGTH,
    NOTE_LENGTH,
    TEXT_LENGTH,
    check_choice,
    check_text,
    check_url,
)

STAGE_LABELS = {
    LeadStage.DETECTED: _l("Detected"),
    LeadStage.OPPORTUNITY: _l("Opportunity study"),
    LeadStage.CARRIER_SEARCH: _l("Carrier search"),
    LeadStage.FEASIBILITY: _l("Feasibility study"),
    LeadStage.LAUNCH: _l("Launch support"),
    LeadStage.CREATED: _l("Enterprise created"),
    LeadStage.PAUSED: _l("Paused"),
    LeadStage.ABANDONED: _l("Abandoned"),
}
#: What each stage means, in plain words for residents.
STAGE_PUBLIC_TEXT = {
    LeadStage.DETECTED: _l("The Fabrique has spotted this need and is taking a first look."),
    LeadStage.OPPORTUNITY: _l("The Fabrique checks that the need is real, that nothing nearby "
                              "answers it already, and that an enterprise could answer it."),
    LeadStage.CARRIER_SEARCH: _l("The project is looking for the person, group or structure "
                                 "that will carry it."),
    LeadStage.FEASIBILITY: _l("The carrier and the Fabrique build the business plan."),
    LeadStage.LAUNCH: _l("The Fabrique supports the carrier until the enterprise is created."),
    LeadStage.CREATED: _l("The enterprise or activity exists."),
    LeadStage.PAUSED: _l("The project is paused for now."),
    LeadStage.ABANDONED: _l("The project was abandoned."),
}
#: What a resident is told besides the plain sentence, for the stages that carry a detail.
STAGE_PUBLIC_DETAIL = {
    LeadStage.PAUSED: _l("Why: %(reason)s"),
    LeadStage.ABANDONED: _l("Why: %(reason)s"),
    LeadStage.CREATED: _l("Its name: %(name)s."),
}
#: Forward moves that pass a committee gate: from the stage on the left to the one on the right.
COMMITTEE_GATES = {
    LeadStage.OPPORTUNITY: LeadStage.CARRIER_SEARCH,
    LeadStage.FEASIBILITY: LeadStage.LAUNCH,
}


def public_news(stage: str, *, reason: str = "", enterprise: str = "") -> str:
    """One stage in plain words, as residents and partners read it wherever they are told (mail,
    notification, the contribution's story): the stage's sentence, then its public reason or the
    enterprise's name. Never the decision note, which stays with the team."""
    text = str(STAGE_PUBLIC_TEXT.get(stage, ""))
    detail = STAGE_PUBLIC_DETAIL.get(stage)
    value = enterprise if stage == LeadStage.CREATED else reason
    if detail is not None and value:
        text = f"{text} {str(detail) % {'reason': value, 'name': value}}"
    return text


def allowed_targets(lead: Lead) -> list[str]:
    """Stages a lead may move to now, in the order of the pipeline.

    Forward one step at a time on the main line; back to any earlier stage; paused or
    abandoned from anywhere; from paused or abandoned back to any stage but `created`
    (an enterprise is recorded with its name, not by a move).
    """
    current = lead.stage
    targets: list[str] = []
    if current in MAIN_STAGES:
        index = MAIN_STAGES.index(current)
        targets.extend(MAIN_STAGES[:index])
        if index + 1 < len(MAIN_STAGES):
            targets.append(MAIN_STAGES[index + 1])
    else:
        targets.extend(s for s in MAIN_STAGES if s != LeadStage.CREATED)
    targets.extend(s for s in (LeadStage.PAUSED, LeadStage.ABANDONED) if s != current)
    return targets


def needs_committee(from_stage: str, to_stage: str) -> bool:
    return COMMITTEE_GATES.get(from_stage) == to_stage


def apply_move(lead: Lead, actor: User, to_stage: str, *, note: str, reason: str = "",
               committee_name: str = "", decision_date: date | None = None,
               decision: str | None = None, document_url: str = "",
               by_committee: bool = False) -> StageChange:
    """Check and apply one move; does not commit (callers commit once).

    `by_committee`: the move records a decision taken on a committee's agenda, which its
    members may record themselves."""
    allowed = (policies.can_sit_on_committee(actor) if by_committee
               else policies.can_run_pipeline(actor))
    if not allowed:
        raise NotAllowed(_("Only the Fabrique's team moves a project lead."))
    problems = Problems()
    if to_stage not in STAGE_LABELS:
        problems.add("to_stage", _("Choose a stage from the list."))
    elif to_stage not in allowed_targets(lead):
        problems.add("to_stage", _("This lead cannot move from “%(from)s” to “%(to)s”.",
                                   **{"from": STAGE_LABELS[lead.stage],
                                      "to": STAGE_LABELS[to_stage]}))
    elif to_stage == LeadStage.CREATED and not lead.enterprise_name:
        problems.add("to_stage", _("Record the enterprise (name, legal form, date) to mark it "
                                   "created."))
    note = check_text(problems, "note", note, NOTE_LENGTH,
                      _("Write the decision note: it is the project's memory."))
    reason = check_text(problems, "reason", reason, TEXT_LENGTH)
    if to_stage == LeadStage.ABANDONED and not reason:
        problems.add("reason", _("Give the reason for abandoning the lead."))
    committee_name = check_text(problems, "committee_name", committee_name, COMMITTEE_NAME_LENGTH)
    decision = decision or None
    if decision is not None:
        check_choice(problems, "decision", decision, Decision, _("Choose go or no-go."))
    document_url = check_url(problems, "document_url", document_url)
    gated = needs_committee(lead.stage, to_stage)
    if gated or decision or committee_name or decision_date:
        if not committee_name and "committee_name" not in problems:
            problems.add("committee_name", _("Name the committee that decided."))
        if decision_date is None:
            problems.add("decision_date", _("Give the date of the committee's decision."))
        if decision is None:
            problems.add("decision", _("Record the committee's decision: go or no-go."))
    if gated and decision == Decision.NO_GO:
        problems.add("decision", _("A no-go decision cannot move the lead forward: pause or "
                                   "abandon it instead."))
    problems.raise_if_any()
    change = StageChange(
        lead=lead, from_stage=lead.stage, to_stage=to_stage, note=note, reason=reason,
        committee_name=committee_name, decision_date=decision_date, decision=decision,
        document_url=document_url, actor_id=actor.id, created_at=utcnow(),
    )
    db.session.add(change)
    lead.stage = to_stage
    lead.stage_changed_at = change.created_at
    return change
