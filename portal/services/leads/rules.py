"""The rules of project leads in one place: the bounds of what is typed (the use cases check them,
the forms repeat them), which contributions may become a lead or take offers, and how far a lead
went. Who may act is in `portal.policies`."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlparse

from flask_babel import gettext as _

from ...models import (
    MAIN_STAGES,
    OPEN_STATUSES,
    Lead,
    LeadStage,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from ..core.errors import Problems, check_length

#: (minimum, maximum) characters; a minimum of 0 means the text may stay empty.
LEAD_TITLE_LENGTH = (1, 160)
SUMMARY_LENGTH = (1, 5000)
NAME_LENGTH = (1, 160)  # a partner, an enterprise, a committee meeting, a workshop's place
COMMITTEE_NAME_LENGTH = (0, 160)  # on a move: required only when a committee decided
SHORT_TEXT_LENGTH = (0, 160)  # for whom
LEGAL_FORM_LENGTH = (1, 80)
COMMITMENT_LENGTH = (0, 1000)
TEXT_LENGTH = (0, 5000)
LONG_TEXT_LENGTH = (0, 10000)
NOTE_LENGTH = (1, 5000)  # a decision note: the project's memory
REASON_LENGTH = (1, 2000)  # why a mistaken lead is deleted
URL_LENGTH = (0, 500)
CONTACT_LENGTH = (10, 5000)  # the Fabrique's message to a resident who offered help
OFFER_MESSAGE_LENGTH = (10, 2000)  # a resident's offer to carry or contribute
#: (minimum, maximum) participants of a workshop.
PARTICIPANTS_RANGE = (0, 100_000)

#: The texts of a lead's fiche and their bounds.
FICHE_LENGTHS = {
    "title": LEAD_TITLE_LENGTH,
    "summary": SUMMARY_LENGTH,
    "need": LONG_TEXT_LENGTH,
    "target_public": SHORT_TEXT_LENGTH,
    "existing_offers": LONG_TEXT_LENGTH,
    "economic_model": LONG_TEXT_LENGTH,
    "carrier_profile": TEXT_LENGTH,
    "budget": TEXT_LENGTH,
    "notes": LONG_TEXT_LENGTH,
}
FICHE_FIELDS = (*FICHE_LENGTHS, "origin")

#: Statuses a submission may have to become part of a lead.
CONVERTIBLE_STATUSES = (SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY)
#: Kinds of submission a resident may offer to carry or to contribute to.
OFFERABLE_KINDS = (SubmissionKind.NEED, SubmissionKind.IDEA, SubmissionKind.OPPORTUNITY)


def can_become_lead(submission: Submission) -> bool:
    """A published or studied contribution may become (part of) a project lead."""
    return submission.status in CONVERTIBLE_STATUSES


def can_feed_new_lead(submission: Submission, current: Lead | None) -> bool:
    """A contribution in no lead may become one when it is published or studied; one whose lead
    was abandoned may feed a new lead (it then leaves the abandoned one)."""
    if current is None:
        return can_become_lead(submission)
    return current.stage == LeadStage.ABANDONED


def takes_offers(submission: Submission) -> bool:
    """Residents may offer to carry or contribute to an open need, idea or opportunity."""
    return submission.kind in OFFERABLE_KINDS and submission.status in OPEN_STATUSES


#: Stages where a project no longer looks for a carrier or help.
CLOSED_STAGES = (LeadStage.CREATED, LeadStage.ABANDONED)


def lead_takes_offers(lead: Lead) -> bool:
    """A lead takes offers while it is shown publicly and neither created nor abandoned."""
    return bool(lead.is_public) and lead.stage not in CLOSED_STAGES


def furthest_stage_index(lead: Lead, reached_stages: Iterable[str]) -> int:
    """Index in MAIN_STAGES of the furthest stage the lead ever reached: its current stage or
    any stage its history moved it to (a paused or abandoned lead keeps how far it went)."""
    indexes = [MAIN_STAGES.index(stage) for stage in (lead.stage, *reached_stages)
               if stage in MAIN_STAGES]
    return max(indexes, default=0)


def check_text(problems: Problems, field: str, value: str | None, bounds: tuple[int, int],
               missing: str | None = None) -> str:
    """`check_length`, with the message `missing` when a required text is left empty."""
    text = (value or "").strip()
    if not text and bounds[0] > 0 and missing is not None:
        problems.add(field, missing)
        return text
    return check_length(problems, field, text, bounds, required=bounds[0] > 0)


def check_url(problems: Problems, field: str, value: str | None) -> str:
    """An optional link to a document: empty, or an http(s) address."""
    url = check_length(problems, field, value, URL_LENGTH, required=False)
    if url and field not in problems:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.add(field, _("Give a web address starting with https://."))
    return url


def check_choice(problems: Problems, field: str, value: str | None, allowed: Iterable[str],
                 message: str | None = None) -> str | None:
    """`value` must be one of `allowed`."""
    if value not in set(allowed):
        problems.add(field, message or _("Choose one of the offered answers."))
    return value
