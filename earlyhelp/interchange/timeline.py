"""The case events (the families' timelines) of imported history, written in bulk.

The events are those the live services write (earlyhelp.domain.events), for what a
record newly brings: a record created by the import brings its whole history; a record
updated brings the steps it did not have before (a case closed since the last import);
a record unchanged brings nothing. `at` is when the import recorded them, as for every
event; `occurred_on` is the date of the step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from earlyhelp.audit.models import CaseEvent
from earlyhelp.common import clock
from earlyhelp.domain.codes import Category
from earlyhelp.domain.events import EventKind
from earlyhelp.interchange.upsert import CHUNK, Record, Stamp

CASE_STEPS = (
    ("assessment_started_on", EventKind.ASSESSMENT_STARTED),
    ("assessment_completed_on", EventKind.ASSESSMENT_COMPLETED),
    ("plan_agreed_on", EventKind.PLAN_AGREED),
)


class Timeline:
    """Collects events and writes them a chunk at a time."""

    def __init__(self, stamp: Stamp) -> None:
        self.stamp = stamp
        self.pending: list[CaseEvent] = []
        self.written = 0

    def add(
        self, kind: str, on: date, refs: dict[str, int | None], data: Record | None = None
    ) -> None:
        self.pending.append(
            CaseEvent(
                at=self.stamp.now,
                occurred_on=on,
                kind=kind,
                actor_id=self.stamp.actor.id,
                actor_name=self.stamp.actor.name,
                data=data or {},
                **refs,
            )
        )
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        CaseEvent.objects.bulk_create(self.pending, batch_size=CHUNK)
        self.written += len(self.pending)
        self.pending = []

    def notification(self, notification: Any, before: Record | None) -> None:
        refs = {
            "family_id": notification.family_id,
            "person_id": notification.person_id,
            "notification_id": notification.pk,
        }
        if before is None:
            kind = (
                EventKind.STEP_DOWN_RECEIVED
                if notification.category == Category.SCS_STEP_DOWN
                else EventKind.NOTIFICATION_RECEIVED
            )
            data = {
                "source": notification.source,
                "category": notification.category,
                "ref": notification.notification_ref,
            }
            self.add(kind, clock.local_date(notification.received_at), refs, data)
        newly_triaged = before is None or before.get("triaged_at", True) is None
        if notification.triaged_at is not None and newly_triaged:
            self.add(
                EventKind.NOTIFICATION_TRIAGED,
                clock.local_date(notification.triaged_at),
                refs,
                {"decision": notification.triage_decision, "level": notification.threshold_level},
            )

    def case(
        self, case: Any, before: Record | None, refs: dict[str, int | None], names: Record
    ) -> None:
        """The case's steps; its closure is added by `case_closed`, after its reviews."""
        if before is None:
            data = {"ref": case.case_ref, **names}
            self.add(EventKind.CASE_OPENED, case.opened_on, refs, data)
        for field, kind in CASE_STEPS:
            on = getattr(case, field)
            if on is not None and (before is None or (field in before and before[field] is None)):
                self.add(kind, on, refs)

    def case_closed(self, on: date, reason: str, refs: dict[str, int | None]) -> None:
        self.add(EventKind.CASE_CLOSED, on, refs, {"reason": reason})

    def review(self, on: date, refs: dict[str, int | None]) -> None:
        self.add(EventKind.REVIEW_RECORDED, on, refs)
