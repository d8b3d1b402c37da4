"""Domain errors a use case raises and the edges (forms, API, CLI) turn into messages.

An `InvalidInput` carries every failed field at once, so a person fixes all their mistakes in one
round trip; `Problems` collects them while a use case validates.
"""
from __future__ import annotations

#: The key for a message that belongs to no single field.
GENERAL = "__all__"


class DomainError(Exception):
    status = 400

    def __init__(self, message: str | None = None, field: str | None = None, *,
                 errors: dict[str, list[str]] | None = None):
        self.errors: dict[str, list[str]] = {
            key: list(value) for key, value in (errors or {}).items()
        }
        if message is not None:
            self.errors.setdefault(field or GENERAL, []).append(message)
        first_field, messages = next(iter(self.errors.items()), (GENERAL, [""]))
        self.message = message if message is not None else messages[0]
        self.field = field if message is not None else (None if first_field == GENERAL
                                                         else first_field)
        super().__init__(self.message)

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


class InvalidInput(DomainError):
    """Values break rules; `errors` maps each form field to what is wrong with it."""

    status = 422


class NotAllowed(DomainError):
    status = 403


class InvalidToken(DomainError):
    status = 400


class Problems:
    """Collects every failed field of one use case, then raises them together."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str | None, message: str) -> None:
        self.errors.setdefault(field or GENERAL, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(errors=self.errors)


def check_length(problems: Problems, field: str, value: str | None, bounds: tuple[int, int],
                 *, required: bool = True) -> str:
    """Strip `value` and check it against (minimum, maximum) characters; returns it stripped."""
    from flask_babel import gettext as _

    text = (value or "").strip()
    low, high = bounds
    if not text:
        if required:
            problems.add(field, _("This field is required."))
    elif len(text) < low:
        problems.add(field, _("Write at least %(count)d characters.", count=low))
    elif len(text) > high:
        problems.add(field, _("Write at most %(count)d characters.", count=high))
    return text
