"""Human references of new records: a prefix and a zero-padded number (N0000042)."""

from __future__ import annotations

from django.db import models


def next_reference(model: type[models.Model], *, field: str, prefix: str) -> str:
    """The reference after the highest one in `field` that starts with `prefix`.

    References that do not end in a number (imported ones, say) are not counted on.
    """
    last = (
        model._default_manager.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    suffix = last[len(prefix) :] if last else ""
    number = int(suffix) + 1 if suffix.isdigit() else 1
    return f"{prefix}{number:07d}"
