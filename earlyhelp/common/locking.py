"""Optimistic locking: a save based on an old version is refused, showing what changed."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from earlyhelp.common.errors import StaleRecord
from earlyhelp.common.snapshots import diff, snapshot

M = TypeVar("M", bound=models.Model)


def lock_current(model: type[M], *, pk: int, version: int, what: str, seen: M | None = None) -> M:
    """The row locked for update, if it is still at `version`; else `StaleRecord`.

    `seen` is the copy the user edited; the error then lists each field someone else
    changed, with the value the user saw and the value now stored.
    """
    current = model._default_manager.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]
        changes = diff(snapshot(seen), snapshot(current)) if seen is not None else {}
        raise StaleRecord(what=what, changes={k: (v[0], v[1]) for k, v in changes.items()})
    return current


def bump(instance: models.Model, *, user_id: int | None) -> None:
    instance.version += 1  # type: ignore[attr-defined]
    instance.updated_by_id = user_id  # type: ignore[attr-defined]
