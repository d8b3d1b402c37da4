"""Partner organisations and what they forward: orphan opportunities, and needs met by relays."""
from __future__ import annotations

from flask import current_app
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
    Territory,
    Theme,
    User,
)
from ..accounts import notifications
from ..core import audit
from ..core.errors import InvalidInput, NotAllowed, Problems, check_length
from ..submissions.posting import apply_content
from ..submissions.rules import BODY_LENGTH, TITLE_LENGTH
from . import rules, webhooks
from .rules import ORGANISATION_NAME_LENGTH


def create_organisation(admin: User, name: str, kind: str,
                        territory_id: int | None) -> PartnerOrganisation:
    if not policies.can_administer(admin):
        raise NotAllowed(_("Only administrators can do this."))
    problems = Problems()
    name = check_length(problems, "name", name, ORGANISATION_NAME_LENGTH)
    if "name" not in problems and db.session.scalar(select(PartnerOrganisation.id).where(
            PartnerOrganisation.name == name)):
        problems.add("name", _("An organisation already has this name."))
    if kind not in set(OrganisationKind):
        problems.add("kind", _("Choose one of the offered kinds."))
    if territory_id is not None and db.session.get(Territory, territory_id) is None:
        problems.add("territory", _("Choose a territory from the list."))
    problems.raise_if_any()
    organisation = PartnerOrganisation(name=name, kind=kind, territory_id=territory_id,
                                       webhook_secret=webhooks.new_secret())
    db.session.add(organisation)
    db.session.flush()
    audit.record(admin, "organisation_create", organisation, {}, {"name": organisation.name,
                                                                  "kind": kind})
    db.session.commit()
    return organisation


def organisations() -> list[PartnerOrganisation]:
    return list(db.session.scalars(select(PartnerOrganisation).order_by(PartnerOrganisation.name)))


def members(organisation: PartnerOrganisation) -> list[User]:
    """The accounts that forward for this organisation."""
    return list(db.session.scalars(select(User).where(
        User.partner_organisation_id == organisation.id).order_by(User.display_name)))


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


def set_webhook(user: User, organisation: PartnerOrganisation, url: str) -> str | None:
    """Save the address. When the webhook is made (no address before), a new signing secret is
    made too and returned, to be shown once; otherwise None (the secret stays)."""
    if not policies.belongs_to(user, organisation):
        raise NotAllowed(_("You cannot change this organisation's settings."))
    url = url.strip()
    if url:
        webhooks.check_url(url)
    made = bool(url) and not organisation.webhook_url
    before = {"webhook_url": organisation.webhook_url}
    organisation.webhook_url = url or None
    if made:
        organisation.webhook_secret = webhooks.new_secret()
        organisation.webhook_previous_secret = organisation.webhook_previous_secret_until = None
    audit.record(user, "webhook_change", organisation, before,
                 {"webhook_url": organisation.webhook_url, "new_secret": made})
    db.session.commit()
    return organisation.webhook_secret if made else None


