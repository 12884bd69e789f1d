"""Reads of casework within the user's scope: cases, work lists and the unit meeting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from earlyhelp.casework.models import Allocation, Case, CaseNote, Review
from earlyhelp.casework.policies import case_scope
from earlyhelp.casework.services.common import case_snapshot
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.casestate import STAGE_LABELS, Stage, stage_of
from earlyhelp.domain.duedates import (
    DRIFT_LABELS,
    CaseDates,
    Drift,
    Due,
    drift_flags,
    next_due,
)
from earlyhelp.organisation.models import User, Worker
from earlyhelp.organisation.selectors import scope_org_unit_ids


def case_list(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(user)).select_related(
        "family", "unit", "worker", "notification"
    )


def case_get(*, user: User, case_id: int) -> Case:
    case = case_list(user=user).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case")
    return case


def case_by_ref(*, user: User, ref: str) -> Case:
    case = case_list(user=user).filter(case_ref=ref.strip().upper()).first()
    if case is None:
        raise NotFound("case")
    return case


def cases_of_family(*, user: User, family_id: int) -> QuerySet[Case]:
    return case_list(user=user).filter(family_id=family_id).order_by("-opened_on")


def case_dates(case: Case) -> CaseDates:
    notified = case.notification.received_at if case.notification_id else None
    return CaseDates(
        opened_on=case.opened_on,
        notified_on=clock.local_date(notified) if notified else None,
        assessment_started_on=case.assessment_started_on,
        assessment_completed_on=case.assessment_completed_on,
        plan_agreed_on=case.plan_agreed_on,
        last_review_on=case.last_review_on,
        last_contact_on=case.last_contact_on,
        closed_on=case.closed_on,
    )


@dataclass(frozen=True, slots=True)
class CaseStatus:
    """An open case as the work list and the unit meeting show it."""

    case: Case
    stage: Stage
    days_open: int
    due: Due | None
    overdue: bool
    drift: tuple[Drift, ...]
    today: date

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def drift_labels(self) -> list[str]:
        return [DRIFT_LABELS[d] for d in self.drift]

    @property
    def due_this_week(self) -> bool:
        return bool(self.due) and 0 <= (self.due.due_on - self.today).days < 7


def case_status(case: Case, today: date | None = None) -> CaseStatus:
    today = today or clock.today()
    dates = case_dates(case)
    due = next_due(dates)
    return CaseStatus(
        case=case,
        stage=stage_of(case_snapshot(case)),
        days_open=((case.closed_on or today) - case.opened_on).days,
        due=due,
        overdue=bool(due and due.is_overdue(today)),
        drift=tuple(drift_flags(dates, today)),
        today=today,
    )


def work_list(*, user: User, today: date | None = None) -> list[CaseStatus]:
    """A practitioner's open cases: overdue first, then by what is due soonest."""
    if user.worker_id is None:
        return []
    today = today or clock.today()
    cases = case_list(user=user).filter(worker_id=user.worker_id, closed_on__isnull=True)
    statuses = [case_status(c, today) for c in cases]
    return sorted(
        statuses,
        key=lambda s: (not s.overdue, s.due.due_on if s.due else date.max, s.case.case_ref),
    )


@dataclass(frozen=True, slots=True)
class UnitMeeting:
    cases: list[CaseStatus]
    caseload: list[tuple[Worker, int]]


def unit_open_cases(*, user: User, unit_id: int, today: date | None = None) -> UnitMeeting:
    """Every open case of a unit, with drift flags, and the caseload of each worker."""
    if unit_id not in scope_org_unit_ids(user):
        raise NotFound("unit")
    today = today or clock.today()
    cases = case_list(user=user).filter(unit_id=unit_id, closed_on__isnull=True)
    statuses = sorted(
        (case_status(c, today) for c in cases),
        key=lambda s: (-len(s.drift), s.due.due_on if s.due else date.max, s.case.case_ref),
    )
    counts = Counter(s.case.worker_id for s in statuses)
    workers = Worker.objects.filter(unit_id=unit_id, active=True).order_by("name")
    caseload = [(w, counts.get(w.pk, 0)) for w in workers]
    return UnitMeeting(cases=statuses, caseload=caseload)


def allocation_history(*, user: User, case_id: int) -> QuerySet[Allocation]:
    case = case_get(user=user, case_id=case_id)
    return case.allocations.select_related("unit", "worker").order_by("started_on", "id")


def reviews_of(*, user: User, case_id: int) -> QuerySet[Review]:
    return case_get(user=user, case_id=case_id).reviews.order_by("-review_date")


def notes_of(*, user: User, case_id: int) -> QuerySet[CaseNote]:
    return case_get(user=user, case_id=case_id).notes.order_by("-occurred_on", "-id")


def open_cases_by_unit(*, user: User) -> list[tuple[str, int]]:
    """Open cases per unit within the user's scope (a manager's overview)."""
    from django.db.models import Count

    rows = (
        case_list(user=user)
        .filter(closed_on__isnull=True)
        .values("unit__name")
        .annotate(n=Count("pk"))
        .order_by("unit__name")
    )
    return [(row["unit__name"], row["n"]) for row in rows]
