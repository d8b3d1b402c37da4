"""The OpenAPI 3.1 description of /api/v1, built from the models of `schemas.py`: the document
says what the views validate with, and nothing is written twice. Checked against real answers by
the tests and by schemathesis."""
from __future__ import annotations

from pydantic import BaseModel

from . import schemas

REF = "#/components/schemas/{model}"
#: The models the document names in `components.schemas`.
COMPONENTS = (schemas.Error, schemas.NewItem, schemas.Item, schemas.ItemList, schemas.Submission,
              schemas.SubmissionPage, schemas.Lead, schemas.LeadList, schemas.TerritoryList,
              schemas.ThemeList, schemas.WebhookEvent, schemas.WebhookTest)
#: How a webhook request is signed; the documentation page shows it in Python and in shell.
SIGNATURE_SCHEME = (
    "Each request carries `X-Fabrique-Timestamp` (Unix seconds), `X-Fabrique-Delivery` (the "
    "same on every retry of one event: drop a repeat) and `X-Fabrique-Signature`: `sha256=` "
    "followed by the hexadecimal HMAC-SHA256 of `<timestamp>.<body>` keyed with the "
    "organisation's secret. During the grace period after a new secret is made, the header "
    "carries two signatures separated by a comma, the new secret's first: accept the request "
    "when one matches. Answer with a 2xx status within 5 seconds; anything else is retried "
    "with a growing delay, and a redirect is never followed.")
#: What each webhook event means, for the document.
WEBHOOK_SUMMARIES = {
    "published": "The item is published", "declined": "The item was not retained",
    "answered": "The Fabrique answered on the item", "status_changed": "The item's status "
    "changed, with an answer", "merged": "The item was merged into another contribution",
    "in_project": "The item became part of a project lead", "lead_stage": "The project lead "
    "made from the item changed stage (or its enterprise was created)",
    "withdrawn": "The item was withdrawn", "details_requested": "The Fabrique asks for details",
    "hidden": "The item is hidden after reports", "test": "A test event, sent on request",
    "merge_undone": "A merge was undone: the item stands on its own again",
    "left_lead": "The item is no longer part of a project lead (detached, or the lead deleted)",
}


def model_schema(model: type[BaseModel], components: dict) -> dict:
    """The model's JSON schema; the models it refers to go into `components`."""
    schema = model.model_json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    return schema


def _ref(model: type[BaseModel]) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description: str, model: type[BaseModel]) -> dict:
    return {"description": description, **_json(_ref(model))}


def _errors(*codes: int) -> dict:
    return {str(code): _answer("error", schemas.Error) for code in codes}


def _codes(schema: dict, codes: list[str]) -> dict:
    """A code property of a model, restricted to the codes the portal knows today."""
    if "anyOf" in schema:  # optional: the code or nothing
        return {key: value for key, value in schema.items() if key != "anyOf"} | {
            "anyOf": [{"type": "string", "enum": codes}, {"type": "null"}]}
    return {**schema, "enum": codes}


def parameters(model: type[BaseModel], components: dict, live: dict[str, list[str]]) -> list:
    """One query parameter per field of a query model; `live` adds enums of codes."""
    schema = model_schema(model, components)
    required = set(schema.get("required", ()))
    found = []
    for name, prop in schema["properties"].items():
        if name in live:
            prop = _codes(prop, live[name])
        prop = {key: value for key, value in prop.items() if key != "description"}
        parameter = {"name": name, "in": "query", "required": name in required,
                     "schema": _query_value(prop)}
        if model.model_fields[name].description:
            parameter["description"] = model.model_fields[name].description
        found.append(parameter)
    return found


def _query_value(schema: dict) -> dict:
    """A query string cannot carry null: an absent parameter is the null of the model."""
    if "anyOf" in schema:
        kept = [option for option in schema["anyOf"] if option.get("type") != "null"]
        rest = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
        return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}
    return schema


