"""Offers to carry or contribute: made by residents, followed up by the Fabrique."""
from __future__ import annotations

from portal.extensions import db
from portal.models import Lead, Offer

from .lead_pages import french, text_of


def offer(client, url, kind="carry", message="Je suis infirmière retraitée, je peux porter."):
    return client.post(url, data={"offer-kind": kind, "offer-message": message})


def test_a_resident_offers_on_a_published_need(client, auth, resident, make, app):
    need = make.submission()
    auth.login(resident)
    page = client.get(f"/contributions/{need.id}")
    assert 'name="offer-message"' in page.text
    response = offer(client, f"/projets/contribution/{need.id}/proposer")
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.query(Offer).one()
        assert saved.user_id == resident.id and saved.status == "new"
        assert not saved.contact_consent


def test_visitors_and_bad_offers(client, auth, resident, make, app):
    need = make.submission()
    pending = make.submission(status="pending")
    assert offer(client, f"/projets/contribution/{need.id}/proposer").status_code == 302
    auth.login(resident)
    response = offer(client, f"/projets/contribution/{need.id}/proposer", kind="boss",
                     message="Je connais bien le quartier et ses habitants.")
    # The submission's page again, with the error and what was typed.
    assert response.status_code == 422 and "Personnes" not in response.headers.get("Location", "")
    assert "Je connais bien le quartier et ses habitants." in response.text
    assert 'id="offer"' in response.text
    assert offer(client, f"/projets/contribution/{pending.id}/proposer").status_code == 404
    assert offer(client, "/projets/contribution/999999/proposer").status_code == 404
    private = make.lead()
    assert offer(client, f"/projets/{private.id}/proposer").status_code == 404
    public = make.lead(public=True)
    response = offer(client, f"/projets/{public.id}/proposer", message="court")
    assert response.status_code == 422 and "court" in response.text
    with app.app_context():
        assert db.session.query(Offer).count() == 0


def test_the_email_stays_private_until_the_resident_agrees(client, auth, resident, moderator,
                                                           make, app, outbox):
    lead = make.lead(moderator=moderator, public=True)
    auth.login(resident)
    offer(client, f"/projets/{lead.id}/proposer")
    auth.logout()
    auth.login(moderator)
    page = client.get(f"/pistes/{lead.id}")
    assert "Camille" in page.text and resident.email not in page.text
    with app.app_context():
        offer_id = db.session.query(Offer).one().id
    response = client.post(f"/pistes/{lead.id}/offres/{offer_id}/contact",
                           data={f"offer{offer_id}-text": "Pouvons-nous nous rencontrer ?"})
    assert response.status_code == 302
    mail = outbox.messages(resident.email)[-1]
    assert "Pouvons-nous nous rencontrer" in mail.get_content()
    assert moderator.email not in mail.get_content()
    with app.app_context():
        assert db.session.get(Offer, offer_id).status == "contacted"
    auth.logout()
    auth.login(make.user())
    assert client.post(f"/projets/offres/{offer_id}/consentement",
                       data={"consent": "yes"}).status_code == 404
    auth.logout()
    auth.login(resident)
    assert client.post(f"/projets/offres/{offer_id}/consentement",
                       data={"consent": "yes"}).status_code == 302
    auth.logout()
    auth.login(moderator)
    assert resident.email in client.get(f"/pistes/{lead.id}").text


def test_selecting_a_carrier_records_it_on_the_lead(client, auth, resident, moderator, make, app):
    need = make.submission()
    lead = make.lead([need], moderator)
    auth.login(resident)
    offer(client, f"/projets/contribution/{need.id}/proposer")
    auth.logout()
    auth.login(moderator)
    with app.app_context():
        offer_id = db.session.query(Offer).one().id
    for status in ("met", "selected"):
        assert client.post(f"/pistes/{lead.id}/offres/{offer_id}/statut",
                           data={f"status{offer_id}-status": status}).status_code == 302
    with app.app_context():
        assert db.session.get(Lead, lead.id).carrier_name == "Camille"
    response = client.post(f"/pistes/{lead.id}/offres/{offer_id}/statut",
                           data={f"status{offer_id}-status": "boss"})
    assert response.status_code == 422 and "pas un choix valide" in response.text
    other = make.lead(moderator=moderator)
    assert client.post(f"/pistes/{other.id}/offres/{offer_id}/statut",
                       data={f"status{offer_id}-status": "met"}).status_code == 404


def test_one_offer_per_resident_and_place(client, auth, resident, make, app):
    need = make.submission()
    lead = make.lead(public=True)
    auth.login(resident)
    offer(client, f"/projets/contribution/{need.id}/proposer")
    offer(client, f"/projets/contribution/{need.id}/proposer", kind="contribute")
    offer(client, f"/projets/{lead.id}/proposer")
    again = offer(client, f"/projets/{lead.id}/proposer")
    assert again.status_code == 422
    assert french(app, "You have already made an offer here.") in text_of(again)
    again = offer(client, f"/projets/contribution/{need.id}/proposer", kind="contribute")
    assert again.status_code == 422
    assert french(app, "You have already made an offer here.") in text_of(again)
    with app.app_context():
        assert db.session.query(Offer).count() == 2


def test_a_declined_contribution_takes_no_offer(client, auth, resident, moderator, make, app):
    from portal.models import Submission
    from portal.services.submissions.posting import decline

    need = make.submission()
    with app.app_context():
        decline(db.session.get(Submission, need.id), db.session.get(type(moderator), moderator.id),
                "Déjà proposé par le CCAS.")
    auth.login(resident)
    page = client.get(f"/contributions/{need.id}")
    assert page.status_code == 200 and 'name="offer-message"' not in page.text
    refused = offer(client, f"/projets/contribution/{need.id}/proposer")
    assert refused.status_code == 403
    assert french(app, "This contribution does not take offers.") in text_of(refused)
    with app.app_context():
        assert db.session.query(Offer).count() == 0


def test_an_opportunity_takes_offers_like_a_need_or_an_idea(client, auth, resident, make):
    opportunity = make.submission(kind="opportunity")
    auth.login(resident)
    page = client.get(f"/contributions/{opportunity.id}")
    assert 'name="offer-message"' in page.text
    assert offer(client, f"/projets/contribution/{opportunity.id}/proposer").status_code == 302
