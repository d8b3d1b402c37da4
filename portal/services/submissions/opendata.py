"""What the portal publishes as open data, in one place: the API, the exports and the feeds
all show a submission or a lead through these functions, so nothing private can leak from one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Lead, LeadSubmission, Submission
from ..core import reference
from ..core.links import public_url

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

#: Columns of the submissions export, in order (documented on the open data page).
SUBMISSION_COLUMNS = ("id", "kind", "status", "title", "body", "territory_code",
                      "territory_name", "theme_code", "target_public", "author_display_name",
                      "support_count", "comment_count", "public_answer", "created_at",
                      "published_at", "lead_id", "url")
#: Columns of the leads export; fiche sections appear only when the lead made them public.
LEAD_COLUMNS = ("id", "title", "summary", "stage", "territory_code", "territory_name",
                "theme_code", "need", "existing_offers", "economic_model", "carrier_profile",
                "budget", "enterprise_name", "enterprise_legal_form", "enterprise_created_on",
                "source_submission_ids", "updated_at", "url")
SECTION_OF_FIELD = {"need": "need", "existing_offers": "existing", "economic_model": "model",
                    "carrier_profile": "carrier_profile", "budget": "budget",
                    "enterprise_name": "outcome", "enterprise_legal_form": "outcome",
                    "enterprise_created_on": "outcome"}


def _iso(value) -> str | None:
    return value.isoformat() + ("Z" if hasattr(value, "hour") else "") if value else None


def lead_ids_by_submission(submission_ids: list[int]) -> dict[int, int]:
    from ...models import LeadSubmission

    if not submission_ids:
        return {}
    rows = db.session.execute(select(LeadSubmission.submission_id, LeadSubmission.lead_id)
                              .join(Lead, Lead.id == LeadSubmission.lead_id)
                              .where(LeadSubmission.submission_id.in_(submission_ids),
                                     Lead.is_public.is_(True)))
    return dict(rows.all())


def lead_stages_by_submission(submission_ids: list[int]) -> dict[int, str]:
    """The stage of the lead each submission fed, public or not (for its forwarding partner)."""
    from ...models import LeadSubmission

    if not submission_ids:
        return {}
    rows = db.session.execute(select(LeadSubmission.submission_id, Lead.stage)
                              .join(Lead, Lead.id == LeadSubmission.lead_id)
                              .where(LeadSubmission.submission_id.in_(submission_ids)))
    return dict(rows.all())


def submission_record(submission: Submission, lead_id: int | None = None) -> dict:
    return {
        "id": submission.id, "kind": submission.kind, "status": submission.status,
        "title": submission.title, "body": submission.body,
        "territory_code": submission.territory.code, "territory_name": submission.territory.name,
        "theme_code": submission.theme.code, "target_public": submission.target_public,
        "author_display_name": submission.public_author_name,
        "support_count": submission.support_count, "comment_count": submission.comment_count,
        "public_answer": submission.public_answer, "created_at": _iso(submission.created_at),
        "published_at": _iso(submission.published_at), "lead_id": lead_id,
        "url": public_url("submissions.detail", submission_id=submission.id),
    }


def public_leads() -> list[Lead]:
    return list(db.session.scalars(
        select(Lead).where(Lead.is_public.is_(True))
        .options(joinedload(Lead.territory), joinedload(Lead.theme),
                 selectinload(Lead.links).joinedload(LeadSubmission.submission))
        .order_by(Lead.id)).unique())


def lead_record(lead: Lead) -> dict:
    record = {
        "id": lead.id, "title": lead.title, "summary": lead.summary, "stage": lead.stage,
        "territory_code": lead.territory.code, "territory_name": lead.territory.name,
        "theme_code": lead.theme.code,
        "source_submission_ids": [s.id for s in lead.submissions if s.is_open],
        "updated_at": _iso(lead.updated_at),
        "url": public_url("projects.detail", lead_id=lead.id),
    }
    for field, section in SECTION_OF_FIELD.items():
        value = getattr(lead, field)
        record[field] = (_iso(value) if field == "enterprise_created_on" else value) \
            if lead.shows(section) and value else None
    return {column: record[column] for column in LEAD_COLUMNS}


def feed_query(territory_id: int | None = None, theme_id: int | None = None,
               kind: str | None = None) -> dict[str, str]:
    """The query of the Atom feed that follows a listing's filters (codes, not ids), so each
    filtered listing advertises its own feed."""
    query = {}
    place = reference.place(territory_id) if territory_id else None
    theme = reference.theme(theme_id) if theme_id else None
    if place:
        query["territoire"] = place.code
    if theme:
        query["thematique"] = theme.code
    if kind:
        query["type"] = kind
    return {key: value for key, value in query.items() if value}
