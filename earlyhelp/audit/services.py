"""The one place audit rows are written. Services call these inside their transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction

__all__ = [
    "Actor",
    "Refs",
    "SYSTEM",
    "access_record",
    "case_event_record",
    "change_record",
    "change_records_together",
    "diff",
    "snapshot",
]

from earlyhelp.audit.models import AccessLog, Action, CaseEvent, ChangeRecord
from earlyhelp.common import clock
from earlyhelp.common.snapshots import diff, plain, snapshot


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something: a user, or the system itself (imports, the demo, jobs)."""

    id: int | None
    name: str

    @classmethod
    def of(cls, user: Any) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return SYSTEM
        return cls(id=user.pk, name=user.get_username())


SYSTEM = Actor(id=None, name="system")


@dataclass(frozen=True, slots=True)
class Refs:
    """The people and records a change or event concerns."""

    family_id: int | None = None
    person_id: int | None = None
    case_id: int | None = None
    notification_id: int | None = None


@dataclass(slots=True)
class _Held:
    savepoints: int  # real savepoints open when the block began
    rows: list[ChangeRecord] = field(default_factory=list)


_HELD: ContextVar[_Held | None] = ContextVar("change_records_held", default=None)


def _savepoints() -> int:
    return sum(1 for sid in connection.savepoint_ids if sid is not None)


@contextmanager
def change_records_together() -> Iterator[None]:
    """Within it, change records are written together, in one INSERT, as it ends.

    The block is atomic without a savepoint of its own: an error in it leaves the records
    unwritten and rolls back what was written with them (the whole transaction, or back
    to the caller's savepoint). A record made inside a savepoint taken within the block
    is written at once, so that rolling that savepoint back takes the record with it.
    """
    with transaction.atomic(savepoint=False):
        held = _Held(savepoints=_savepoints())
        token = _HELD.set(held)
        try:
            yield
        finally:
            _HELD.reset(token)
        ChangeRecord.objects.bulk_create(held.rows)


def change_record(
    *,
    actor: Actor,
    instance: models.Model,
    action: Action,
    changes: Mapping[str, list[object]] | None = None,
    refs: Refs,
) -> ChangeRecord:
    if changes is None:
        changes = {k: [None, v] for k, v in snapshot(instance).items()}
    record = ChangeRecord(
        at=clock.now(),
        actor_id=actor.id,
        actor_name=actor.name,
        entity=instance._meta.label_lower,
        entity_id=instance.pk,
        action=action,
        changes=dict(changes),
        import_batch_id=getattr(instance, "import_batch_id", None),
        **_refs(refs),
    )
    held = _HELD.get()
    if held is not None and _savepoints() == held.savepoints:
        held.rows.append(record)
    else:
        record.save()
    return record


def case_event_record(
    *,
    actor: Actor,
    kind: str,
    occurred_on: date,
    refs: Refs,
    data: Mapping[str, object] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        at=clock.now(),
        occurred_on=occurred_on,
        kind=kind,
        actor_id=actor.id,
        actor_name=actor.name,
        data={k: plain(v) for k, v in (data or {}).items()},
        **_refs(refs),
    )


def _access_row(
    *,
    actor: Actor,
    action: str,
    what: str,
    refs: Refs,
    at: datetime,
    ip_address: str | None,
    reason: str = "",
) -> AccessLog:
    return AccessLog(
        at=at,
        actor_id=actor.id,
        actor_name=actor.name,
        action=action,
        what=what,
        family_id=refs.family_id,
        person_id=refs.person_id,
        case_id=refs.case_id,
        ip_address=ip_address,
        reason=reason,
    )


def access_record(
    *,
    actor: Actor,
    action: str,
    what: str,
    refs: Refs,
    ip_address: str | None = None,
    reason: str = "",
) -> AccessLog:
    row = _access_row(
        actor=actor,
        action=action,
        what=what,
        refs=refs,
        at=clock.now(),
        ip_address=ip_address,
        reason=reason,
    )
    row.save()
    return row


def access_record_many(
    *, actor: Actor, action: str, seen: list[tuple[str, Refs]], ip_address: str | None = None
) -> None:
    """One row per record shown on a list page, written in one statement."""
    at = clock.now()
    AccessLog.objects.bulk_create(
        _access_row(actor=actor, action=action, what=what, refs=refs, at=at, ip_address=ip_address)
        for what, refs in seen
    )


def _refs(refs: Refs) -> dict[str, int | None]:
    return {
        "family_id": refs.family_id,
        "person_id": refs.person_id,
        "case_id": refs.case_id,
        "notification_id": refs.notification_id,
    }
