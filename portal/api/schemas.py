"""One pydantic model per input of the API, and one per answer it gives.

The views validate with the input models (`views.parse`), and `openapi.py` builds the document
from every model here, so what the document says and what the API accepts cannot drift apart.
Bounds come from the domains' rules modules, never from literals.

Texts are stripped (as the use cases strip them) before their length is checked; the document
adds a `pattern` that says the same thing to a generator of requests. Territory and theme codes
are checked against the database when the view passes `context={"codes": ...}` (a `CodeLookup`);
the document lists the live codes as enums.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..forms import MAX_PAGE
from ..models import LeadStage, SubmissionKind, SubmissionStatus
from ..services.core.text import CONTROL_CLASS
from ..services.partners.rules import CONTACT_LENGTH, POSSIBLE_PARTNERS_LENGTH, REFERENCE_LENGTH
from ..services.partners.webhooks import EVENT_LABELS, TEST_EVENT
from ..services.submissions.listing import RANKED_SORT, SORTS
from ..services.submissions.rules import BODY_LENGTH, SEARCH_LENGTH, TITLE_LENGTH

#: The statuses the public listing shows (the others stay private).
LISTED_STATUSES = (SubmissionStatus.PUBLISHED, SubmissionStatus.UNDER_STUDY,
                   SubmissionStatus.IN_PROJECT, SubmissionStatus.DECLINED)


def _literal(values) -> Any:
    return Literal[tuple(str(value) for value in values)]


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _blank_is_none(value: Any) -> Any:
    """In a query string, `?kind=` means no filter, as it always has."""
    return None if value == "" else value


def _text_pattern(low: int) -> str:
    """The stripped text holds at least `low` characters, and no control character (which the
    portal refuses at the door, `core.text.CONTROL_CHARACTERS`)."""
    c = CONTROL_CLASS
    space = rf"[^\S{c}]"
    if low <= 1:
        return rf"^[^{c}]*[^\s{c}][^{c}]*$"
    return rf"^{space}*[^\s{c}][^{c}]{{{low - 2},}}[^\s{c}]{space}*$"


def Text(bounds: tuple[int, int], description: str | None = None) -> Any:
    """A text whose stripped length lies within `bounds` (minimum, maximum)."""
    low, high = bounds
    return Annotated[str, BeforeValidator(_stripped), Field(
        min_length=low, max_length=high, description=description,
        json_schema_extra={"pattern": _text_pattern(low)})]


def _iso_datetime(value: Any) -> Any:
    """ISO 8601 only (Python's reading of it), a trailing Z allowed; no Unix timestamps."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise PydanticCustomError("datetime_parsing", "not an ISO 8601 date and time",
                                      {"error": "iso"}) from None
    return value


def _naive_utc(moment: datetime | None) -> datetime | None:
    """The database stores naive UTC. 0001-01-01T00:00+14:00 or 9999-12-31T23:59-14:00 have no
    UTC time a datetime can hold: the same refusal as a date that cannot be read."""
    if moment is not None and moment.tzinfo is not None:
        try:
            return moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise PydanticCustomError("datetime_parsing", "out of the range of dates",
                                      {"error": "iso"}) from None
    return moment


class CodeLookup(Protocol):
    def __call__(self, field: str, code: str) -> int | None: ...


def _known_code(value: str | None, info: ValidationInfo) -> str | None:
    lookup: CodeLookup | None = (info.context or {}).get("codes")
    if value is not None and lookup is not None and lookup(info.field_name, value) is None:
        raise PydanticCustomError("unknown_code", "unknown code {code}", {"code": value})
    return value


# Inputs ------------------------------------------------------------------------------------------

class NewItem(BaseModel):
    """The body of POST /opportunities: an opportunity a partner forwards."""

    model_config = ConfigDict(extra="forbid")

    title: Text(TITLE_LENGTH)
    description: Text(BODY_LENGTH)
    territory: str = Field(description="a code from GET /territories")
    theme: str = Field(description="a code from GET /themes")
    reference: Text(REFERENCE_LENGTH, "your own id: sending it again returns the same item") \
        | None = None
    contact: Text(CONTACT_LENGTH) | None = None
    possible_partners: Text(POSSIBLE_PARTNERS_LENGTH) | None = None

    _codes = field_validator("territory", "theme")(_known_code)