def forward(organisation: PartnerOrganisation, author: User | None, *, title: str,
            description: str, territory_id: int | None, theme_id: int | None,
            reference: str | None = None, contact: str | None = None,
            possible_partners: str | None = None, kind: str = SubmissionKind.OPPORTUNITY,
            gathering_method: str | None = None,
            people_count: int | None = None) -> tuple[Submission, bool]:
    """Forward an item into moderation. Every field is checked here, whoever calls (API, partner
    form), and one InvalidInput lists every failed field. The same reference with the
    same content returns the first item (created is False), even when two requests race: the
    unique constraint decides, and a SAVEPOINT undoes only the refused insert, not the caller's
    session. Another content under a used reference raises ReferenceTaken (409). The forwarding
    account (through the API: every account of the organisation) follows the item like an
    author."""
    problems = Problems()
    title = check_length(problems, "title", title, TITLE_LENGTH)
    description = check_length(problems, "description", description, BODY_LENGTH)
    reference = check_length(problems, "reference", reference, rules.REFERENCE_LENGTH,
                             required=False) or None
    contact = check_length(problems, "contact", contact, rules.CONTACT_LENGTH,
                           required=False) or None
    possible_partners = check_length(problems, "possible_partners", possible_partners,
                                     rules.POSSIBLE_PARTNERS_LENGTH, required=False) or None
    if territory_id is None or db.session.get(Territory, territory_id) is None:
        problems.add("territory", _("Choose a territory from the list."))
    if theme_id is None or db.session.get(Theme, theme_id) is None:
        problems.add("theme", _("Choose a theme from the list."))
    if kind not in (SubmissionKind.OPPORTUNITY, SubmissionKind.NEED):
        problems.add("kind", _("Choose one of the offered kinds."))
    if gathering_method is not None and gathering_method not in rules.GATHERING_METHODS:
        problems.add("gathering_method", _("Choose one of the offered answers."))
    low, high = rules.PEOPLE_COUNT
    if people_count is not None and not low <= people_count <= high:
        problems.add("people_count", _("A whole number from %(low)d to %(high)d.",
                                       low=low, high=high))
    problems.raise_if_any()
    sent = {"title": title, "body": description, "territory_id": territory_id,
            "theme_id": theme_id, "contact": contact, "possible_partners": possible_partners,
            "kind": kind, "gathering_method": gathering_method, "people_count": people_count}
    if reference:
        existing = _by_reference(organisation, reference)
        if existing is not None:
            return _same_or_refuse(existing, sent), False
    source = (SubmissionSource.RELAY if organisation.kind == OrganisationKind.RELAY
              else SubmissionSource.PARTNER)
    submission = Submission(kind=kind, author_id=author.id if author else None, source=source,
                            status=SubmissionStatus.PENDING,
                            partner_organisation_id=organisation.id,
                            external_reference=reference, contact=contact,
                            possible_partners=possible_partners,
                            gathering_method=gathering_method, people_count=people_count)
    apply_content(submission, editor=author, title=title, body=description,
                  territory_id=territory_id, theme_id=theme_id, target_public=None,
                  author_offer="none")
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        existing = _by_reference(organisation, reference) if reference else None
        if existing is None:
            raise
        return _same_or_refuse(existing, sent), False
    # The forwarding account hears of it like an author; through the API, the organisation's
    # accounts do.
    for account in [author] if author is not None else members(organisation):
        notifications.follow(account, submission)
    db.session.commit()
    return submission, True


class ReferenceTaken(InvalidInput):
    """The organisation already forwarded another content under this reference."""

    status = 409

    def __init__(self, existing: Submission):
        super().__init__(_("This reference was already used for another item (number "
                           "%(id)d, “%(title)s”): give a new reference, or send the same "
                           "content again.", id=existing.id, title=existing.title),
                         field="reference")
        self.item_id = existing.id


def _same_or_refuse(existing: Submission, sent: dict) -> Submission:
    """Sending the same reference with the same content again returns the first item; another
    content under a used reference is refused, never silently dropped."""
    if any(getattr(existing, name) != value for name, value in sent.items()):
        raise ReferenceTaken(existing)
    return existing


def _by_reference(organisation: PartnerOrganisation, reference: str) -> Submission | None:
    return db.session.scalar(select(Submission).where(
        Submission.partner_organisation_id == organisation.id,
        Submission.external_reference == reference))


def _items_query(organisation: PartnerOrganisation, updated_since=None):
    query = select(Submission).where(Submission.partner_organisation_id == organisation.id)
    if updated_since is not None:
        query = query.where(Submission.updated_at > updated_since)
    return query.order_by(Submission.id.desc())


def items(organisation: PartnerOrganisation, updated_since=None, limit: int = 200):
    return db.session.scalars(_items_query(organisation, updated_since).limit(limit)).all()


def items_page(organisation: PartnerOrganisation, updated_since=None, page: int = 1):
    """One page of the organisation's items, the newest first, as the API's listing gives them.
    The order is by id, which never changes: an item forwarded while a client pages through the
    list pushes the others one place on (a repeat on the next page), it never hides one."""
    return db.paginate(_items_query(organisation, updated_since), page=page,
                       per_page=current_app.config["PER_PAGE"], error_out=False)
