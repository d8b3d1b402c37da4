"""Accounts as a resident meets them: register, confirm, log in and out, reset a password."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from portal.extensions import db
from portal.models import User, UserSession, utcnow

from .conftest import PASSWORD, submit_link_page

FORM = {"email": "Nadia@Example.org", "display_name": "Nadia B.", "password": PASSWORD,
        "password_confirm": PASSWORD, "home_territory": "", "consent": "y"}
NEW_PASSWORD = "un tout nouveau mot de passe"


def stored(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def users_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def update(app, user: User, **values) -> None:
    with app.app_context():
        row = db.session.get(User, user.id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def field_errors(page: str, field: str) -> str:
    """The text of the error list tied to `field` (empty when the field has no error)."""
    match = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def close_browser(client) -> None:
    """What closing the browser does: the session cookie goes, lasting cookies stay."""
    client.delete_cookie("session", domain="portal.test")
    assert client.get_cookie("session", domain="portal.test") is None


def is_logged_in(client) -> bool:
    return client.get("/compte/").status_code == 200


# Registering ------------------------------------------------------------------------------------

def test_registering_stores_a_hashed_password_and_mails_a_confirmation_link(app, client, outbox):
    """A new resident gets an account at once, and a mail whose link confirms the address."""
    response = client.post("/compte/inscription", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/compte/connexion"
    user = stored(app, "nadia@example.org")
    assert user.display_name == "Nadia B." and user.role == "resident"
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)
    assert user.consent_at is not None and user.email_verified_at is None
    assert [m["To"] for m in outbox.messages()] == ["nadia@example.org"]

    confirmed = submit_link_page(client, outbox.last_link("nadia@example.org"))
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/compte/connexion"
    assert stored(app, "nadia@example.org").email_verified_at is not None
    client.post("/compte/connexion", data={"email": "nadia@example.org", "password": PASSWORD})
    assert is_logged_in(client)


def test_the_confirmation_link_confirms_from_another_browser_without_logging_it_in(
        app, client, outbox):
    """People often open the mail on their phone: the link confirms the address there, and
    nothing else: whoever holds the link is not logged in by it."""
    client.post("/compte/inscription", data=FORM)
    phone = app.test_client()
    link = outbox.last_link("nadia@example.org")
    opened = phone.get(link)
    assert opened.status_code == 200 and "ne vous connecte pas" in opened.text
    assert stored(app, "nadia@example.org").email_verified_at is None
    confirmed = submit_link_page(phone, link)
    assert confirmed.headers["Location"] == "/compte/connexion"
    assert "Votre adresse e-mail est confirmée" in phone.get("/compte/connexion").text
    assert not is_logged_in(phone)
    assert stored(app, "nadia@example.org").email_verified_at is not None


def test_the_confirmation_link_works_once(app, client, outbox):
    """A confirmed link is spent: opening it again explains, and does nothing."""
    client.post("/compte/inscription", data=FORM)
    link = outbox.last_link("nadia@example.org")
    submit_link_page(app.test_client(), link)
    again = app.test_client().get(link)
    assert again.status_code == 400 and "déjà été utilisé" in again.text


def test_the_confirmation_link_dies_with_a_password_change(app, client, make, outbox):
    """The link mailed before a reset is worth nothing after it, and a blocked account gains
    nothing from it either: it logs no one in."""
    make.user(email="lent@example.org", verified=False)
    fresh = app.test_client()
    fresh.post("/compte/connexion", data={"email": "lent@example.org", "password": PASSWORD})
    fresh.post("/compte/confirmer")
    old_link = outbox.last_link("lent@example.org")
    client.post("/compte/mot-de-passe-oublie", data={"email": "lent@example.org"})
    submit_link_page(client, outbox.last_link("lent@example.org"),
                     password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    assert app.test_client().get(old_link).status_code == 400
    assert app.test_client().post("/compte/confirmer/adresse",
                                  data={"token": old_link.rsplit("/", 1)[1]}).status_code == 400


def test_a_blocked_account_is_not_let_in_by_its_confirmation_link(app, client, make, outbox):
    """Confirming an address is all the link does, blocked or not."""
    user = make.user(email="lent@example.org", verified=False)
    client.post("/compte/connexion", data={"email": "lent@example.org", "password": PASSWORD})
    client.post("/compte/confirmer")
    link = outbox.last_link("lent@example.org")
    update(app, user, blocked_at=utcnow())
    other = app.test_client()
    submit_link_page(other, link)
    assert not is_logged_in(other)


def test_mailed_tokens_are_posted_not_put_in_the_address_that_acts(client, resident, outbox):
    """Access logs record addresses: the address that acts never carries the token."""
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    page = client.get(outbox.last_link(resident.email)).text
    assert 'action="/compte/nouveau-mot-de-passe"' in page
    assert client.post(outbox.last_link(resident.email), data={
        "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 405


def test_logins_are_limited_per_account_whatever_the_address(client, app, resident, make):
    """Ten wrong passwords for one account from ten addresses stop further tries on it (the
    right password included) with the same page a busy address gets; other accounts and the
    addresses themselves are not locked out."""
    for n in range(10):
        wrong = app.test_client().post("/compte/connexion", data={
            "email": resident.email.upper(), "password": "pas le bon"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
        assert wrong.status_code == 422
    stopped = app.test_client().post("/compte/connexion", data={
        "email": resident.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert stopped.status_code == 429
    unknown = app.test_client()
    for _n in range(10):
        unknown.post("/compte/connexion", data={"email": "personne@example.org",
                                                "password": "pas le bon"},
                     environ_base={"REMOTE_ADDR": "192.0.2.1"})
    per_address = unknown.post("/compte/connexion", data={
        "email": "personne@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert per_address.status_code == 429
    # Nothing tells the account exists: the same page (CSRF tokens aside).
    assert re.sub(r'value="[^"]*"', "", stopped.text) == re.sub(r'value="[^"]*"', "",
                                                                per_address.text)
    other = make.user()
    assert app.test_client().post("/compte/connexion", data={
        "email": other.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.1"}).status_code == 302


def test_successful_logins_do_not_count_against_the_account(app, resident):
    """A resident who logs in often on several devices is never stopped."""
    for n in range(12):
        assert app.test_client().post("/compte/connexion", data={
            "email": resident.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}).status_code == 302


def test_a_resident_may_say_where_they_live(app, client, make):
    """The registration form lists the communes; the chosen one is kept on the account."""
    amiens = make.territory(name="Amiens")
    page = client.get("/compte/inscription")
    assert page.status_code == 200 and ">Amiens</option>" in page.text
    response = client.post("/compte/inscription", data={**FORM, "home_territory": str(amiens.id)})
    assert response.status_code == 302
    assert stored(app, "nadia@example.org").home_territory_id == amiens.id


def test_spaces_around_the_address_and_name_are_not_part_of_them(app, client):
    """Phone keyboards add a trailing space; the account is still created, cleanly."""
    response = client.post("/compte/inscription", data={
        **FORM, "email": "  Nadia@Example.org ", "display_name": "  Nadia B. "})
    assert response.status_code == 302
    assert stored(app, "nadia@example.org").display_name == "Nadia B."


@pytest.mark.parametrize("field, value", [
    ("email", "pas-une-adresse"),
    ("email", ""),
    ("display_name", "N"),
    ("display_name", "   "),
    ("password", "court"),
    ("password_confirm", "autre chose encore"),
    ("consent", None),
    ("home_territory", "999"),
    ("home_territory", "abc"),
    ("home_territory", "99999999999999999999"),
])
def test_a_bad_registration_says_what_to_fix_and_keeps_what_was_typed(app, client, outbox,
                                                                       field, value):
    """Each mistake gets a message on its own field (422, not 500); nothing is stored or mailed."""
    data = {**FORM, field: value}
    if value is None:
        del data[field]
    response = client.post("/compte/inscription", data=data)
    assert response.status_code == 422
    assert field_errors(response.text, field)
    assert 'aria-invalid="true"' in response.text
    if field != "display_name":
        assert 'value="Nadia B."' in response.text
    assert PASSWORD not in response.text
    assert users_count(app) == 0 and outbox.messages() == []


def test_an_address_registers_once_whatever_its_case(app, client, make, outbox):
    """The same mailbox in other capitals is the same person: no second account, and the
    owner of the address is told by mail, not the person at the form."""
    make.user(email="nadia@example.org", display_name="La première")
    taken = client.post("/compte/inscription", data={**FORM, "email": "NADIA@example.ORG"})
    assert taken.status_code == 302
    assert users_count(app) == 1
    [mail] = outbox.messages("nadia@example.org")
    assert "avec votre adresse" in mail["Subject"]
    assert "http://portal.test/compte/mot-de-passe-oublie" in mail.get_content()
    assert "La première" in mail.get_content()


def test_registering_does_not_tell_whether_an_address_has_an_account(app, make):
    """Free or taken, the answer and what it shows are the same."""
    make.user(email="nadia@example.org", display_name="La première")
    answers = []
    for email in ("nadia@example.org", "autre@example.org"):
        browser = app.test_client()
        response = browser.post("/compte/inscription", data={**FORM, "email": email})
        page = browser.get(response.headers["Location"]).text
        answers.append((response.status_code, response.headers["Location"],
                        re.sub(r'value="[^"]*"', "", page)))
        assert not is_logged_in(browser)
    assert answers[0] == answers[1]


def test_a_logged_in_resident_is_not_offered_a_second_account(client, auth, resident):
    """Registering while logged in makes no sense: back to the home page."""
    auth.login(resident)
    response = client.get("/compte/inscription")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_registrations_are_limited_to_sixty_an_hour(client):
    """Account farming from one address is slowed down, with room for a social centre signing
    a group up on one connection (tests/test_shared_address.py)."""
    for n in range(60):
        client.post("/compte/inscription", data={**FORM, "email": f"robot{n}@example.org",
                                                 "consent": ""})
    response = client.post("/compte/inscription", data={**FORM, "email": "robot@example.org"})
    assert response.status_code == 429 and "Retry-After" in response.headers


# Confirming the address -------------------------------------------------------------------------

def test_an_unconfirmed_resident_is_asked_to_confirm_before_posting(client, auth, make):
    """Posting needs a confirmed address; the resident is told why and where to go."""
    auth.login(make.user(verified=False))
    response = client.get("/contributions/nouvelle")
    assert response.status_code == 302 and response.headers["Location"] == "/compte/"
    profile = client.get("/compte/")
    assert 'class="flash flash-warning"' in profile.text
    assert 'action="/compte/confirmer"' in profile.text  # the button to get a new link


def test_a_confirmed_resident_may_post(client, auth, resident):
    """The same page opens once the address is confirmed."""
    auth.login(resident)
    assert client.get("/contributions/nouvelle").status_code == 200


def test_a_new_confirmation_link_on_request(app, client, auth, make, outbox):
    """The first mail got lost: the resident asks again and the new link works."""
    user = make.user(email="lent@example.org", verified=False)
    auth.login(user)
    response = client.post("/compte/confirmer")
    assert response.status_code == 302 and response.headers["Location"] == "/compte/"
    assert len(outbox.messages("lent@example.org")) == 1
    assert submit_link_page(client, outbox.last_link("lent@example.org")).status_code == 302
    assert stored(app, "lent@example.org").email_verified_at is not None


def test_a_confirmed_resident_gets_no_more_confirmation_mails(client, auth, resident, outbox):
    """Nothing to confirm, nothing to send."""
    auth.login(resident)
    client.post("/compte/confirmer")
    assert outbox.messages() == []


def test_a_visitor_asking_for_a_link_is_sent_to_log_in(client, outbox):
    """The button belongs to an account; without one, the visitor is asked to log in."""
    response = client.post("/compte/confirmer")
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
    assert outbox.messages() == []


@pytest.mark.parametrize("spoil", [lambda link: link[:-3] + "xyz", lambda link: link + "x",
                                   lambda link: "/compte/confirmer/pas-un-jeton"])
def test_a_damaged_confirmation_link_is_a_friendly_400(app, client, outbox, spoil):
    """A link cut by a mail client is explained, with a way to get a new one; nothing changes."""
    client.post("/compte/inscription", data=FORM)
    response = client.get(spoil(outbox.last_link("nadia@example.org")))
    assert response.status_code == 400
    assert '<html lang="fr">' in response.text and "<h1>" in response.text
    assert stored(app, "nadia@example.org").email_verified_at is None


def test_an_expired_confirmation_link_is_a_friendly_400(app, client, outbox, monkeypatch):
    """Links last a few days; an old one is refused and the address stays unconfirmed."""
    client.post("/compte/inscription", data=FORM)
    monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE", -1)
    response = client.get(outbox.last_link("nadia@example.org"))
    assert response.status_code == 400 and "<h1>" in response.text
    assert stored(app, "nadia@example.org").email_verified_at is None


def test_a_reset_link_does_not_confirm_an_address(app, client, make, outbox):
    """Each link has one purpose: a password link pasted on the confirmation address fails."""
    make.user(email="lent@example.org", verified=False)
    client.post("/compte/mot-de-passe-oublie", data={"email": "lent@example.org"})
    token = outbox.last_link("lent@example.org").rsplit("/", 1)[1]
    assert client.get(f"/compte/confirmer/{token}").status_code == 400
    assert stored(app, "lent@example.org").email_verified_at is None


# Logging in and out -----------------------------------------------------------------------------

def test_logging_in_with_the_right_password(app, client, resident):
    """The address may be typed in any case; the resident lands on the home page, greeted."""
    response = client.post("/compte/connexion", data={"email": "CAMILLE@example.org",
                                                      "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert 'class="flash flash-success"' in client.get("/").text
    assert is_logged_in(client)
    assert stored(app, resident.email).last_login_at is not None


@pytest.mark.parametrize("email, password", [("camille@example.org", "mauvais mot de passe"),
                                             ("inconnu@example.org", PASSWORD)])
def test_wrong_credentials_are_refused_with_the_address_kept(client, resident, email, password):
    """The form comes back (422) with the address already filled in, and no one is logged in."""
    response = client.post("/compte/connexion", data={"email": email, "password": password})
    assert response.status_code == 422
    assert f'value="{email}"' in response.text
    assert field_errors(response.text, "password")
    assert password not in response.text
    assert not is_logged_in(client)


def test_a_wrong_password_and_an_unknown_address_say_the_same_thing(client, resident):
    """The login form must not reveal who has an account."""
    wrong = client.post("/compte/connexion", data={"email": resident.email, "password": "x" * 12})
    unknown = client.post("/compte/connexion", data={"email": "x@example.org", "password": "x"})
    assert field_errors(wrong.text, "password") == field_errors(unknown.text, "password") != ""
    assert field_errors(wrong.text, "email") == field_errors(unknown.text, "email") == ""


@pytest.mark.parametrize("data", [{}, {"email": "camille@example.org"},
                                  {"email": "pas-une-adresse", "password": PASSWORD},
                                  {"email": "", "password": PASSWORD}])
def test_an_incomplete_login_form_is_a_422(client, resident, data):
    """Empty or malformed fields are pointed out, not a crash."""
    response = client.post("/compte/connexion", data=data)
    assert response.status_code == 422 and 'class="errors"' in response.text
    assert not is_logged_in(client)


def test_a_blocked_resident_is_told_at_login(app, client, resident):
    """A blocked account cannot log in, and the person learns why instead of a vague error."""
    update(app, resident, blocked_at=utcnow())
    response = client.post("/compte/connexion", data={"email": resident.email,
                                                      "password": PASSWORD})
    assert response.status_code == 422 and field_errors(response.text, "email")
    assert not is_logged_in(client)


def test_a_locked_page_sends_to_login_and_back(client, resident):
    """A visitor opening their account page logs in and lands on that page."""
    locked = client.get("/compte/")
    assert locked.status_code == 302
    login_url = locked.headers["Location"]
    assert login_url.startswith("/compte/connexion") and "next=/compte/" in login_url
    assert 'name="next" value="/compte/"' in client.get(login_url).text
    response = client.post(login_url, data={"email": resident.email, "password": PASSWORD})
    assert response.headers["Location"] == "/compte/"


def test_the_login_page_says_why_and_offers_an_account_as_prominently(client):
    """Sent to log in, a visitor learns why, and may create an account from the same screen."""
    asked = client.get("/compte/connexion?next=/contributions/nouvelle").text
    assert "Ce que vous demandez nécessite un compte" in asked
    assert 'class="button button-secondary" href="/compte/inscription"' in asked
    assert "nécessite un compte" not in client.get("/compte/connexion").text


def test_the_password_can_be_shown_and_optional_fields_are_marked(app, client, monkeypatch):
    """DSFR's rule: a form marks what may be left empty, not what is mandatory."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/compte/inscription").text
    assert 'data-show-password="password"' in page
    assert "(obligatoire)" not in page
    assert page.count("(facultatif)") == 1  # the commune, whose label says so already
    search = client.get("/contributions/").text
    assert "(facultatif)" not in search  # a search filter is optional by nature


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_a_foreign_next_is_ignored(client, resident, target):
    """Only local targets are followed after login, so a crafted link cannot phish."""
    response = client.post("/compte/connexion", data={"email": resident.email,
                                                      "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_button_pressed_while_logged_out_comes_back_to_its_page(app, client, make):
    """Support is a POST: after login the visitor returns to the page, not to a 405."""
    submission = make.submission()
    page = f"/contributions/{submission.id}"
    resident = make.user()
    pressed = client.post(f"{page}/soutenir", headers={"Referer": f"http://portal.test{page}"})
    assert pressed.status_code == 302
    login_url = pressed.headers["Location"]
    assert login_url.startswith("/compte/connexion") and "soutenir" not in login_url
    response = client.post(login_url, data={"email": resident.email, "password": PASSWORD})
    assert response.headers["Location"] == page
    assert client.get(page).status_code == 200


def test_a_button_pressed_from_another_site_does_not_pick_its_next(client, make):
    """A foreign Referer is not a place to come back to."""
    submission = make.submission()
    pressed = client.post(f"/contributions/{submission.id}/soutenir",
                          headers={"Referer": "https://evil.example/contributions/1"})
    assert pressed.status_code == 302 and "next" not in pressed.headers["Location"]


def test_already_logged_in_goes_straight_on(client, auth, resident):
    """Opening the login page again does not ask twice."""
    auth.login(resident)
    assert client.get("/compte/connexion?next=/contributions/").headers["Location"] == \
        "/contributions/"


def test_remember_me_keeps_the_resident_logged_in_after_the_browser_closes(app, client, resident):
    """With the box ticked, a long-lived cookie logs the resident back in a fresh session."""
    response = client.post("/compte/connexion", data={"email": resident.email,
                                                      "password": PASSWORD, "remember": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    close_browser(client)
    assert is_logged_in(client)


def test_without_remember_me_there_is_no_lasting_cookie(client, resident):
    """By default the login ends with the browser session."""
    response = client.post("/compte/connexion", data={"email": resident.email,
                                                      "password": PASSWORD})
    assert not any(c.startswith("remember_token=")
                   for c in response.headers.getlist("Set-Cookie"))


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(client, resident):
    """HttpOnly keeps it from scripts, SameSite=Lax from cross-site posts."""
    response = client.post("/compte/connexion", data={"email": resident.email,
                                                      "password": PASSWORD})
    session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_logging_out_is_a_post(client, auth, resident):
    """A link or an image cannot log someone out; the button can."""
    auth.login(resident)
    assert client.get("/compte/deconnexion").status_code == 405
    assert is_logged_in(client)
    response = client.post("/compte/deconnexion")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not is_logged_in(client)


def copy_cookies(app, client):
    """Another browser holding a copy of `client`'s cookies (a stolen or shared cookie)."""
    thief = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name, domain="portal.test")
        if cookie is not None:
            thief.set_cookie(name, cookie.value, domain="portal.test")
    return thief


@pytest.mark.parametrize("remember", [False, True])
def test_logging_out_ends_the_session_on_the_server(app, client, resident, remember):
    """A copy of the cookies taken before logging out opens nothing afterwards."""
    client.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD,
                                           **({"remember": "y"} if remember else {})})
    thief = copy_cookies(app, client)
    assert is_logged_in(thief)
    client.post("/compte/deconnexion")
    assert not is_logged_in(thief)


def age_sessions(app, user, **ago) -> None:
    """Time passes: every session of `user` was opened / last used that long ago."""
    with app.app_context():
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
            for column, seconds in ago.items():
                setattr(row, column, utcnow() - timedelta(seconds=seconds))
        db.session.commit()


@pytest.mark.parametrize("remember", [False, True])
def test_a_session_idle_for_too_long_ends(app, client, resident, remember):
    """Past the idle lifetime the browser is logged out, remembered or not."""
    client.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD,
                                           **({"remember": "y"} if remember else {})})
    idle = app.config["SESSION_IDLE_LIFETIME"]
    age_sessions(app, resident, last_seen_at=idle - 60)
    assert is_logged_in(client)
    age_sessions(app, resident, last_seen_at=idle + 1)
    assert not is_logged_in(client)
    close_browser(client)
    assert not is_logged_in(client)


