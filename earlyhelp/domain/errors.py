"""Errors that domain rules raise; services let them through and pages show their message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request. `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionRefused(DomainError):
    """The case cannot move that way from where it is."""


class InvalidIdentifier(DomainError):
    """An identifier (NHS number, UPN, postcode) is malformed."""
