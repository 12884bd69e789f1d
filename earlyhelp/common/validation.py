"""Turn Django's model validation into the services' `InvalidInput`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import models

from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.errors import DomainError

_INPUT_CHECKED: ContextVar[bool] = ContextVar("input_checked", default=False)


@contextmanager
def input_already_checked() -> Iterator[None]:
    """Within it, records are validated in Python only (lengths, choices, formats).

    For a service that has checked its whole input against the domain rules first (a
    partner's submission): the database still enforces every constraint, and the queries
    that only turn a constraint into a friendlier message (some 30 for one submission) are
    not worth their cost on the busiest write path.
    """
    token = _INPUT_CHECKED.set(True)
    try:
        yield
    finally:
        _INPUT_CHECKED.reset(token)


def _related_fields(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if f.is_relation]


def full_clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    in_database = not _INPUT_CHECKED.get()
    if not in_database:
        exclude = [*(exclude or []), *_related_fields(instance)]
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=in_database, validate_constraints=in_database
        )
    except ValidationError as error:
        raise InvalidInput(
            {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        ) from error


def as_invalid_input(error: DomainError) -> InvalidInput:
    return InvalidInput({error.field or "__all__": [error.message]})
