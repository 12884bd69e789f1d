"""Writing records in bulk, keyed by their identifiers: create the new, update the changed,
leave the unchanged alone (so that importing the same dataset twice writes nothing).

Every record created or changed is marked with the import batch, and a changed record's
version goes up, as a service's save would do (optimistic locking keeps working).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

from earlyhelp.audit.services import Actor
from earlyhelp.common.models import ImportBatch

CHUNK = 2000
Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Table:
    """A model, the fields that identify a record and the fields the import writes."""

    model: type[models.Model]
    key: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who writes, when, and in which batch."""

    batch: ImportBatch
    actor: Actor
    now: datetime


@dataclass
class Written:
    """What one chunk did: the records created, and those updated with their old values."""

    created: list[Any] = field(default_factory=list)
    updated: list[tuple[Any, Record]] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, written: Written) -> None:
        self.created += len(written.created)
        self.updated += len(written.updated)
        self.unchanged += written.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def upsert(table: Table, records: list[Record], stamp: Stamp) -> Written:
    """Write one chunk of records (identifiers unique within the chunk)."""
    stored = _stored(table, records)
    written = Written()
    changed: dict[int, tuple[Record, Record]] = {}  # by primary key: new values, old values
    for record in records:
        found = stored.get(tuple(record[name] for name in table.key))
        if found is None:
            written.created.append(_new(table, record, stamp))
            continue
        pk, values = found
        before = {
            name: old for name, old in zip(table.fields, values, strict=True) if old != record[name]
        }
        if before:
            changed[pk] = (record, before)
        else:
            written.unchanged += 1
    # Updates first: a value unique among records (an NHS number) may move to a new one.
    written.updated = _update(table, changed, stamp)
    table.model._default_manager.bulk_create(written.created, batch_size=CHUNK)
    return written


def _stored(table: Table, records: list[Record]) -> dict[tuple[Any, ...], tuple[int, tuple]]:
    """(primary key, values of the fields) of the stored records with the chunk's keys.

    Plain values, not model instances: most records of a repeated import are unchanged,
    and only the changed ones are loaded as instances (by `_update`).
    """
    lookups = {f"{name}__in": {record[name] for record in records} for name in table.key}
    rows = table.model._default_manager.filter(**lookups).values_list(
        "pk", *table.key, *table.fields
    )
    width = len(table.key)
    wanted = {tuple(record[name] for name in table.key) for record in records}
    stored = {tuple(row[1 : 1 + width]): (row[0], row[1 + width :]) for row in rows}
    return {key: found for key, found in stored.items() if key in wanted}


def _new(table: Table, record: Record, stamp: Stamp) -> Any:
    return table.model(
        **record,
        import_batch=stamp.batch,
        created_by_id=stamp.actor.id,
        updated_by_id=stamp.actor.id,
    )


def _update(
    table: Table, changed: dict[int, tuple[Record, Record]], stamp: Stamp
) -> list[tuple[Any, Record]]:
    """Write the changed fields, bump the version; each record with its old values."""
    if not changed:
        return []
    updated = []
    for current in table.model._default_manager.filter(pk__in=changed):
        record, before = changed[current.pk]
        for name in before:
            setattr(current, name, record[name])
        current.version += 1
        current.import_batch = stamp.batch
        current.updated_by_id = stamp.actor.id
        current.updated_at = stamp.now
        updated.append((current, before))
    table.model._default_manager.bulk_update(
        [current for current, _ in updated],
        fields=[*table.fields, "version", "import_batch", "updated_by_id", "updated_at"],
        batch_size=CHUNK,
    )
    return updated


def pks(model: type[models.Model], ref_field: str, refs: Iterable[str | None]) -> dict[str, int]:
    """Primary keys by identifier, for the identifiers given (a chunk's references)."""
    wanted = {ref for ref in refs if ref}
    if not wanted:
        return {}
    rows = model._default_manager.filter(**{f"{ref_field}__in": wanted}).values_list(
        ref_field, "pk"
    )
    return dict(rows)
