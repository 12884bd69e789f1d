"""Read what the indicators need, in a few bulk queries, as the domain's plain records.

Only the columns the definitions use are read (`values_list`, streamed with `iterator`).
Date-times become UK calendar dates (`clock.local_date`), as the spec's "the date part of
a date-time, UK local time" says: converting in Python is twice as fast on SQLite as
`TruncDate`, which SQLite runs as a Python function per row anyway.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from earlyhelp.casework.models import Case, Review
from earlyhelp.common.clock import local_date
from earlyhelp.domain.indicators.periods import parse_period
from earlyhelp.domain.indicators.records import (
    CaseRecord,
    ContextRecord,
    Dataset,
    ImportedRecord,
    NotificationRecord,
    WorkerRecord,
    target_overrides,
)
from earlyhelp.domain.orgtree import Node
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family
from earlyhelp.performance.models import ContextFigure, ImportedIndicatorValue, Target

CHUNK = 5000


def load_dataset(*, records: bool = True) -> Dataset:
    """Everything one recompute reads, from the database as it is now.

    `records=False`: all but the families, cases and notifications, for when the columnar
    engine counts those in the database (`columnar.count_records_columnar`).
    """
    return Dataset(
        org_units=load_org_units(),
        workers=load_workers(),
        family_districts=dict(Family.objects.values_list("id", "district_id").iterator(CHUNK))
        if records
        else {},
        cases=load_cases() if records else (),
        notifications=load_notifications() if records else (),
        context=load_context(),
        imported=load_imported(),
        targets=target_overrides(
            list(Target.objects.values_list("indicator_code", "year", "target", "floor"))
        ),
    )


def load_org_units() -> list[Node]:
    rows = OrgUnit.objects.values_list("id", "code", "name", "kind", "parent_id", "service")
    return [Node(*row) for row in rows]


def load_workers() -> list[WorkerRecord]:
    rows = Worker.objects.order_by("code").values_list("id", "code", "unit_id", "role", "fte")
    return [WorkerRecord(*row) for row in rows]


def load_review_dates() -> dict[int, tuple[date, ...]]:
    by_case: dict[int, list[date]] = defaultdict(list)
    rows = Review.objects.order_by().values_list("case_id", "review_date").iterator(CHUNK)
    for case_id, review_date in rows:
        by_case[case_id].append(review_date)
    return {case_id: tuple(sorted(dates)) for case_id, dates in by_case.items()}


def load_cases() -> list[CaseRecord]:
    """Cases with the UK date their notification was received (their EH04 start)."""
    reviews = load_review_dates()
    rows = (
        Case.objects.order_by()
        .values_list(
            "id", "unit_id", "worker_id", "family_id", "opened_on", "notification__received_at",
            "plan_agreed_on", "closed_on", "closure_reason",
        )
        .iterator(CHUNK)
    )  # fmt: skip
    return [
        CaseRecord(unit, worker, family, opened, local_date(received) if received else opened,
                   plan, closed, reason, reviews.get(case_id, ()))
        for case_id, unit, worker, family, opened, received, plan, closed, reason in rows
    ]  # fmt: skip


def load_notifications() -> list[NotificationRecord]:
    rows = (
        Notification.objects.order_by()
        .values_list("family_id", "received_at", "category", "triaged_at", "triage_decision")
        .iterator(CHUNK)
    )
    return [
        NotificationRecord(family, local_date(received), category,
                           local_date(triaged) if triaged else None, decision)
        for family, received, category, triaged, decision in rows
    ]  # fmt: skip


def load_context() -> list[ContextRecord]:
    rows = ContextFigure.objects.values_list("measure", "period", "org_unit_id", "value")
    return [
        ContextRecord(measure, parse_period(period), org_id, value)
        for measure, period, org_id, value in rows
    ]


def load_imported() -> list[ImportedRecord]:
    rows = ImportedIndicatorValue.objects.values_list(
        "indicator_code", "period", "org_unit_id", "value", "numerator", "denominator"
    )
    return [
        ImportedRecord(code, parse_period(period), org_id, value, numerator, denominator)
        for code, period, org_id, value, numerator, denominator in rows
    ]