class ItemQuery(BaseModel):
    """The query string of GET /opportunities."""

    updated_since: Annotated[datetime | None, BeforeValidator(_iso_datetime),
                             AfterValidator(_naive_utc)] = Field(
        None, description="only the items changed after this moment (ISO 8601): a status, an "
                          "answer, a lead stage or an enterprise created changes an item")
    page: Annotated[int, BeforeValidator(lambda value: value or 1)] = Field(1, ge=1, le=MAX_PAGE)


class SubmissionQuery(BaseModel):
    """The query string of GET /submissions."""

    kind: Annotated[_literal(SubmissionKind) | None, BeforeValidator(_blank_is_none)] = None
    territory: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="a code from GET /territories: this territory or below")
    theme: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="a code from GET /themes")
    status: Annotated[_literal(LISTED_STATUSES) | None, BeforeValidator(_blank_is_none)] = None
    q: str = Field("", max_length=SEARCH_LENGTH, description="words to search",
                   json_schema_extra={"pattern": rf"^[^{CONTROL_CLASS}]*$"})
    sort: _literal(SORTS) = Field(
        "newest", description=f"with q, {RANKED_SORT} gives the most relevant first, then the "
        "newest")
    page: Annotated[int, BeforeValidator(lambda value: value or 1)] = Field(1, ge=1, le=MAX_PAGE)

    _codes = field_validator("territory", "theme")(_known_code)


# Answers -----------------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    code: int
    message: str
    fields: dict[str, str] | None = Field(
        None, description="what is wrong with each field, when fields are at fault")
    item_id: int | None = Field(
        None, description="409: the item already forwarded under this reference with another "
                          "content")


class Error(BaseModel):
    """Every refusal: the HTTP status again, a sentence, and each failed field at once."""

    error: ErrorDetail


class Item(BaseModel):
    """What a partner sees of an item it forwarded, in the API and in webhook events."""

    id: int
    reference: str | None
    title: str
    status: _literal(SubmissionStatus)
    public_answer: str | None
    lead_stage: _literal(LeadStage) | None
    url: str | None
    updated_at: datetime


class ItemList(BaseModel):
    """One page of 20, the newest first; `next` is the address of the next page (with the same
    `updated_since`), null on the last."""

    items: list[Item]
    total: int
    next: str | None


#: The events about an item that a webhook receives.
ITEM_EVENTS = tuple(event for event in EVENT_LABELS if event != TEST_EVENT)


class WebhookEvent(BaseModel):
    """The body of an event about one of your items: what happened, and the item as
    `GET /opportunities/{id}` shows it then."""

    event: _literal(ITEM_EVENTS)
    item: Item


class WebhookTest(BaseModel):
    """The body of a test event, sent from the partner space's button."""

    event: Literal["test"]
    organisation: str
    created_at: datetime


class Submission(BaseModel):
    """A published contribution (open data)."""

    id: int
    kind: _literal(SubmissionKind)
    status: _literal(LISTED_STATUSES)
    title: str
    body: str
    territory_code: str
    territory_name: str
    theme_code: str
    target_public: str | None
    author_display_name: str | None
    support_count: int
    comment_count: int
    public_answer: str | None
    created_at: datetime
    published_at: datetime | None
    lead_id: int | None
    url: str


class SubmissionPage(BaseModel):
    """One page of 20; `next` is the address of the next page, null on the last."""

    items: list[Submission]
    total: int = Field(description="how many match, counted up to 1,000 (more say 1,000)")
    next: str | None


class Lead(BaseModel):
    """A public project lead; a section the lead keeps private is null."""

    id: int
    title: str
    summary: str
    stage: _literal(LeadStage)
    territory_code: str
    territory_name: str
    theme_code: str
    need: str | None
    existing_offers: str | None
    economic_model: str | None
    carrier_profile: str | None
    budget: str | None
    enterprise_name: str | None
    enterprise_legal_form: str | None
    enterprise_created_on: date | None
    source_submission_ids: list[int]
    updated_at: datetime
    url: str


class LeadList(BaseModel):
    items: list[Lead]


class TerritoryRecord(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None = Field(description="the code of the territory above, if any")


class TerritoryList(BaseModel):
    items: list[TerritoryRecord]


class ThemeRecord(BaseModel):
    code: str
    name_fr: str
    name_en: str


class ThemeList(BaseModel):
    items: list[ThemeRecord]
