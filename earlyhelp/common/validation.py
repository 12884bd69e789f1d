"""Turn Django's model validation into the services' `InvalidInput`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.errors import DomainError


def full_clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        raise InvalidInput(
            {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        ) from error


def as_invalid_input(error: DomainError) -> InvalidInput:
    return InvalidInput({error.field or "__all__": [error.message]})
