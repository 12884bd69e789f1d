"""Plain-value snapshots of records and the differences between two of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.db import models

_UNTRACKED = {"id", "created_at", "updated_at", "version", "created_by_id", "updated_by_id"}


def plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, object]:
    """The stored values of a record, as JSON-ready plain values keyed by field name."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.name not in _UNTRACKED
    ]
    return {name: plain(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
