"""Reads of the audit records. Access to them is decided by the callers' policies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from earlyhelp.audit.models import AccessAction, AccessLog, CaseEvent, ChangeRecord
from earlyhelp.common.clock import LONDON

T = TypeVar("T", bound=Model)


def change_history(*, entity: str, entity_id: int) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(entity=entity, entity_id=entity_id).order_by("at", "id")


def case_events_for_family(*, family_id: int) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(family_id=family_id).order_by("-occurred_on", "-at", "-id")


def case_events_for_case(*, case_id: int) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case_id=case_id).order_by("-occurred_on", "-at", "-id")


def case_events_for_person(*, person_id: int, family_ids: list[int]) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(Q(person_id=person_id) | Q(family_id__in=family_ids)).order_by(
        "-occurred_on", "-at", "-id"
    )


# --- the access log and change history about a record, or by a user ------------------------


def _between(rows: QuerySet[T], since: date | None, until: date | None) -> QuerySet[T]:
    if since is not None:
        rows = rows.filter(at__gte=datetime.combine(since, time.min, tzinfo=LONDON))
    if until is not None:
        rows = rows.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, LONDON))
    return rows


def access_log_about(
    *, about: Q, since: date | None = None, until: date | None = None
) -> QuerySet[AccessLog]:
    """Views, searches, exports and break-glass openings of a record, newest first.

    `about` is a filter on the ids (`family_id`, `person_id`, `case_id`) that the caller,
    which knows the record's family, people and cases, builds.
    """
    return _between(AccessLog.objects.filter(about), since, until).order_by("-at", "-id")


def changes_about(
    *, about: Q, since: date | None = None, until: date | None = None
) -> QuerySet[ChangeRecord]:
    """Changes to a record (and to what belongs to it), newest first."""
    return _between(ChangeRecord.objects.filter(about), since, until).order_by("-at", "-id")


def access_log_by(
    *, actor_id: int, since: date | None = None, until: date | None = None
) -> QuerySet[AccessLog]:
    """Everything one user looked at, searched for or exported, newest first."""
    rows = AccessLog.objects.filter(actor_id=actor_id)
    return _between(rows, since, until).order_by("-at", "-id")


def changes_by(
    *, actor_id: int, since: date | None = None, until: date | None = None
) -> QuerySet[ChangeRecord]:
    """Every change one user made to personal data, newest first."""
    rows = ChangeRecord.objects.filter(actor_id=actor_id)
    return _between(rows, since, until).order_by("-at", "-id")


def break_glass_entries(
    *,
    family_ids: Iterable[int] | QuerySet[Any],
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLog]:
    """Break-glass openings of the given families, newest first."""
    rows = AccessLog.objects.filter(action=AccessAction.BREAK_GLASS, family_id__in=family_ids)
    return _between(rows, since, until).order_by("-at", "-id")
