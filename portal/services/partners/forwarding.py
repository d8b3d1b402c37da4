"""Partner organisations and what they forward: orphan opportunities, and needs met by relays."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import policies
from ...extensions import db
from ...models import (
    OrganisationKind,
    PartnerOrganisation,
    Role,
    Submission,
    SubmissionKind,
    SubmissionSource,
    SubmissionStatus,
    User,
)
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed
from ..submissions.posting import apply_content
from . import webhooks

GATHERING_METHODS = ("workshop", "questionnaire", "street_stand", "meeting", "other")


def create_organisation(admin: User, name: str, kind: str,
                        territory_id: int | None) -> PartnerOrganisation:
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    if kind not in set(OrganisationKind):
        raise InvalidInput(_("Choose one of the offered kinds."), field="kind")
    if db.session.scalar(select(PartnerOrganisation.id).where(
            PartnerOrganisation.name == name.strip())):
        raise InvalidInput(_("An organisation already has this name."), field="name")
    organisation = PartnerOrganisation(name=name.strip(), kind=kind, territory_id=territory_id,
                                       webhook_secret=secrets.token_urlsafe(24))
    db.session.add(organisation)
    db.session.flush()
    audit.record(admin, "organisation_create", organisation, {}, {"name": organisation.name,
                                                                  "kind": kind})
    db.session.commit()
    return organisation


def attach_user(admin: User, organisation: PartnerOrganisation, email: str) -> User:
    """Give an existing account the partner role within this organisation."""
    from ..accounts.access import find_by_email

    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    user = find_by_email(email)
    if user is None:
        raise InvalidInput(_("No account uses this address: ask the person to register first."),
                           field="email")
    before = {"role": user.role, "organisation": user.partner_organisation_id}
    user.partner_organisation_id = organisation.id
    if user.role == Role.RESIDENT:
        user.role = Role.PARTNER
    audit.record(admin, "role_change", user, before, {"role": user.role,
                                                      "organisation": organisation.id})
    db.session.commit()
    return user


def set_webhook(user: User, organisation: PartnerOrganisation, url: str) -> None:
    if not policies.belongs_to(user, organisation):
        raise NotAllowed(_("You cannot change this organisation's settings."))
    url = url.strip()
    if url:
        webhooks.check_url(url)
    organisation.webhook_url = url or None
    db.session.commit()


def forward(organisation: PartnerOrganisation, author: User | None, *, title: str,
            description: str, territory_id: int, theme_id: int, reference: str | None = None,
            contact: str | None = None, possible_partners: str | None = None,
            kind: str = SubmissionKind.OPPORTUNITY, gathering_method: str | None = None,
            people_count: int | None = None) -> tuple[Submission, bool]:
    """Forward an item into moderation. The same reference twice returns the first item
    (created is False), even when two requests race."""
    reference = (reference or "").strip() or None
    if reference:
        existing = _by_reference(organisation, reference)
        if existing is not None:
            return existing, False
    if kind not in (SubmissionKind.OPPORTUNITY, SubmissionKind.NEED):
        raise InvalidInput(_("Choose one of the offered kinds."), field="kind")
    if gathering_method is not None and gathering_method not in GATHERING_METHODS:
        raise InvalidInput(_("Choose one of the offered answers."), field="gathering_method")
    source = (SubmissionSource.RELAY if organisation.kind == OrganisationKind.RELAY
              else SubmissionSource.PARTNER)
    submission = Submission(kind=kind, author_id=author.id if author else None, source=source,
                            status=SubmissionStatus.PENDING,
                            partner_organisation_id=organisation.id,
                            external_reference=reference, contact=(contact or "").strip() or None,
                            possible_partners=(possible_partners or "").strip() or None,
                            gathering_method=gathering_method, people_count=people_count)
    apply_content(submission, editor=author, title=title, body=description,
                  territory_id=territory_id, theme_id=theme_id, target_public=None,
                  author_offer="none")
    db.session.add(submission)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _by_reference(organisation, reference) if reference else None
        if existing is None:
            raise
        return existing, False
    return submission, True


def _by_reference(organisation: PartnerOrganisation, reference: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(
        Submission.partner_organisation_id == organisation.id,
        Submission.external_reference == reference))


def items(organisation: PartnerOrganisation, updated_since=None, limit: int = 200):
    query = select(Submission).where(Submission.partner_organisation_id == organisation.id)
    if updated_since is not None:
        query = query.where(Submission.updated_at > updated_since)
    return db.session.scalars(query.order_by(Submission.id.desc()).limit(limit)).all()
