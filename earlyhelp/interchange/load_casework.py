"""Writing notifications.csv, cases.csv and reviews.csv, with their allocations and events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Max

from earlyhelp.casework.models import Allocation, Case, Review
from earlyhelp.common import clock
from earlyhelp.domain.workingdays import triage_due_date
from earlyhelp.frontdoor.models import Notification
from earlyhelp.interchange.checks import chunked
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.upsert import Record, Stamp, Table, Tally, Written, pks, upsert
from earlyhelp.people.models import Family, Person

NOTIFICATIONS = Table(
    Notification,
    ("notification_ref",),
    (
        "person_id",
        "family_id",
        "received_at",
        "source",
        "category",
        "triaged_at",
        "triage_decision",
        "threshold_level",
        "due_on",
    ),
)
CASES = Table(
    Case,
    ("case_ref",),
    (
        "notification_id",
        "family_id",
        "unit_id",
        "worker_id",
        "opened_on",
        "assessment_started_on",
        "assessment_completed_on",
        "plan_agreed_on",
        "closed_on",
        "closure_reason",
        "last_review_on",
    ),
)
REVIEWS = Table(Review, ("case_id", "review_date"), ())
HOLDER_FIELDS = {"unit_id", "worker_id", "opened_on", "closed_on"}
IMPORTED = "Imported"


def load_notifications(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        people = {
            ref: (pk, family_pk)
            for ref, pk, family_pk in Person.objects.filter(
                person_ref__in={row["person_id"] for row in chunk}
            ).values_list("person_ref", "pk", "family_id")
        }
        written = upsert(NOTIFICATIONS, [_notification(row, people) for row in chunk], ctx.stamp)
        for notification in written.created:
            ctx.timeline.notification(notification, None)
        for notification, before in written.updated:
            ctx.timeline.notification(notification, before)
        tally.add(written)
    return tally


def _notification(row: Row, people: dict[str, tuple[int, int]]) -> Record:
    person_pk, family_pk = people[row["person_id"]]
    return {
        "notification_ref": row["notification_id"],
        "person_id": person_pk,
        "family_id": family_pk,
        "received_at": row["received_at"],
        "source": row["source"],
        "category": row["category"],
        "triaged_at": row["triaged_at"],
        "triage_decision": row["triage_decision"] or "",
        "threshold_level": row["threshold_level"],
        "due_on": triage_due_date(clock.local_date(row["received_at"]), row["category"]),
    }


def load_cases(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        notifications = {
            ref: (pk, person_pk)
            for ref, pk, person_pk in Notification.objects.filter(
                notification_ref__in={row["notification_id"] for row in chunk}
            ).values_list("notification_ref", "pk", "person_id")
        }
        families = pks(Family, "family_ref", (row["family_id"] for row in chunk))
        latest = _latest_reviews([row["case_id"] for row in chunk], ctx)
        records = [_case(row, ctx, notifications, families, latest) for row in chunk]
        written = upsert(CASES, records, ctx.stamp)
        _allocate(written, ctx.stamp)
        _case_history(written, chunk, ctx, {pk: person for pk, person in notifications.values()})
        tally.add(written)
    return tally


def _latest_reviews(refs: list[str], ctx: LoadContext) -> dict[str, Any]:
    """The latest review of each case: in reviews.csv, or already in the database."""
    stored = dict(
        Review.objects.filter(case__case_ref__in=refs)
        .values("case__case_ref")
        .annotate(latest=Max("review_date"))
        .values_list("case__case_ref", "latest")
    )
    latest = {}
    for ref in refs:
        dates = [d for d in (ctx.known.latest_review.get(ref), stored.get(ref)) if d is not None]
        latest[ref] = max(dates) if dates else None
    return latest


def _case(
    row: Row,
    ctx: LoadContext,
    notifications: dict[str, tuple[int, int]],
    families: dict[str, int],
    latest: dict[str, Any],
) -> Record:
    notification = notifications.get(row["notification_id"]) if row["notification_id"] else None
    return {
        "case_ref": row["case_id"],
        "notification_id": notification[0] if notification else None,
        "family_id": families[row["family_id"]],
        "unit_id": ctx.org_unit_pk(row["unit_code"]),
        "worker_id": ctx.worker_pk(row["worker_code"]),
        "opened_on": row["opened_on"],
        "assessment_started_on": row["assessment_started_on"],
        "assessment_completed_on": row["assessment_completed_on"],
        "plan_agreed_on": row["plan_agreed_on"],
        "closed_on": row["closed_on"],
        "closure_reason": row["closure_reason"] or "",
        "last_review_on": latest[row["case_id"]],
    }


def _allocation(case: Case, stamp: Stamp) -> Allocation:
    """The holder (at closure, for a closed case: closing ends the allocation, as live)."""
    return Allocation(
        case_id=case.pk,
        unit_id=case.unit_id,
        worker_id=case.worker_id,
        started_on=case.opened_on,
        ended_on=case.closed_on,
        reason=IMPORTED,
        allocated_by_id=stamp.actor.id,
        allocated_by_name=stamp.actor.name,
    )


def _allocate(written: Written, stamp: Stamp) -> None:
    new = [_allocation(case, stamp) for case in written.created]
    moved = [case for case, before in written.updated if HOLDER_FIELDS & before.keys()]
    latest: dict[int, Allocation] = {}
    for allocation in Allocation.objects.filter(case_id__in=[c.pk for c in moved]).order_by(
        "case_id", "started_on", "id"
    ):
        latest[allocation.case_id] = allocation
    for case in moved:
        allocation = latest.get(case.pk)
        if allocation is None:
            new.append(_allocation(case, stamp))
            continue
        allocation.unit_id, allocation.worker_id = case.unit_id, case.worker_id
        allocation.ended_on = max(case.closed_on, allocation.started_on) if case.closed_on else None
    Allocation.objects.bulk_update(
        [latest[c.pk] for c in moved if c.pk in latest], ["unit", "worker", "ended_on"]
    )
    Allocation.objects.bulk_create(new)


def _case_history(
    written: Written, chunk: list[Row], ctx: LoadContext, people: dict[int, int]
) -> None:
    names = {
        row["case_id"]: {
            "unit": ctx.org_units[row["unit_code"]][1],
            "worker": ctx.workers[row["worker_code"]][1] if row["worker_code"] else "",
        }
        for row in chunk
    }
    changes: list[tuple[Case, Record | None]] = [(case, None) for case in written.created]
    changes += written.updated
    for case, before in changes:
        refs = case_refs(case.pk, case.family_id, case.notification_id, people)
        ctx.timeline.case(case, before, refs, names[case.case_ref])
        newly_closed = before is None or before.get("closed_on", case.closed_on) is None
        if case.closed_on is not None and newly_closed:
            ctx.closed_cases.append(case.pk)


def case_refs(
    case_pk: int, family_pk: int, notification_pk: int | None, people: dict[int, int]
) -> dict[str, int | None]:
    return {
        "family_id": family_pk,
        "person_id": people.get(notification_pk) if notification_pk else None,
        "case_id": case_pk,
        "notification_id": notification_pk,
    }
