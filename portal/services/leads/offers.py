"""Offers to carry or to contribute, and how the Fabrique follows them up."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ... import policies
from ...extensions import db
from ...models import (
    Lead,
    LeadSubmission,
    Offer,
    OfferKind,
    OfferStatus,
    Submission,
    User,
    utcnow,
)
from ..core import audit, outbox
from ..core.errors import NotAllowed, Problems
from ..core.links import public_url
from .rules import (
    CONTACT_LENGTH,
    OFFER_MESSAGE_LENGTH,
    check_choice,
    check_text,
    lead_takes_offers,
    takes_offers,
)


def _check(user: User, kind: str, message: str, *, open_: bool,
           closed: str) -> tuple[str, Problems]:
    """Who may offer, whether the place takes offers, then every field at once."""
    if not policies.can_offer_help(user):
        raise NotAllowed(_("Confirm your e-mail address before offering your help."))
    if not open_:
        raise NotAllowed(closed)
    problems = Problems()
    check_choice(problems, "kind", kind, OfferKind,
                 _("Choose whether you offer to carry or to contribute."))
    message = check_text(problems, "message", message, OFFER_MESSAGE_LENGTH,
                         _("Say in a few words what you could bring."))
    return message, problems


def offer_on_submission(user: User, submission: Submission, *, kind: str, message: str) -> Offer:
    message, problems = _check(user, kind, message, open_=takes_offers(submission),
                               closed=_("This contribution does not take offers."))
    if offers_of(user, submission=submission):
        problems.add("message", _("You have already made an offer here."))
    problems.raise_if_any()
    lead_id = db.session.scalar(select(LeadSubmission.lead_id).where(
        LeadSubmission.submission_id == submission.id))
    offer = Offer(user_id=user.id, submission_id=submission.id, lead_id=lead_id, kind=kind,
                  message=message, status=OfferStatus.NEW)
    db.session.add(offer)
    db.session.commit()
    return offer


def offer_on_lead(user: User, lead: Lead, *, kind: str, message: str) -> Offer:
    message, problems = _check(user, kind, message, open_=lead_takes_offers(lead),
                               closed=_("This project does not take offers."))
    if offers_of(user, lead=lead):
        problems.add("message", _("You have already made an offer here."))
    problems.raise_if_any()
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
    problems = Problems()
    check_choice(problems, "status", status, OfferStatus)
    problems.raise_if_any()
    before = {"offer_status": offer.status, "carrier": lead.carrier_name}
    offer.status = status
    offer.lead_id = lead.id
    if status == OfferStatus.SELECTED and offer.kind == OfferKind.CARRY:
        lead.carrier_name = offer.user.display_name
    elif lead.carrier_name == offer.user.display_name and status != OfferStatus.SELECTED:
        lead.carrier_name = ""
    audit.record_changes(actor, "offer_status", lead, before,
                         {"offer_status": offer.status, "carrier": lead.carrier_name})
    db.session.commit()
    return offer


def contact(offer: Offer, lead: Lead, actor: User, text: str) -> Offer:
    """Mail the resident through the portal: the Fabrique writes, the address stays hidden."""
    if not policies.can_run_pipeline(actor):
        raise NotAllowed(_("Only the Fabrique's team contacts residents."))
    problems = Problems()
    text = check_text(problems, "text", text, CONTACT_LENGTH,
                      _("Write your message (at least 10 characters)."))
    problems.raise_if_any()
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
    audit.record(actor, "offer_contact", lead, {}, {"resident": user.display_name})
    db.session.commit()
    return offer
