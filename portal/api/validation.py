"""Running an input model of `schemas.py` on a request, and turning what it refuses into the API's
own error body, in the request's language: pydantic's English never reaches a partner."""
from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from ..services.core.errors import GENERAL, DomainError

#: The key of a message about the body as a whole.
BODY = "body"
M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """Becomes `{"error": {"code": status, "message": message, "fields": {name: message}}}`."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None,
                 item_id: int | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields
        self.item_id = item_id


def parse(model: type[M], data: Any, *, status: int, message: str,
          context: dict | None = None) -> M:
    """Validate `data` (a JSON body or the query arguments) with `model`, or raise one ApiError
    listing every failed field at once. A field keeps only its FIRST message: these models are
    flat, so pydantic finds at most one fault per field and a second would restate it."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        fields: dict[str, str] = {}
        for problem in error.errors(include_url=False):
            name = str(problem["loc"][0]) if problem["loc"] else BODY
            fields.setdefault(name, _sentence(model, name, problem))
        raise ApiError(status, message, fields) from None


def domain_fields(error: DomainError) -> dict[str, str]:
    """A use case's refusal as the `fields` of the body: every field, its first message."""
    return {(BODY if name == GENERAL else name): messages[0]
            for name, messages in error.errors.items() if messages}


def _sentence(model: type[BaseModel], name: str, problem: dict) -> str:
    kind, ctx = problem["type"], problem.get("ctx") or {}
    too_short, too_long = kind in ("string_too_short", "too_short"), kind in (
        "string_too_long", "too_long")
    if kind == "missing" or (too_short and not str(problem.get("input") or "").strip()):
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if too_short:
        return _("Write at least %(count)d characters.", count=ctx["min_length"])
    if too_long:
        return _("Write at most %(count)d characters.", count=ctx["max_length"])
    if kind == "string_type":
        return _("Write a text.")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Give a whole number.")
    if kind == "greater_than_equal":
        return _("Give a number of at least %(limit)s.", limit=ctx["ge"])
    if kind == "less_than_equal":
        return _("Give a number of at most %(limit)s.", limit=ctx["le"])
    if kind in ("literal_error", "enum"):
        return _("Give one of: %(choices)s.", choices=", ".join(_choices(model, name)))
    if kind.startswith(("datetime_", "date_")):
        return _("Give a date and time in ISO 8601, such as 2026-01-31T09:30:00Z.")
    if kind == "unknown_code":
        return _("Unknown code: %(code)s.", code=ctx["code"])
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("The body must be a JSON object.")
    return _("This value is not valid.")


@cache
def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The values a field offers, read from the model's own JSON schema."""
    schema = model.model_json_schema()["properties"].get(name, {})
    for option in [schema, *schema.get("anyOf", ())]:
        if "enum" in option:
            return tuple(str(value) for value in option["enum"])
    return ()
