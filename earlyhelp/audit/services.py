"""The one place audit rows are written. Services call these inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from earlyhelp.audit.models import AccessLog, Action, CaseEvent, ChangeRecord
from earlyhelp.common import clock


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


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, object]:
    """The stored values of a record, as JSON-ready plain values keyed by field name."""
    names = fields or [
        f.attname for f in instance._meta.concrete_fields if f.name not in _UNTRACKED
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


_UNTRACKED = {"id", "created_at", "updated_at", "version", "created_by_id", "updated_by_id"}


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


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
    return ChangeRecord.objects.create(
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
        data={k: _plain(v) for k, v in (data or {}).items()},
        **_refs(refs),
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
    return AccessLog.objects.create(
        at=clock.now(),
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


def _refs(refs: Refs) -> dict[str, int | None]:
    return {
        "family_id": refs.family_id,
        "person_id": refs.person_id,
        "case_id": refs.case_id,
        "notification_id": refs.notification_id,
    }
