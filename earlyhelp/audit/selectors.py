"""Reads of the audit records. Access to them is decided by the callers' policies."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.audit.models import CaseEvent, ChangeRecord


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
