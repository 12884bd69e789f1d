"""Small query idioms shared by the apps."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def unique_or_none(queryset: models.QuerySet[M]) -> M | None:
    """The row of a lookup by a unique key, or None. Unlike `.first()` it adds no ORDER BY:
    with one row at most there is nothing to sort, and the ordering costs a compile."""
    return next(iter(queryset.order_by()[:1]), None)