def _signature_headers() -> list[dict]:
    return [
        {"name": "X-Fabrique-Signature", "in": "header", "required": True,
         "description": SIGNATURE_SCHEME, "schema": {
             "type": "string", "pattern": r"^sha256=[0-9a-f]{64}(, sha256=[0-9a-f]{64})?$"}},
        {"name": "X-Fabrique-Timestamp", "in": "header", "required": True,
         "schema": {"type": "string", "pattern": r"^[0-9]+$"}},
        {"name": "X-Fabrique-Delivery", "in": "header", "required": True,
         "schema": {"type": "string"}},
    ]


def webhooks() -> dict:
    """The `webhooks` section (OpenAPI 3.1): one POST per event, its body and its signature."""
    found = {}
    for event in (*schemas.ITEM_EVENTS, schemas.TEST_EVENT):
        summary = WEBHOOK_SUMMARIES[event]  # every event the portal sends is described
        model = schemas.WebhookTest if event == schemas.TEST_EVENT else schemas.WebhookEvent
        body = _ref(model) if model is schemas.WebhookTest else {"allOf": [_ref(model), {
            "properties": {"event": {"const": event}}}]}
        found[event] = {"post": {
            "summary": summary, "description": SIGNATURE_SCHEME,
            "parameters": _signature_headers(),
            "requestBody": {"required": True, **_json(body)},
            "responses": {"2XX": {"description": "received; any other answer is retried"}}}}
    return found


def document(server: str, territory_codes: list[str], theme_codes: list[str]) -> dict:
    """The live document: the territory and theme codes are those the portal knows today."""
    components: dict = {}
    for model in COMPONENTS:
        components[model.__name__] = model_schema(model, components)
    live = {"territory": territory_codes, "theme": theme_codes}
    new_item = components["NewItem"]
    for name, codes in live.items():
        new_item["properties"][name] = _codes(new_item["properties"][name], codes)
    secured = [{"bearer": []}]
    identifier = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fabrique à initiatives — API", "version": "1.0.0",
                 "description": "Public contributions and projects (open data, Licence Ouverte "
                                "2.0), and forwarding of orphan opportunities by partners."},
        "servers": [{"url": server}],
        "webhooks": webhooks(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": components,
        },
        "paths": {
            "/opportunities": {
                "post": {"summary": "Forward an opportunity", "security": secured,
                         "requestBody": {"required": True, **_json(_ref(schemas.NewItem))},
                         "responses": {"201": _answer("created", schemas.Item),
                                       "200": _answer("already forwarded with the same "
                                                      "content", schemas.Item),
                                       "409": _answer("the reference is used by an item with "
                                                      "another content", schemas.Error),
                                       **_errors(400, 401, 403, 413, 415, 422, 429)}},
                "get": {"summary": "Your organisation's items, 20 per page", "security": secured,
                        "parameters": parameters(schemas.ItemQuery, components, live),
                        "responses": {"200": _answer("items", schemas.ItemList),
                                      **_errors(400, 401, 403, 429)}},
            },
            "/opportunities/{id}": {"get": {
                "summary": "One of your items", "security": secured, "parameters": identifier,
                "responses": {"200": _answer("item", schemas.Item),
                              **_errors(401, 403, 404, 429)}}},
            "/submissions": {"get": {
                "summary": "Published contributions, 20 per page",
                "parameters": parameters(schemas.SubmissionQuery, components, live),
                "responses": {"200": _answer("a page", schemas.SubmissionPage),
                              **_errors(400, 429)}}},
            "/submissions/{id}": {"get": {
                "summary": "One published contribution", "parameters": identifier,
                "responses": {"200": _answer("contribution", schemas.Submission),
                              **_errors(404, 429)}}},
            "/leads": {"get": {"summary": "Public project leads and their public fields",
                               "responses": {"200": _answer("leads", schemas.LeadList),
                                             **_errors(429)}}},
            "/territories": {"get": {"summary": "Territory codes", "responses": {
                "200": _answer("territories", schemas.TerritoryList), **_errors(429)}}},
            "/themes": {"get": {"summary": "Theme codes", "responses": {
                "200": _answer("themes", schemas.ThemeList), **_errors(429)}}},
        },
    }
