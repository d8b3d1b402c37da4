"""Domain errors a service raises and a view turns into a message and a status code."""
from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A value breaks a rule; `field` names the form field to show the message on."""

    status = 422


class NotAllowed(DomainError):
    status = 403


class InvalidToken(DomainError):
    status = 400
