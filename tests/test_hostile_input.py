"""Hostile input gets a clear 4xx page or JSON error, never a 500: each case below gave a 500
once (or could), as an attacker would send it."""
from __future__ import annotations

import threading
from contextlib import suppress
from urllib.parse import quote

import pytest
from sqlalchemy import event, func, select

from portal.extensions import db
from portal.models import PartnerOrganisation, User
from portal.services.partners import forwarding as partners

from .test_api import bearer, issue

REGISTRATION = {"display_name": "Double Clic", "password": "un mot de passe solide",
                "password_confirm": "un mot de passe solide", "home_territory": "",
                "consent": "y", "email": "double@example.org"}


@pytest.mark.parametrize("target", ["/contributions/\r\nSet-Cookie: pris=1", "/\nX: y",
                                    "/%0d%0aSet-Cookie:x", "\t//evil.example/"])
def test_a_line_break_in_next_is_dropped_not_a_500(client, auth, resident, target):
    """`next` goes into a Location header: a CR/LF in it must neither split the header nor
    crash; the resident lands on the home page."""
    response = client.post("/compte/connexion?next=" + quote(target, safe=""),
                           data={"email": resident.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"] and "pris" not in response.headers
    assert response.headers["Location"] in ("/", "/%0d%0aSet-Cookie:x")
    logged_in = client.get("/compte/connexion?next=" + quote(target, safe=""))
    assert logged_in.status_code == 302 and "\n" not in logged_in.headers["Location"]


def test_two_identical_registrations_at_the_same_instant(app):
    """A double click (or two tabs) sends one registration twice at once: both requests pass
    the "address free?" check, the database's unique constraint decides, and the loser gets
    the form's message, not a 500. Each request waits for the other before inserting."""
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def meet(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO USERS"):
            # If the other request was refused before inserting, there is nothing to wait for.
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)

    def register():
        response = app.test_client().post("/compte/inscription", data=REGISTRATION)
        answers.append((response.status_code, response.text))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", meet)
    try:
        threads = [threading.Thread(target=register) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        event.remove(engine, "before_cursor_execute", meet)
    statuses = sorted(status for status, _text in answers)
    assert statuses == [302, 422]
    refused = next(text for status, text in answers if status == 422)
    assert "Un compte utilise déjà cette adresse" in refused
    assert 'value="double@example.org"' in refused
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.fixture
def token(app, admin):
    with app.app_context():
        organisation = partners.create_organisation(
            db.session.get(User, admin.id), "Direction de l'économie", "metropole_service", None)
        organisation_id = organisation.id
    return issue(app, admin, organisation_id)


@pytest.mark.parametrize("moment", [
    "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00", "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59+14:00",
    "0001-01-01", "9999-12-31"])
def test_extreme_updated_since_dates_are_answered(client, token, moment):
    """The first and last days a datetime holds, with offsets that push them out of range."""
    response = client.get("/api/v1/opportunities?updated_since=" + quote(moment),
                          headers={**bearer(token), "Accept-Language": "en"})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "updated_since" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_very_deep_json_is_a_400(client, token, depth):
    """Nested arrays exhaust the parser's recursion: say the body is not valid JSON."""
    response = client.post("/api/v1/opportunities", data="[" * depth + "]" * depth,
                           headers={**bearer(token), "Accept-Language": "en"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "The body is not valid JSON."


@pytest.mark.parametrize("url", ["https://example.org:99999/hook", "https://example.org:-1/",
                                 "https://example.org:²/", "https://example.org:80a/",
                                 "https://[::1/", "https://example.org:" + "9" * 400 + "/"])
def test_a_bad_port_in_a_webhook_address_is_a_form_error(app, client, auth, admin, make, url):
    agent = make.user(email="agent@metropole.example")
    with app.app_context():
        organisation = partners.create_organisation(
            db.session.get(User, admin.id), "Direction de l'économie", "metropole_service", None)
        partners.attach_user(db.session.get(User, admin.id), organisation, agent.email)
    auth.login(agent)
    response = client.post("/partenaires/webhook", data={"webhook_url": url},
                           follow_redirects=True)
    assert response.status_code in (200, 422)
    with app.app_context():
        assert db.session.scalar(select(PartnerOrganisation.webhook_url)) is None


ODD_IDS = ["²", "١٢", "9" * 40, "2147483648", "-3", "1.5", "0x10", " 7 7 "]


def test_huge_or_odd_ids_in_every_lead_form_are_refused(client, auth, moderator, make):
    """Every id a lead form or filter takes (territory, theme, owner, meeting, contribution
    numbers, counts), sent as "²", Arabic digits, 40 nines or past the INTEGER range."""
    lead = make.lead([make.submission()])
    auth.login(moderator)
    fields = [
        ("post", "/pistes/nouvelle", "territory"), ("post", "/pistes/nouvelle", "theme"),
        ("post", "/pistes/nouvelle", "submission_ids"),
        ("post", f"/pistes/{lead.id}/rattacher", "submission_ids"),
        ("post", f"/pistes/{lead.id}/modifier", "territory"),
        ("post", f"/pistes/{lead.id}/modifier", "theme"),
        ("post", f"/pistes/{lead.id}/modifier", "owner"),
        ("post", f"/pistes/{lead.id}/ordre-du-jour", "meeting"),
        ("post", f"/pistes/{lead.id}/ateliers", "participant_count"),
        ("get", "/pistes/", "territory"), ("get", "/pistes/", "theme"),
        ("get", "/pistes/", "owner"), ("get", "/pistes/liste", "territory"),
        ("get", "/pistes/liste", "owner"), ("get", "/pistes/export.csv", "theme"),
        ("get", "/pistes/synthese", "territory"), ("get", "/pistes/synthese.csv", "theme"),
    ]
    answers = {}
    for method, url, field in fields:
        for value in ODD_IDS:
            data = {field: value, "title": "Une piste", "summary": "Un résumé."}
            response = (client.post(url, data=data) if method == "post"
                        else client.get(url, query_string={field: value}))
            answers[url, field, value] = response.status_code
    assert {key: status for key, status in answers.items()
            if status not in (400, 422)} == {}
    for path in ("/pistes/" + "9" * 40, "/pistes/²", "/pistes/2147483648/modifier"):
        assert client.get(path).status_code == 404
