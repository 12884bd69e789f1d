"""Anonymising a family's records when the retention rules say so.

Names, addresses, postcodes, identifiers and every piece of free text are replaced by
placeholders; ids, references, dates, codes, units and workers stay, so that indicator
values recomputed afterwards are the same (they read only dates and codes) and the
monthly snapshots are not touched. A date of birth keeps its year only (1 January); the
LSOA stays (an area of about 1,500 people, which the reach indicators read).

The audit keeps who did what to which record and when; the values it recorded about the
family are redacted in place (`AppendOnlyQuerySet.redact_payload`), the one change the
database allows on audit rows. The access log is not touched: it holds ids, not values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Q, Value, When

from earlyhelp.audit.models import REDACTED, Action, CaseEvent, ChangeRecord
from earlyhelp.audit.services import Actor, Refs, change_record
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    CaseNote,
    PlanAction,
    PlanOutcome,
    Review,
    ScsReferral,
)
from earlyhelp.common import clock
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.people.models import Family, FamilyConsent, Person

PLACEHOLDER = "[anonymised]"
ANONYMISED_NAME = "Anonymised"

# Free text: replaced by the placeholder where there was any (an empty field stays empty).
FREE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    Notification: (
        "reason",
        "what_has_been_tried",
        "referrer_name",
        "referrer_phone",
        "decision_reason",
        "referrer_informed_how",
    ),
    StepDownProposal: ("summary", "decision_reason"),
    Case: ("closure_summary",),
    Allocation: ("reason",),
    Assessment: (
        "child_development",
        "parenting_capacity",
        "family_environment",
        "family_view",
        "child_voice",
        "worries",
        "working_well",
        "needs_to_happen",
    ),
    PlanOutcome: ("description",),
    PlanAction: ("description", "owner", "progress"),
    Review: ("summary",),
    CaseNote: ("text",),
    ScsReferral: ("reason",),
    FamilyConsent: ("notes", "withdrawn_reason"),
}
# Identifying values: emptied.
CLEARED: dict[type[models.Model], tuple[str, ...]] = {
    Family: ("address_line_1", "address_line_2", "town", "postcode"),
    Person: ("upn", "nhs_number", "given_name_key", "family_name_key"),
    Notification: ("referrer_email",),
    StepDownProposal: ("postcode",),
}
# Names: replaced by "Anonymised" and the record's reference.
NAMES: dict[type[models.Model], tuple[str, str]] = {
    Person: ("given_name", "family_name"),
    StepDownProposal: ("given_name", "family_name"),
}
BIRTH_DATES = (Person, StepDownProposal)


def personal_fields(model: type[models.Model]) -> frozenset[str]:
    """Every field of `model` the anonymiser rewrites (its change history is redacted too)."""
    names = set(FREE_TEXT.get(model, ())) | set(CLEARED.get(model, ()))
    names |= set(NAMES.get(model, ()))
    if model in BIRTH_DATES:
        names.add("date_of_birth")
    return frozenset(names)


# Case event data that stays: codes, references, numbers, units and workers (not people's
# words). The closure reason of CASE_CLOSED is a code; every other `reason` is free text.
EVENT_KEYS_KEPT = frozenset(
    {
        "source",
        "category",
        "ref",
        "decision",
        "level",
        "status",
        "kind",
        "unit",
        "worker",
        "linked",
        "from",
        "to",
        "kept_person_id",
        "kept_person_ref",
        "merged_person_id",
        "merged_person_ref",
        "identifiers_moved",
        "relationships_moved",
        "fields",
        "scale",
        "previous_closure",
    }
)


@dataclass
class Anonymised:
    family_id: int
    family_ref: str
    rows: dict[str, int] = field(default_factory=dict)
    redacted: int = 0


def _text(name: str) -> SqlCase:
    return SqlCase(When(**{name: ""}, then=Value("")), default=Value(PLACEHOLDER))


def _rewrite(model: type[models.Model], rows: models.QuerySet, actor: Actor) -> int:
    values: dict[str, object] = {name: _text(name) for name in FREE_TEXT.get(model, ())}
    values |= {name: "" for name in CLEARED.get(model, ())}
    if model in NAMES:
        given, family = NAMES[model]
        values |= {given: Value(ANONYMISED_NAME), family: _ref_of(model)}
    if hasattr(model, "version"):
        values |= {"version": F("version") + 1, "updated_by_id": actor.id}
    count = rows.update(**values) if values else rows.count()
    if model in BIRTH_DATES:
        for pk, born in rows.exclude(date_of_birth__isnull=True).values_list("pk", "date_of_birth"):
            model.objects.filter(pk=pk).update(date_of_birth=date(born.year, 1, 1))
    return count


def _ref_of(model: type[models.Model]) -> F:
    return F("person_ref") if model is Person else F("proposal_ref")


def _records(family: Family) -> dict[type[models.Model], models.QuerySet]:
    people = Person.objects.filter(family=family)
    cases = Case.objects.filter(family=family)
    notifications = Notification.objects.filter(family=family)
    return {
        Family: Family.objects.filter(pk=family.pk),
        Person: people,
        Notification: notifications,
        StepDownProposal: StepDownProposal.objects.filter(
            Q(person__in=people) | Q(notification__in=notifications)
        ),
        Case: cases,
        Allocation: Allocation.objects.filter(case__in=cases),
        Assessment: Assessment.objects.filter(case__in=cases),
        PlanOutcome: PlanOutcome.objects.filter(plan__case__in=cases),
        PlanAction: PlanAction.objects.filter(outcome__plan__case__in=cases),
        Review: Review.objects.filter(case__in=cases),
        CaseNote: CaseNote.objects.filter(case__in=cases),
        ScsReferral: ScsReferral.objects.filter(family=family),
        FamilyConsent: FamilyConsent.objects.filter(family=family),
    }


def _redacted(value: object) -> object:
    if value in (None, "", [], {}) or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list):
        return [None if item is None else REDACTED for item in value]
    return REDACTED


def redact_change(entity: str, changes: dict[str, object]) -> dict[str, object]:
    fields = _PERSONAL_BY_LABEL.get(entity, frozenset())
    return {k: _redacted(v) if k in fields else v for k, v in changes.items()}


def redact_event(kind: str, data: dict[str, object]) -> dict[str, object]:
    kept = EVENT_KEYS_KEPT | ({"reason"} if kind == EventKind.CASE_CLOSED else set())
    return {k: v if k in kept else _redacted(v) for k, v in data.items()}


_PERSONAL_BY_LABEL = {
    model._meta.label_lower: personal_fields(model)
    for model in {*FREE_TEXT, *CLEARED, *NAMES, *BIRTH_DATES}
}


def _redact_audit(about: Q) -> int:
    redacted = 0
    for pk, entity, changes in ChangeRecord.objects.filter(about).values_list(
        "pk", "entity", "changes"
    ):
        after = redact_change(entity, changes or {})
        if after != changes:
            ChangeRecord.objects.redact_payload(pk, after)
            redacted += 1
    for pk, kind, data in CaseEvent.objects.filter(about).values_list("pk", "kind", "data"):
        after = redact_event(kind, data or {}) if isinstance(data, dict) else data
        if after != data:
            CaseEvent.objects.redact_payload(pk, after)
            redacted += 1
    return redacted


def _about(records: dict[type[models.Model], models.QuerySet], family_id: int) -> Q:
    return (
        Q(family_id=family_id)
        | Q(person_id__in=_ids(records[Person]))
        | Q(case_id__in=_ids(records[Case]))
        | Q(notification_id__in=_ids(records[Notification]))
    )


def _ids(rows: models.QuerySet) -> Iterable[int]:
    return list(rows.values_list("pk", flat=True))


@transaction.atomic
def family_anonymise(*, actor: Actor, family_id: int, reason: str) -> Anonymised | None:
    """Anonymise one family's records (None if it was anonymised already)."""
    family = Family.objects.select_for_update().get(pk=family_id)
    if family.anonymised_on is not None:
        return None
    records = _records(family)
    about = _about(records, family.pk)  # read before the rows change
    done = Anonymised(family_id=family.pk, family_ref=family.family_ref)
    for model, rows in records.items():
        done.rows[model._meta.label_lower] = _rewrite(model, rows, actor)
    done.redacted = _redact_audit(about)
    Family.objects.filter(pk=family.pk).update(anonymised_on=clock.today())
    family.refresh_from_db()
    change_record(
        actor=actor,
        instance=family,
        action=Action.ANONYMISE,
        changes={"rule": [None, reason], "rows": [None, done.rows]},
        refs=Refs(family_id=family.pk),
    )
    return done