@pytest.mark.parametrize("remember", [False, True])
def test_a_session_ends_after_its_absolute_lifetime_even_in_use(app, client, resident, remember):
    """A session used every day still ends: the absolute lifetime caps it."""
    client.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD,
                                           **({"remember": "y"} if remember else {})})
    age_sessions(app, resident, created_at=app.config["SESSION_ABSOLUTE_LIFETIME"] + 1)
    assert not is_logged_in(client)
    close_browser(client)
    assert not is_logged_in(client)


def test_logging_out_also_forgets_the_remembered_device(client, resident):
    """After logout, the remember-me cookie no longer logs anyone in."""
    client.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD,
                                           "remember": "y"})
    client.post("/compte/deconnexion")
    close_browser(client)
    assert not is_logged_in(client)


def test_the_profile_needs_a_login_and_lists_my_contributions(client, auth, resident, make):
    """The account page is private, and shows the resident's own posts."""
    assert client.get("/compte/").status_code == 302
    make.submission(author=resident, title="Un jardin partagé rue Jules Barni")
    make.submission(title="Le texte de quelqu'un d'autre")
    auth.login(resident)
    page = client.get("/compte/").text
    assert "Un jardin partagé rue Jules Barni" in page
    assert "quelqu&#39;un d&#39;autre" not in page and "quelqu'un d'autre" not in page


