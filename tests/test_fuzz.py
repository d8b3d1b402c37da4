"""Hypothesis sends arbitrary text, Unicode, huge values, numbers where text is expected and
repeated fields to the public and back-office forms and to the API's fields: never a 500, and a
refused request stores nothing. Bounded (FUZZ examples per form, derandomized) so the file runs
in a couple of minutes."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db, limiter
from portal.models import AuditEntry, Comment, Flag, OutboxMessage, Submission, User

from .test_api import bearer, issue
from .test_partners import create_organisation

FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
#: What a field may receive: any text, odd digits, huge values, numbers, repeated values.
VALUE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["", " ", "²", "١٢", "9" * 40, "-1", "0", "2147483648", "1e309", "NaN",
                     "true", "null", "[]", "{}", "é\u0301", "\u202e", "\ufeff", "𝕏" * 50]),
    st.integers().map(str),
    st.builds(lambda char, count: char * count, st.characters(codec="utf-8"),
              st.integers(1000, 200_000)),
    st.lists(st.text(max_size=20), min_size=2, max_size=3),
)
TABLES = (User, Submission, Comment, Flag, OutboxMessage, AuditEntry)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in TABLES}


def form_data(fields: list[str]):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUE))


@pytest.fixture
def unlimited(monkeypatch):
    """The fuzzer sends hundreds of requests: the rate limits are tested elsewhere."""
    monkeypatch.setattr(limiter, "enabled", False)


@pytest.fixture
def site(app, client, auth, admin, make, moderator, unlimited):
    """The forms, each as (who, url, fields); the people log in on their own clients."""
    published = make.submission()
    pending = make.submission(status="pending")
    agent = make.user(email="agent@metropole.example")
    auth.login(admin)
    create_organisation(client)
    organisation_id = create_organisation(client, "Centre social", "relay")
    client.post(f"/admin/organisations/{organisation_id}/membres", data={"email": agent.email})
    auth.logout()
    resident = make.user()
    return {
        "register": (None, "/compte/inscription", ["email", "display_name", "password",
                                                   "password_confirm", "home_territory",
                                                   "consent", "leave_empty", "shown"]),
        "login": (None, "/compte/connexion?next=/", ["email", "password", "remember", "next"]),
        "forgot": (None, "/compte/mot-de-passe-oublie", ["email"]),
        "post": (resident, "/contributions/nouvelle", [
            "kind", "title", "body", "target_public", "territory", "theme", "author_offer"]),
        "comment": (resident, f"/contributions/{published.id}/commentaires", ["body"]),
        "flag": (resident, f"/contributions/{published.id}/signaler", ["reason", "details"]),
        "forward": (agent, "/partenaires/transmettre", [
            "title", "description", "territory", "theme", "gathering_method", "people_count",
            "possible_partners", "reference", "contact"]),
        "enrol": (agent, "/partenaires/inscrire", ["display_name", "email", "consent"]),
        "webhook": (agent, "/partenaires/webhook", ["webhook_url"]),
        "decline": (moderator, f"/moderation/contributions/{pending.id}/refuser",
                    ["template", "reason"]),
        "review": (moderator, f"/moderation/contributions/{pending.id}",
                   ["title", "body", "territory", "theme", "tags"]),
        "lead": (moderator, "/pistes/nouvelle", ["submission_ids", "title", "summary",
                                                 "territory", "theme"]),
        "search": (None, "/contributions/", ["q", "kind", "territory", "theme", "status",
                                             "sort", "page"]),
    }


FORMS = ["register", "login", "forgot", "post", "comment", "flag", "forward", "enrol", "webhook",
         "decline", "review", "lead", "search"]


@pytest.mark.parametrize("name", FORMS)
def test_a_form_never_answers_500_nor_half_stores(app, site, name):
    person, url, fields = site[name]
    browser = app.test_client()
    if person is not None:
        browser.post("/compte/connexion", data={"email": person.email,
                                               "password": "correct horse battery"})

    @FUZZ
    @given(data=form_data(fields))
    def send(data):
        before = counts(app)
        response = (browser.get(url, query_string=data) if name == "search"
                    else browser.post(url, data=data))
        assert response.status_code < 500, (data, response.status_code)
        if response.status_code >= 400:  # refused: nothing written, not even half
            assert counts(app) == before, data

    send()


API_FIELDS = ["title", "description", "territory", "theme", "reference", "contact",
              "possible_partners", "extra"]
JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                       st.text(max_size=200), st.lists(st.integers(), max_size=3),
                       st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
                       st.builds(lambda count: "x" * count, st.integers(1000, 200_000)))


def test_every_api_field_takes_any_json_without_a_500(app, admin, unlimited):
    from portal.services.partners import forwarding as partners

    with app.app_context():
        organisation_id = partners.create_organisation(
            db.session.get(User, admin.id), "Direction de l'économie", "metropole_service",
            None).id
    headers = bearer(issue(app, admin, organisation_id))
    client = app.test_client()

    @FUZZ
    @given(body=st.one_of(st.fixed_dictionaries({}, optional=dict.fromkeys(API_FIELDS,
                                                                           JSON_VALUE)),
                          JSON_VALUE))
    def send(body):
        before = counts(app)
        response = client.post("/api/v1/opportunities", json=body, headers=headers)
        assert response.status_code < 500 and response.is_json, body
        if response.status_code >= 400:
            assert counts(app) == before, body

    @FUZZ
    @given(query=st.fixed_dictionaries({}, optional=dict.fromkeys(
        ["kind", "territory", "theme", "status", "sort", "q", "page", "per_page",
         "updated_since"], VALUE)))
    def read(query):
        for url in ("/api/v1/submissions", "/api/v1/opportunities"):
            response = client.get(url, query_string=query, headers=headers)
            assert response.status_code < 500 and response.is_json, (url, query)

    send()
    read()
