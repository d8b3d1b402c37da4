"""Refusals of offers to carry or contribute, and of their follow-up by the Fabrique."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Lead, Offer, Submission
from portal.services.core.errors import InvalidInput, NotAllowed
from portal.services.leads import offers
from portal.services.leads.rules import OFFER_MESSAGE_LENGTH, takes_offers

from .conftest import user

MESSAGE = "Je connais bien le quartier."


def test_an_unconfirmed_account_cannot_offer(ctx, make):
    need = ctx.get(Submission, make.submission().id)
    with pytest.raises(NotAllowed) as refused:
        offers.offer_on_submission(user(make, verified=False), need, kind="carry",
                                   message=MESSAGE)
    assert refused.value.message == "Confirm your e-mail address before offering your help."


@pytest.mark.parametrize("kind", ["need", "idea", "opportunity"])
def test_every_open_kind_takes_offers(ctx, make, kind):
    submission = ctx.get(Submission, make.submission(kind=kind).id)
    assert takes_offers(submission)
    offers.offer_on_submission(user(make), submission, kind="carry", message=MESSAGE)
    assert ctx.query(Offer).count() == 1


@pytest.mark.parametrize("status", ["pending", "declined", "withdrawn", "merged", "hidden"])
def test_a_closed_contribution_takes_no_offer(ctx, make, status):
    submission = ctx.get(Submission, make.submission(status=status).id)
    assert not takes_offers(submission)
    with pytest.raises(NotAllowed) as refused:
        offers.offer_on_submission(user(make), submission, kind="carry", message=MESSAGE)
    assert refused.value.message == "This contribution does not take offers."


def test_an_offer_refuses_every_field_at_once(ctx, make):
    need = ctx.get(Submission, make.submission().id)
    resident = user(make)
    with pytest.raises(InvalidInput) as refused:
        offers.offer_on_submission(resident, need, kind="boss", message="court")
    assert refused.value.errors == {
        "kind": ["Choose whether you offer to carry or to contribute."],
        "message": [f"Write at least {OFFER_MESSAGE_LENGTH[0]} characters."],
    }
    offers.offer_on_submission(resident, need, kind="carry", message=MESSAGE)
    with pytest.raises(InvalidInput) as refused:
        offers.offer_on_submission(resident, need, kind="contribute", message="")
    assert refused.value.errors == {"message": ["Say in a few words what you could bring.",
                                                "You have already made an offer here."]}


def test_a_private_lead_takes_no_offer(ctx, make, lead_of):
    lead, _moderator = lead_of()
    with pytest.raises(NotAllowed) as refused:
        offers.offer_on_lead(user(make), lead, kind="carry", message=MESSAGE)
    assert refused.value.message == "This project does not take offers."


def test_only_the_team_follows_offers_up_and_only_the_author_shares_the_address(ctx, make,
                                                                               lead_of):
    lead, moderator = lead_of(public=True)
    resident = user(make, display_name="Camille")
    offer = offers.offer_on_lead(resident, lead, kind="carry", message=MESSAGE)
    with pytest.raises(NotAllowed) as refused:
        offers.qualify(offer, lead, user(make, "committee"), "met")
    assert refused.value.message == "Only the Fabrique's team qualifies offers."
    with pytest.raises(NotAllowed) as refused:
        offers.contact(offer, lead, resident, "Pouvons-nous nous voir ?")
    assert refused.value.message == "Only the Fabrique's team contacts residents."
    with pytest.raises(NotAllowed) as refused:
        offers.set_consent(offer, user(make), True)
    assert refused.value.message == "Only the person who made this offer can change this."
    with pytest.raises(InvalidInput) as refused:
        offers.qualify(offer, lead, moderator, "boss")
    assert refused.value.errors == {"status": ["Choose one of the offered answers."]}
    with pytest.raises(InvalidInput) as refused:
        offers.contact(offer, lead, moderator, "Salut")
    assert refused.value.errors == {"text": ["Write at least 10 characters."]}
    with pytest.raises(InvalidInput) as refused:
        offers.contact(offer, lead, moderator, " ")
    assert refused.value.errors == {"text": ["Write your message (at least 10 characters)."]}
    assert ctx.get(Offer, offer.id).status == "new"


def test_a_carrier_no_longer_selected_leaves_the_lead(ctx, make, lead_of):
    lead, moderator = lead_of(public=True)
    resident = user(make, display_name="Camille")
    offer = offers.offer_on_lead(resident, lead, kind="carry", message=MESSAGE)
    offers.qualify(offer, lead, moderator, "selected")
    assert db.session.get(Lead, lead.id).carrier_name == "Camille"
    offers.contact(offer, lead, moderator, "Pouvons-nous nous voir ?")
    offers.qualify(offer, lead, moderator, "not_retained")
    assert db.session.get(Lead, lead.id).carrier_name == ""
    assert ctx.get(Offer, offer.id).status == "not_retained"


def test_a_created_or_abandoned_project_takes_no_more_offers(ctx, make, lead_of):
    from portal.services.leads import pipeline

    lead, moderator = lead_of(public=True)
    pipeline.move(lead, moderator, "abandoned", note="Fin", reason="Plus de local")
    with pytest.raises(NotAllowed) as refused:
        offers.offer_on_lead(user(make), lead, kind="carry", message=MESSAGE)
    assert refused.value.message == "This project does not take offers."
