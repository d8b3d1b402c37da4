"""The JSON API through HTTP: tokens and scopes, forwarding, idempotency, public reading, errors."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from portal.extensions import db
from portal.models import ApiToken, PartnerOrganisation, Submission, User
from portal.services.partners import forwarding as partners
from portal.services.partners import tokens as api_tokens


@pytest.fixture
def place(make):
    metropole = make.territory("Amiens Métropole")
    return {"commune": make.territory("Dury", parent=metropole), "theme": make.theme("Logement")}


@pytest.fixture
def organisation(app, admin):
    with app.app_context():
        org = partners.create_organisation(db.session.get(User, admin.id),
                                           "Direction de l'économie - Métropole",
                                           "metropole_service", None)
        return org.id


def issue(app, admin, organisation_id, scopes=("opportunities:write", "opportunities:read")):
    with app.app_context():
        token, _record = api_tokens.issue(db.session.get(User, admin.id),
                                          db.session.get(PartnerOrganisation, organisation_id),
                                          "script", list(scopes))
        return token


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def body(place, **overrides):
    data = {"title": "Un bâtiment vide rue de la Gare",
            "description": "L'ancienne poste de Dury est vide depuis deux ans ; la mairie "
                           "cherche un projet d'utilité sociale.",
            "territory": place["commune"].code, "theme": place["theme"].code,
            "reference": "DEV-2026-001", "contact": "Mme Martin, service économie"}
    data.update(overrides)
    return data


@pytest.fixture
def spec(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    return document


def check(spec, response, schema_name):
    schema = {**spec["components"]["schemas"][schema_name],
              "$defs": spec["components"]["schemas"]}
    text = json.dumps(schema).replace("#/components/schemas/", "#/$defs/")
    Draft202012Validator(json.loads(text)).validate(response.get_json())


def test_forwarding_is_idempotent_per_reference_and_private_per_organisation(
        app, client, admin, organisation, place, spec):
    token = issue(app, admin, organisation)
    first = client.post("/api/v1/opportunities", json=body(place), headers=bearer(token))
    assert first.status_code == 201
    check(spec, first, "Item")
    assert first.get_json()["status"] == "pending" and first.get_json()["url"] is None
    again = client.post("/api/v1/opportunities", json=body(place), headers=bearer(token))
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    other = client.post("/api/v1/opportunities", json=body(place, reference="DEV-2"),
                        headers=bearer(token))
    assert other.status_code == 201
    listed = client.get("/api/v1/opportunities", headers=bearer(token)).get_json()["items"]
    assert len(listed) == 2
    with app.app_context():
        stored = db.session.get(Submission, first.get_json()["id"])
        assert (stored.kind, stored.source, stored.status) == ("opportunity", "partner", "pending")

    with app.app_context():
        second = partners.create_organisation(db.session.get(User, admin.id), "CCAS", "association",
                                              None).id
    stranger = issue(app, admin, second)
    assert client.get("/api/v1/opportunities", headers=bearer(stranger)).get_json()["items"] == []
    assert client.get(f"/api/v1/opportunities/{first.get_json()['id']}",
                      headers=bearer(stranger)).status_code == 404
    one = client.get(f"/api/v1/opportunities/{first.get_json()['id']}", headers=bearer(token))
    assert one.status_code == 200
    check(spec, one, "Item")


def test_statuses_and_answers_come_back_after_moderation(app, client, auth, admin, moderator,
                                                         organisation, place):
    token = issue(app, admin, organisation)
    item = client.post("/api/v1/opportunities", json=body(place), headers=bearer(token)).get_json()
    auth.login(moderator)
    client.post(f"/contributions/{item['id']}/publier")
    client.post(f"/moderation/contributions/{item['id']}/reponse",
                data={"text": "Nous lançons une étude.", "status": "under_study"})
    seen = client.get(f"/api/v1/opportunities/{item['id']}", headers=bearer(token)).get_json()
    assert seen["status"] == "under_study" and seen["public_answer"] == "Nous lançons une étude."
    assert seen["url"].endswith(f"/contributions/{item['id']}")
    later = client.get("/api/v1/opportunities?updated_since=2999-01-01T00:00:00Z",
                       headers=bearer(token)).get_json()["items"]
    assert later == []


@pytest.mark.parametrize("headers, status", [
    ({}, 401), ({"Authorization": "Bearer nope"}, 401), ({"Authorization": "Basic x"}, 401)])
def test_missing_or_bad_tokens_get_401_in_json(client, place, headers, status, spec):
    response = client.post("/api/v1/opportunities", json=body(place), headers=headers)
    assert response.status_code == status
    check(spec, response, "Error")


def test_scopes_and_revocation(app, client, admin, organisation, place):
    reader = issue(app, admin, organisation, scopes=("opportunities:read",))
    assert client.post("/api/v1/opportunities", json=body(place),
                       headers=bearer(reader)).status_code == 403
    writer = issue(app, admin, organisation, scopes=("opportunities:write",))
    assert client.get("/api/v1/opportunities", headers=bearer(writer)).status_code == 403
    assert client.post("/api/v1/opportunities", json=body(place),
                       headers=bearer(writer)).status_code == 201
    with app.app_context():
        record = db.session.scalar(db.select(ApiToken).where(ApiToken.hint == writer[-6:]))
        assert record.last_used_at is not None and record.token_hash != writer
        api_tokens.revoke(db.session.get(User, admin.id), record)
    assert client.post("/api/v1/opportunities", json=body(place, reference="other"),
                       headers=bearer(writer)).status_code == 401


def test_invalid_bodies(app, client, admin, organisation, place, spec):
    token = issue(app, admin, organisation)
    headers = bearer(token)
    bad = client.post("/api/v1/opportunities", json=body(place, title="x", territory="nowhere",
                                                        extra=1), headers=headers)
    assert bad.status_code == 422
    check(spec, bad, "Error")
    assert set(bad.get_json()["error"]["fields"]) == {"title", "territory", "extra"}
    malformed = client.post("/api/v1/opportunities", data="{not json",
                            content_type="application/json", headers=headers)
    assert malformed.status_code == 400
    assert client.post("/api/v1/opportunities", data="title=x", headers=headers,
                       content_type="application/x-www-form-urlencoded").status_code == 415
    assert client.post("/api/v1/opportunities", json=[1, 2], headers=headers).status_code == 422
    huge = client.post("/api/v1/opportunities", data="x" * (2 * 1024 * 1024),
                       content_type="application/json", headers=headers)
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == 413
    assert client.get("/api/v1/opportunities?updated_since=hier",
                      headers=headers).status_code == 400


def test_public_reading_without_token(app, client, make, place, spec):
    for n in range(22):
        make.submission(title=f"Besoin public numéro {n:02d}", territory=place["commune"],
                        theme=place["theme"])
    make.submission(status="pending", title="Pas encore publié")
    page = client.get(f"/api/v1/submissions?territory={place['commune'].code}")
    assert page.status_code == 200
    data = page.get_json()
    assert data["total"] == 22 and len(data["items"]) == 20 and "page=2" in data["next"]
    for item in data["items"]:
        assert "email" not in json.dumps(item)
    next_link = urlsplit(data["next"])
    second = client.get(f"{next_link.path}?{next_link.query}")
    assert len(second.get_json()["items"]) == 2 and second.get_json()["next"] is None
    one = client.get(f"/api/v1/submissions/{data['items'][0]['id']}")
    check(spec, one, "Submission")
    pending = make.submission(status="pending")
    assert client.get(f"/api/v1/submissions/{pending.id}").status_code == 404
    assert client.get("/api/v1/submissions?page=0&kind=x&territory=zz").status_code == 400
    codes = [t["code"] for t in client.get("/api/v1/territories").get_json()["items"]]
    assert place["commune"].code in codes
    assert client.get("/api/v1/themes").get_json()["items"][0]["code"] == place["theme"].code
    assert client.get("/api/v1/leads").get_json() == {"items": []}


def test_unknown_paths_and_methods_answer_json(client):
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404 and missing.is_json
    assert client.delete("/api/v1/themes").status_code == 405


def test_rate_limit_gives_429_with_retry_after(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3/minute")
    statuses = [client.get("/api/v1/themes").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/themes")
    assert limited.is_json and limited.headers.get("Retry-After")


def test_a_nul_character_is_refused_in_json_and_forms(app, client, auth, resident, admin,
                                                     organisation, place):
    token = issue(app, admin, organisation)
    response = client.post("/api/v1/opportunities", json=body(place, title="Un titre\x00 piégé"),
                           headers=bearer(token))
    assert response.status_code == 400 and response.is_json
    auth.login(resident)
    form = client.post("/contributions/nouvelle", data={"title": "Titre\x00", "body": "x"})
    assert form.status_code == 400 and "NUL" in form.text


def test_the_same_reference_sent_at_once_by_twelve_clients_makes_one_item(app, admin,
                                                                          organisation, place,
                                                                          backend):
    """Idempotency holds under a race: the unique constraint decides, everyone gets the item."""
    import threading

    if backend != "postgresql":
        pytest.skip("SQLite serialises writers; the race only exists on PostgreSQL")
    token = issue(app, admin, organisation)
    barrier = threading.Barrier(12)
    answers: list[tuple[int, int]] = []

    def send():
        client = app.test_client()
        barrier.wait(timeout=30)
        response = client.post("/api/v1/opportunities", json=body(place, reference="RACE-1"),
                               headers=bearer(token))
        answers.append((response.status_code, response.get_json()["id"]))

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 12
    assert sorted(status for status, _id in answers) == [200] * 11 + [201]
    assert len({item_id for _status, item_id in answers}) == 1


def test_every_failed_field_at_once_in_the_clients_language(app, client, admin, organisation,
                                                           place):
    token = issue(app, admin, organisation)
    sent = body(place, title="   ", description="x" * 10_001, territory="nulle-part", extra=1,
                reference=12)
    del sent["theme"]
    french = client.post("/api/v1/opportunities", json=sent,
                         headers={**bearer(token), "Accept-Language": "fr"})
    assert french.status_code == 422
    assert french.get_json()["error"] == {"code": 422, "message": "Champs non valides.", "fields": {
        "title": "Ce champ est requis.",
        "description": "Écrivez au plus 10000 caractères.",
        "territory": "Code inconnu\u202f: nulle-part.",
        "theme": "Ce champ est requis.",
        "reference": "Écrivez un texte.",
        "extra": "Champ inconnu."}}
    english = client.post("/api/v1/opportunities", json=sent,
                          headers={**bearer(token), "Accept-Language": "en-GB,en;q=0.8"})
    assert english.get_json()["error"]["fields"] == {
        "title": "This field is required.", "description": "Write at most 10000 characters.",
        "territory": "Unknown code: nulle-part.", "theme": "This field is required.",
        "reference": "Write a text.", "extra": "Unknown field."}


def test_query_strings_are_checked_by_their_models(app, client, admin, organisation):
    response = client.get("/api/v1/submissions?page=0&kind=x&territory=zz&sort=best&q=" + "q" * 201,
                          headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": 400, "message": "Invalid query parameters.", "fields": {
            "page": "Give a number of at least 1.",
            "kind": "Give one of: need, idea, opportunity.",
            "territory": "Unknown code: zz.",
            "sort": "Give one of: newest, supported, trending.",
            "q": "Write at most 200 characters."}}
    assert client.get("/api/v1/submissions?page=&kind=&status=").status_code == 200
    token = issue(app, admin, organisation)
    late = client.get("/api/v1/opportunities?updated_since=hier",
                      headers={**bearer(token), "Accept-Language": "fr"})
    assert late.status_code == 400 and late.get_json()["error"]["fields"] == {
        "updated_since": "Donnez une date et une heure au format ISO 8601, par exemple "
                         "2026-01-31T09:30:00Z."}
    assert client.get("/api/v1/opportunities?updated_since=2026-01-31T09:30:00%2B01:00",
                      headers=bearer(token)).status_code == 200


def test_the_document_is_the_models_own_schema_with_the_rules_bounds(client, place, spec):
    from portal.api import schemas
    from portal.services.partners import rules
    from portal.services.submissions.rules import BODY_LENGTH, SEARCH_LENGTH, TITLE_LENGTH

    post = spec["paths"]["/opportunities"]["post"]
    reference = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    documented = spec["components"]["schemas"][reference.rsplit("/", 1)[1]]
    model = schemas.NewItem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, code in (("territory", place["commune"].code), ("theme", place["theme"].code)):
        assert code in documented["properties"][name].pop("enum")
    assert documented == model
    properties = documented["properties"]

    def bounds(name):
        schema = properties[name].get("anyOf", [properties[name]])[0]
        return schema["minLength"], schema["maxLength"]

    assert bounds("title") == TITLE_LENGTH and bounds("description") == BODY_LENGTH
    assert bounds("reference") == rules.REFERENCE_LENGTH
    assert bounds("contact") == rules.CONTACT_LENGTH
    assert bounds("possible_partners") == rules.POSSIBLE_PARTNERS_LENGTH
    query = {p["name"]: p["schema"] for p in spec["paths"]["/submissions"]["get"]["parameters"]}
    assert query["q"]["maxLength"] == SEARCH_LENGTH
    assert place["commune"].code in query["territory"]["enum"]


def test_a_partner_polling_often_writes_its_last_use_once(app, client, admin, organisation,
                                                         count_queries):
    token = issue(app, admin, organisation, scopes=("opportunities:read",))
    with count_queries() as counter:
        for _ in range(6):
            assert client.get("/api/v1/opportunities", headers=bearer(token)).status_code == 200
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "api_tokens" in updates[0]
    with app.app_context():
        record = db.session.scalar(db.select(ApiToken).where(ApiToken.hint == token[-6:]))
        record.last_used_at -= api_tokens.LAST_USE_PRECISION
        db.session.commit()
    with count_queries() as counter:
        for _ in range(3):
            client.get("/api/v1/opportunities", headers=bearer(token))
    assert sum(s.lstrip().upper().startswith("UPDATE") for s in counter.statements) == 1


def test_inventing_a_new_token_each_time_does_not_escape_the_rate_limit(app, client,
                                                                        monkeypatch):
    """Keyed on the verified token or the address: 310 random Bearer values once met no 429."""
    import secrets

    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "5/hour")
    statuses = [client.get("/api/v1/opportunities", headers={
        "Authorization": f"Bearer {secrets.token_urlsafe(24)}"}).status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    assert client.get("/api/v1/opportunities").status_code == 429  # same address, no token


def test_opportunities_page_like_submissions_and_keep_updated_since(app, client, admin,
                                                                   organisation, place, spec):
    token = issue(app, admin, organisation)
    for n in range(23):
        assert client.post("/api/v1/opportunities", json=body(place, reference=f"P-{n:02d}"),
                           headers=bearer(token)).status_code == 201
    since = "2000-01-01T00:00:00Z"
    first = client.get(f"/api/v1/opportunities?updated_since={since}", headers=bearer(token))
    check(spec, first, "ItemList")
    data = first.get_json()
    assert data["total"] == 23 and len(data["items"]) == 20
    next_link = urlsplit(data["next"])
    assert data["next"].startswith(app.config["PUBLIC_URL"].rstrip("/") + "/")
    assert "page=2" in next_link.query and "updated_since=2000-01-01" in next_link.query
    second = client.get(f"{next_link.path}?{next_link.query}", headers=bearer(token)).get_json()
    assert len(second["items"]) == 3 and second["next"] is None
    references = {item["reference"] for item in data["items"] + second["items"]}
    assert references == {f"P-{n:02d}" for n in range(23)}
    later = client.get("/api/v1/opportunities?updated_since=2999-01-01T00:00:00Z",
                       headers=bearer(token)).get_json()
    assert later == {"items": [], "total": 0, "next": None}
    assert client.get("/api/v1/opportunities?page=0", headers=bearer(token)).status_code == 400
    parameters = {p["name"] for p in spec["paths"]["/opportunities"]["get"]["parameters"]}
    assert parameters == {"updated_since", "page"}
