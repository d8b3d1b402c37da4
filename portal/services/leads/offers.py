"""Offers to carry or to contribute, and how the Fabrique follows them up."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ... import policies
from ...extensions import db
from ...models import (
    OPEN_STATUSES,
    Lead,
    LeadSubmission,
    Offer,
    OfferKind,
    OfferStatus,
    Submission,
    SubmissionKind,
    User,
    utcnow,
)
from ..core import outbox
from ..core.errors import InvalidInput, NotAllowed
from ..core.links import public_url


def _check(user: User, kind: str, message: str) -> str:
    if not policies.can_offer_help(user):
        raise NotAllowed(_("Confirm your e-mail address before offering your help."))
    if kind not in set(OfferKind):
        raise InvalidInput(_("Choose whether you offer to carry or to contribute."), field="kind")
    message = (message or "").strip()
    if len(message) < 10:
        raise InvalidInput(_("Say in a few words what you could bring."), field="message")
    return message


def offer_on_submission(user: User, submission: Submission, *, kind: str, message: str) -> Offer:
    message = _check(user, kind, message)
    if submission.kind not in (SubmissionKind.NEED, SubmissionKind.IDEA,
                               SubmissionKind.OPPORTUNITY) or submission.status not in OPEN_STATUSES:
        raise NotAllowed(_("This contribution does not take offers."))
    if offers_of(user, submission=submission):
        raise InvalidInput(_("You have already made an offer here."), field="message")
    lead_id = db.session.scalar(select(LeadSubmission.lead_id).where(
        LeadSubmission.submission_id == submission.id))
    offer = Offer(user_id=user.id, submission_id=submission.id, lead_id=lead_id, kind=kind,
                  message=message, status=OfferStatus.NEW)
    db.session.add(offer)
    db.session.commit()
    return offer


def offer_on_lead(user: User, lead: Lead, *, kind: str, message: str) -> Offer:
    message = _check(user, kind, message)
    if not lead.is_public:
        raise NotAllowed(_("This project does not take offers."))
    if offers_of(user, lead=lead):
        raise InvalidInput(_("You have already made an offer here."), field="message")
    offer = Offer(user_id=user.id, lead_id=lead.id, kind=kind, message=message,
                  status=OfferStatus.NEW)
    db.session.add(offer)
    db.session.commit()
    return offer


def offers_for_lead(lead: Lead) -> list[Offer]:
    """Offers made on the lead itself or on any of its source submissions."""
    source_ids = select(LeadSubmission.submission_id).where(LeadSubmission.lead_id == lead.id)
    return db.session.scalars(select(Offer).where(or_(
        Offer.lead_id == lead.id, Offer.submission_id.in_(source_ids))).order_by(Offer.id)).all()


def offers_of(user: User, *, lead: Lead | None = None,
              submission: Submission | None = None) -> list[Offer]:
    if user is None or not user.is_authenticated:
        return []
    query = select(Offer).where(Offer.user_id == user.id).order_by(Offer.id)
    if lead is not None:
        query = query.where(Offer.lead_id == lead.id)
    if submission is not None:
        query = query.where(Offer.submission_id == submission.id)
    return db.session.scalars(query).all()


def set_consent(offer: Offer, user: User, consent: bool) -> Offer:
    """Only the resident decides whether the Fabrique may see their e-mail address."""
    if offer.user_id != user.id:
        raise NotAllowed(_("Only the person who made this offer can change this."))
    offer.contact_consent = consent
    db.session.commit()
    return offer


def belongs_to(offer: Offer, lead: Lead) -> bool:
    return offer in offers_for_lead(lead)


def qualify(offer: Offer, lead: Lead, actor: User, status: str) -> Offer:
    """Moves an offer along new, contacted, met, selected or not retained. Selecting a carrier
    records it on the lead."""
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team qualifies offers."))
    if status not in set(OfferStatus):
        raise InvalidInput(_("Choose one of the offered answers."), field="status")
    offer.status = status
    offer.lead_id = lead.id
    if status == OfferStatus.SELECTED and offer.kind == OfferKind.CARRY:
        lead.carrier_name = offer.user.display_name
    elif lead.carrier_name == offer.user.display_name and status != OfferStatus.SELECTED:
        lead.carrier_name = ""
    db.session.commit()
    return offer


def contact(offer: Offer, lead: Lead, actor: User, text: str) -> Offer:
    """Mail the resident through the portal: the Fabrique writes, the address stays hidden."""
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team contacts residents."))
    text = (text or "").strip()
    if len(text) < 10:
        raise InvalidInput(_("Write your message (at least 10 characters)."), field="text")
    if offer.status == OfferStatus.NEW:
        offer.status = OfferStatus.CONTACTED
    offer.contacted_at = utcnow()
    user = offer.user
    link = (public_url("projects.detail", lead_id=lead.id) if lead.is_public
            else public_url("submissions.detail", submission_id=offer.submission_id)
            if offer.submission_id else None)
    outbox.queue_mail(user.email, _l("The Fabrique à initiatives about your offer"),
                      "offer_contact", locale=user.locale, user=user, sender=actor.display_name,
                      lead=lead, text=text, link=link)
    db.session.commit()
    return offer
