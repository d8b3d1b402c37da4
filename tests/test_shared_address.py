"""Residents who share one address (a social centre, a school's wifi, a carrier's NAT) are not
locked out by each other: a logged-in resident is limited per account, anonymous requests per
address with room for a whole group; a partner signs up the residents it meets."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AuditEntry, User
from portal.services.accounts import access
from portal.services.core.errors import NotAllowed

from .conftest import Auth
from .test_partners import create_organisation

FLAGS_PER_HOUR = 30  # portal/submissions/views.py


def test_one_residents_actions_do_not_use_up_a_neighbours_allowance(app, make):
    """Two residents behind one address: the first meets the report limit, the second still
    reports (on main both shared the address's 30 reports an hour)."""
    submission = make.submission()
    first, second = make.user(), make.user()
    first_client, second_client = app.test_client(), app.test_client()
    Auth(first_client).login(first)
    Auth(second_client).login(second)
    url = f"/contributions/{submission.id}/signaler"
    statuses = [first_client.post(url, data={"reason": "spam"}).status_code
                for _ in range(FLAGS_PER_HOUR + 1)]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]
    answer = second_client.post(url, data={"reason": "spam"}, follow_redirects=True)
    assert answer.status_code == 200
    assert "va examiner votre signalement" in answer.text


def test_a_social_centre_registers_a_group_from_one_address(app):
    """Fifteen people signing up from one connection in an hour all get their account (ten
    were allowed on main, and a relay was stopped after seven)."""
    statuses = []
    for n in range(15):
        statuses.append(app.test_client().post("/compte/inscription", data={
            "email": f"voisin{n}@example.org", "display_name": f"Voisin {n}",
            "password": "un mot de passe solide", "password_confirm": "un mot de passe solide",
            "home_territory": "", "consent": "y"}).status_code)
    assert statuses == [302] * 15


@pytest.fixture
def desk(client, auth, admin, make):
    """A social centre's agent, logged in on the client."""
    agent = make.user(email="accueil@centre-social.example", display_name="Accueil Étouvie")
    auth.login(admin)
    organisation_id = create_organisation(client, "Centre social d'Étouvie", "relay")
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    auth.login(agent)
    return agent


def test_a_relay_signs_up_a_resident_who_chooses_a_password_by_mail(app, client, auth, desk,
                                                                    outbox):
    page = client.get("/partenaires/inscrire")
    assert page.status_code == 200 and "consent" in page.text
    refused = client.post("/partenaires/inscrire", data={
        "display_name": "Mme Leroy", "email": "leroy@example.org"})
    assert refused.status_code == 422
    assert "consentement" in refused.text or "consent is needed" in refused.text
    assert 'value="leroy@example.org"' in refused.text  # what was typed is kept
    done = client.post("/partenaires/inscrire", data={
        "display_name": "Mme Leroy", "email": "leroy@example.org", "consent": "y"},
        follow_redirects=True)
    assert done.status_code == 200 and "Mme Leroy" in done.text
    again = client.post("/partenaires/inscrire", data={
        "display_name": "Mme Leroy", "email": "leroy@example.org", "consent": "y"})
    assert again.status_code == 422
    with app.app_context():
        resident = db.session.query(User).filter_by(email="leroy@example.org").one()
        assert resident.role == "resident" and not resident.is_verified
        entry = db.session.query(AuditEntry).filter_by(action="register_resident").one()
        assert (entry.actor_id, entry.target_id) == (desk.id, resident.id)
    [mail] = outbox.messages("leroy@example.org")
    assert "Accueil Étouvie" in mail.get_content()
    auth.logout()
    link = outbox.last_link("leroy@example.org")
    assert client.get(link).status_code == 200
    chosen = client.post("/compte/nouveau-mot-de-passe", data={
        "token": link.rsplit("/", 1)[1], "password": "mon mot de passe à moi",
        "password_confirm": "mon mot de passe à moi"})
    assert chosen.status_code == 302
    assert client.get(link).status_code == 400  # the link works once
    auth.logout()
    assert auth.login("leroy@example.org", "mon mot de passe à moi").status_code == 302
    with app.app_context():
        assert db.session.query(User).filter_by(email="leroy@example.org").one().is_verified


def test_residents_cannot_sign_up_others(app, client, auth, resident):
    auth.login(resident)
    assert client.get("/partenaires/inscrire").status_code == 403
    with app.app_context(), pytest.raises(NotAllowed):
        access.register_met_resident(db.session.get(User, resident.id), "autre@example.org",
                                     "Quelqu'un", True)
