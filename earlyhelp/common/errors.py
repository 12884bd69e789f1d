"""Errors the services raise. Pages and the API turn them into messages naming the field."""

from __future__ import annotations

from earlyhelp.domain.errors import DomainError


class NotFound(DomainError):
    """The record does not exist or the user may not see it: the two are not told apart."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(f"No {what} was found.")


class PermissionRefused(DomainError):
    """The user may see the record but not do this to it."""


class StaleRecord(DomainError):
    """Someone else changed the record since it was read (optimistic locking)."""

    def __init__(self, *, what: str, changes: dict[str, tuple[object, object]] | None = None):
        super().__init__(
            f"This {what} was changed by someone else while you were editing it. "
            "Check their changes, then save yours again.",
        )
        self.changes = changes or {}


class InvalidInput(DomainError):
    """Input failed validation. `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=first_field)
        self.errors = errors