# Forgotten password -----------------------------------------------------------------------------

def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, resident, outbox):
    """Asking for a reset must not reveal whether an account exists."""
    unknown = client.post("/compte/mot-de-passe-oublie", data={"email": "personne@example.org"})
    known = client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    assert unknown.status_code == known.status_code == 302
    assert unknown.headers["Location"] == known.headers["Location"] == "/compte/connexion"
    assert [m["To"] for m in outbox.messages()] == [resident.email]


@pytest.mark.parametrize("email", ["", "pas-une-adresse"])
def test_a_malformed_reset_request_is_a_422(client, outbox, email):
    """A typo is pointed out on the field; nothing is sent."""
    response = client.post("/compte/mot-de-passe-oublie", data={"email": email})
    assert response.status_code == 422 and field_errors(response.text, "email")
    assert outbox.messages() == []


def test_the_reset_link_sets_a_new_password_once(app, client, auth, resident, outbox):
    """The mailed link opens a form; the new password works, the old one and the link do not."""
    assert client.get("/compte/mot-de-passe-oublie").status_code == 200
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    link = outbox.last_link(resident.email)
    token = link.rsplit("/", 1)[1]
    response = submit_link_page(client, link, password=NEW_PASSWORD,
                                password_confirm=NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/compte/connexion"
    assert not is_logged_in(client)
    assert check_password_hash(stored(app, resident.email).password_hash, NEW_PASSWORD)

    assert client.get(link).status_code == 400
    assert client.post("/compte/nouveau-mot-de-passe", data={
        "token": token, "password": "encore un autre mot de passe",
        "password_confirm": "encore un autre mot de passe"}).status_code == 400
    assert auth.login(resident).status_code == 422
    assert auth.login(resident, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("password, confirm, field", [
    ("court", "court", "password"),
    (NEW_PASSWORD, "autre chose encore", "password_confirm"),
    ("", "", "password"),
])
def test_a_bad_new_password_is_refused_and_the_link_still_works(app, client, resident, outbox,
                                                                password, confirm, field):
    """A typo in the new password must not burn the link nor change anything."""
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    link = outbox.last_link(resident.email)
    response = submit_link_page(client, link, password=password, password_confirm=confirm)
    assert response.status_code == 422 and field_errors(response.text, field)
    assert 'name="token" type="hidden"' in response.text
    assert client.get(link).status_code == 200
    assert check_password_hash(stored(app, resident.email).password_hash, PASSWORD)


def test_an_expired_reset_link_is_a_friendly_400(app, client, resident, outbox, monkeypatch):
    """A reset link lasts an hour; after that the page says to ask for a new one."""
    client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    link = outbox.last_link(resident.email)
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 400 and 'href="/compte/mot-de-passe-oublie"' in response.text
    assert client.post("/compte/nouveau-mot-de-passe", data={
        "token": link.rsplit("/", 1)[1], "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD}).status_code == 400
    assert check_password_hash(stored(app, resident.email).password_hash, PASSWORD)


def test_a_reset_confirms_an_unconfirmed_address(app, client, make, outbox):
    """Opening the mailed link proves the mailbox, so the address counts as confirmed."""
    make.user(email="lent@example.org", verified=False)
    client.post("/compte/mot-de-passe-oublie", data={"email": "lent@example.org"})
    submit_link_page(client, outbox.last_link("lent@example.org"),
                     password=NEW_PASSWORD, password_confirm=NEW_PASSWORD)
    assert stored(app, "lent@example.org").email_verified_at is not None


def test_reset_requests_are_limited_to_five_an_hour(client, resident, outbox):
    """Nobody can flood a mailbox through the reset form."""
    for _ in range(5):
        client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    response = client.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    assert response.status_code == 429
    assert len(outbox.messages(resident.email)) == 5


def test_a_password_reset_logs_out_every_other_browser(app, resident, outbox):
    """A stolen session or remember-me cookie dies with the old password."""
    thief = app.test_client()
    thief.post("/compte/connexion", data={"email": resident.email, "password": PASSWORD,
                                           "remember": "y"})
    assert thief.get("/compte/").status_code == 200
    owner = app.test_client()
    owner.post("/compte/mot-de-passe-oublie", data={"email": resident.email})
    new = "un tout nouveau mot de passe"
    submit_link_page(owner, outbox.last_link(resident.email), password=new,
                     password_confirm=new)
    owner.post("/compte/connexion", data={"email": resident.email, "password": new})
    assert owner.get("/compte/").status_code == 200
    assert thief.get("/compte/").status_code == 302
