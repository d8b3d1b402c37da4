"""The OpenAPI 3.1 description of /api/v1, checked against real responses by the tests."""
from __future__ import annotations

NULLABLE_STRING = {"type": ["string", "null"]}
ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}},
}
ITEM = {
    "type": "object",
    "required": ["id", "reference", "title", "status", "public_answer", "lead_stage", "url",
                 "updated_at"],
    "properties": {
        "id": {"type": "integer"}, "reference": NULLABLE_STRING, "title": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "published", "under_study",
                                              "in_project", "declined", "merged", "withdrawn",
                                              "hidden"]},
        "public_answer": NULLABLE_STRING,
        "lead_stage": {"type": ["string", "null"], "enum": [
            None, "detected", "opportunity", "carrier_search", "feasibility", "launch",
            "created", "paused", "abandoned"]},
        "url": NULLABLE_STRING, "updated_at": {"type": "string", "format": "date-time"},
    },
}
NEW_ITEM = {
    "type": "object", "required": ["title", "description", "territory", "theme"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 8, "maxLength": 160},
        "description": {"type": "string", "minLength": 30, "maxLength": 10000},
        "territory": {"type": "string", "description": "a code from GET /territories"},
        "theme": {"type": "string", "description": "a code from GET /themes"},
        "reference": {"type": "string", "minLength": 1, "maxLength": 100,
                      "description": "your own id: sending it again returns the same item"},
        "contact": {"type": "string", "minLength": 1, "maxLength": 200},
        "possible_partners": {"type": "string", "minLength": 1, "maxLength": 5000},
    },
}
SUBMISSION = {
    "type": "object",
    "required": ["id", "kind", "status", "title", "body", "territory_code", "theme_code",
                 "support_count", "comment_count", "url"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string"}, "status": {"type": "string"},
        "title": {"type": "string"}, "body": {"type": "string"},
        "territory_code": {"type": "string"}, "territory_name": {"type": "string"},
        "theme_code": {"type": "string"}, "target_public": NULLABLE_STRING,
        "author_display_name": NULLABLE_STRING, "support_count": {"type": "integer"},
        "comment_count": {"type": "integer"}, "public_answer": NULLABLE_STRING,
        "created_at": {"type": "string"}, "published_at": NULLABLE_STRING,
        "lead_id": {"type": ["integer", "null"]}, "url": {"type": "string"},
    },
}
LEAD = {
    "type": "object", "required": ["id", "title", "stage", "territory_code", "theme_code", "url"],
    "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                   "stage": {"type": "string"}, "territory_code": {"type": "string"},
                   "theme_code": {"type": "string"}, "url": {"type": "string"},
                   "source_submission_ids": {"type": "array", "items": {"type": "integer"}}},
}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    return {str(code): {"description": "error", **_json({"$ref": "#/components/schemas/Error"})}
            for code in codes}


def _list_of(ref: str) -> dict:
    return {"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": ref}}}}


def _text(low: int, high: int) -> dict:
    """Trimmed length counts, so the text must hold as many characters that are not blanks."""
    return {"type": "string", "minLength": low, "maxLength": high,
            "pattern": rf"^\s*[^\s\u0000][^\u0000]{{{max(low - 2, 0)},}}[^\s\u0000]\s*$"
            if low > 1 else r"^[^\u0000]*[^\s\u0000][^\u0000]*$"}


def document(server: str, territory_codes: list[str], theme_codes: list[str]) -> dict:
    """The live document: the territory and theme codes are those the portal knows today."""
    secured = [{"bearer": []}]
    new_item = {**NEW_ITEM, "properties": {
        **NEW_ITEM["properties"],
        "title": _text(8, 160), "description": _text(30, 10000),
        "reference": _text(1, 100), "contact": _text(1, 200), "possible_partners": _text(1, 5000),
        "territory": {**NEW_ITEM["properties"]["territory"], "enum": territory_codes},
        "theme": {**NEW_ITEM["properties"]["theme"], "enum": theme_codes},
    }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fabrique à initiatives — API", "version": "1.0.0",
                 "description": "Public contributions and projects (open data, Licence Ouverte "
                                "2.0), and forwarding of orphan opportunities by partners."},
        "servers": [{"url": server}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR, "Item": ITEM, "NewItem": new_item,
                        "Submission": SUBMISSION, "Lead": LEAD},
        },
        "paths": {
            "/opportunities": {
                "post": {"summary": "Forward an opportunity", "security": secured,
                         "requestBody": {"required": True,
                                         **_json({"$ref": "#/components/schemas/NewItem"})},
                         "responses": {"201": {"description": "created",
                                               **_json({"$ref": "#/components/schemas/Item"})},
                                       "200": {"description": "already forwarded",
                                               **_json({"$ref": "#/components/schemas/Item"})},
                                       **_errors(400, 401, 403, 413, 415, 422, 429)}},
                "get": {"summary": "Your organisation's items", "security": secured,
                        "parameters": [{"name": "updated_since", "in": "query",
                                        "schema": {"type": "string", "format": "date-time"}}],
                        "responses": {"200": {"description": "items", **_json(
                            _list_of("#/components/schemas/Item"))},
                            **_errors(400, 401, 403, 429)}},
            },
            "/opportunities/{id}": {"get": {
                "summary": "One of your items", "security": secured,
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "item",
                                      **_json({"$ref": "#/components/schemas/Item"})},
                              **_errors(401, 403, 404, 429)}}},
            "/submissions": {"get": {
                "summary": "Published contributions, 20 per page",
                "parameters": [{"name": name, "in": "query", "schema": schema} for name, schema in (
                    ("kind", {"type": "string", "enum": ["need", "idea", "opportunity"]}),
                    ("territory", {"type": "string", "enum": territory_codes}),
                    ("theme", {"type": "string", "enum": theme_codes}),
                    ("status", {"type": "string", "enum": ["published", "under_study",
                                                           "in_project", "declined"]}),
                    ("q", {"type": "string", "maxLength": 200, "pattern": r"^[^\u0000]*$"}),
                    ("sort", {"type": "string", "enum": ["newest", "supported", "trending"]}),
                    ("page", {"type": "integer", "minimum": 1, "maximum": 100000}))],
                "responses": {"200": {"description": "a page", **_json({
                    "type": "object", "required": ["items", "total", "next"],
                    "properties": {"items": {"type": "array",
                                             "items": {"$ref": "#/components/schemas/Submission"}},
                                   "total": {"type": "integer"},
                                   "next": NULLABLE_STRING}})},
                    **_errors(400, 429)}}},
            "/submissions/{id}": {"get": {
                "summary": "One published contribution",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "contribution", **_json(
                    {"$ref": "#/components/schemas/Submission"})}, **_errors(404, 429)}}},
            "/leads": {"get": {"summary": "Public project leads and their public fields",
                               "responses": {"200": {"description": "leads", **_json(
                                   _list_of("#/components/schemas/Lead"))}, **_errors(429)}}},
            "/territories": {"get": {"summary": "Territory codes", "responses": {
                "200": {"description": "territories", **_json({"type": "object"})}}}},
            "/themes": {"get": {"summary": "Theme codes", "responses": {
                "200": {"description": "themes", **_json({"type": "object"})}}}},
        },
    }
