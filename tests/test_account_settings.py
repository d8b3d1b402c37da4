"""The account page where a resident changes their name, commune, password and e-mail address,
and what the commune is used for."""
from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.security import check_password_hash

from portal.extensions import db
from portal.models import User

from .conftest import PASSWORD, submit_link_page

NEW_PASSWORD = "un tout nouveau mot de passe"


def stored(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_a_resident_changes_name_and_commune(app, client, auth, resident, make):
    amiens = make.territory(name="Amiens")
    auth.login(resident)
    page = client.get("/compte/parametres")
    assert page.status_code == 200 and 'value="Camille"' in page.text
    response = client.post("/compte/parametres/profil", data={
        "display_name": "Camille D.", "home_territory": str(amiens.id)})
    assert response.status_code == 302
    user = stored(app, resident.id)
    assert (user.display_name, user.home_territory_id) == ("Camille D.", amiens.id)
    assert f'<option selected value="{amiens.id}">' in client.get("/compte/parametres").text


def test_a_bad_name_is_refused_on_its_field_with_the_rest_kept(app, client, auth, resident,
                                                               moderator):
    auth.login(resident)
    response = client.post("/compte/parametres/profil", data={"display_name": "Modération",
                                                              "home_territory": ""})
    assert response.status_code == 422 and 'id="display_name-error"' in response.text
    assert 'value="Modération"' in response.text
    assert stored(app, resident.id).display_name == "Camille"


def test_the_home_commune_preselects_the_listing_and_the_posting_form(client, auth, make):
    amiens, longueau = make.territory(name="Amiens"), make.territory(name="Longueau")
    resident = make.user()
    make.submission(title="Un besoin à Amiens", territory=amiens)
    make.submission(title="Un besoin à Longueau", territory=longueau)
    auth.login(resident)
    client.post("/compte/parametres/profil", data={"display_name": resident.display_name,
                                                   "home_territory": str(longueau.id)})
    listing = client.get("/contributions/").text
    assert f'<option selected value="{longueau.id}">' in listing
    assert "Un besoin à Longueau" in listing and "Un besoin à Amiens" not in listing
    everywhere = client.get("/contributions/?territory=").text
    assert "Un besoin à Amiens" in everywhere
    assert f'<option selected value="{longueau.id}">' in client.get("/contributions/nouvelle").text


def test_changing_the_password_needs_the_current_one_and_logs_out_other_browsers(
        app, client, auth, resident, outbox):
    other = app.test_client()
    other.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD})
    auth.login(resident)
    refused = client.post("/compte/parametres/mot-de-passe", data={
        "pw-current_password": "pas le bon", "pw-password": NEW_PASSWORD,
        "pw-password_confirm": NEW_PASSWORD})
    assert refused.status_code == 422 and 'id="pw-current_password-error"' in refused.text
    done = client.post("/compte/parametres/mot-de-passe", data={
        "pw-current_password": PASSWORD, "pw-password": NEW_PASSWORD,
        "pw-password_confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert check_password_hash(stored(app, resident.id).password_hash, NEW_PASSWORD)
    assert client.get("/compte/").status_code == 200
    assert other.get("/compte/").status_code == 302
    assert [m["To"] for m in outbox.messages()] == [resident.email]


def test_changing_the_address_is_confirmed_by_the_new_one_and_told_to_the_old(
        app, client, auth, resident, outbox):
    auth.login(resident)
    response = client.post("/compte/parametres/adresse", data={
        "mail-email": "Camille.Nouvelle@example.org", "mail-current_password": PASSWORD})
    assert response.status_code == 302
    assert stored(app, resident.id).email == resident.email  # not before the link
    [notice] = outbox.messages(resident.email)
    assert "camille.nouvelle@example.org" in notice.get_content()
    link = outbox.last_link("camille.nouvelle@example.org")
    phone = app.test_client()
    confirmed = submit_link_page(phone, link)
    assert confirmed.status_code == 302
    assert stored(app, resident.id).email == "camille.nouvelle@example.org"
    assert phone.get("/compte/").status_code == 302  # the link logs nobody in
    assert app.test_client().get(link).status_code == 400  # once
    auth.logout()
    assert auth.login("camille.nouvelle@example.org").status_code == 302


def test_changing_the_address_needs_the_password_and_a_new_valid_address(client, auth,
                                                                         resident, outbox):
    auth.login(resident)
    response = client.post("/compte/parametres/adresse", data={
        "mail-email": resident.email, "mail-current_password": "pas le bon"})
    assert response.status_code == 422
    assert re.search(r'id="mail-email-error">.*?déjà votre adresse', response.text, re.DOTALL)
    assert 'id="mail-current_password-error"' in response.text
    assert outbox.messages() == []


def test_an_address_taken_meanwhile_cannot_be_confirmed(app, client, auth, resident, make,
                                                        outbox):
    auth.login(resident)
    client.post("/compte/parametres/adresse", data={
        "mail-email": "libre@example.org", "mail-current_password": PASSWORD})
    link = outbox.last_link("libre@example.org")
    make.user(email="libre@example.org")
    page = app.test_client()
    assert "Un autre compte" in submit_link_page(page, link).text
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.id == resident.id)) \
            == resident.email
