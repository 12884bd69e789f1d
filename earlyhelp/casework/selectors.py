"""Reads of casework within the user's scope: cases, work lists and the unit meeting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from earlyhelp.audit.models import CaseEvent
from earlyhelp.audit.selectors import case_events_for_family, case_events_for_person
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    CaseNote,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ScsReferral,
)
from earlyhelp.casework.policies import case_scope
from earlyhelp.casework.services.common import case_snapshot
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.casestate import STAGE_LABELS, Stage, stage_of
from earlyhelp.domain.codes import CASEHOLDING_ROLES, OrgKind, UserRole
from earlyhelp.domain.duedates import (
    DRIFT_LABELS,
    CaseDates,
    Drift,
    Due,
    drift_flags,
    next_due,
)
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.organisation.selectors import org_tree, scope_org_unit_ids
from earlyhelp.people.selectors import family_list


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


# --- family and person records: cases and the timeline ------------------------------------


def cases_of_families(*, user: User, family_ids: Collection[int]) -> QuerySet[Case]:
    """Cases of several families (a person's, with the records merged into theirs)."""
    return case_list(user=user).filter(family_id__in=list(family_ids)).order_by("-opened_on")


def step_ups_of_families(*, user: User, family_ids: Collection[int]) -> QuerySet[ScsReferral]:
    """Referrals to social care (step-ups) of families the user may see, newest first."""
    visible = family_list(user=user).filter(pk__in=list(family_ids)).values("pk")
    return ScsReferral.objects.filter(family_id__in=visible).order_by("-referred_on", "-pk")


def _visible_events(
    user: User, events: QuerySet[CaseEvent], family_ids: Collection[int]
) -> QuerySet[CaseEvent]:
    """Events of families the user may see, without those of cases outside their scope."""
    ids = list(family_ids)
    families = family_list(user=user).filter(pk__in=ids).values("pk")
    cases = case_list(user=user).filter(family_id__in=ids).values("pk")
    return events.filter(family_id__in=families).filter(
        Q(case_id__isnull=True) | Q(case_id__in=cases)
    )


def family_timeline(*, user: User, family_id: int) -> QuerySet[CaseEvent]:
    """The family's case events the user may see, newest first."""
    return _visible_events(user, case_events_for_family(family_id=family_id), [family_id])


def person_timeline(
    *, user: User, person_id: int, family_ids: Collection[int]
) -> QuerySet[CaseEvent]:
    """Events of the person and of their families (and those of merged records), newest first."""
    events = case_events_for_person(person_id=person_id, family_ids=list(family_ids))
    return _visible_events(user, events, family_ids)


# --- the weekly unit meeting and the district overview ------------------------------------

_STAGE_ORDER = {stage: position for position, stage in enumerate(Stage)}
MEETING_SORTS: dict[str, Callable[[CaseStatus], object]] = {
    "case": lambda s: s.case.case_ref,
    "worker": lambda s: (s.case.worker is None, s.case.worker.name if s.case.worker else ""),
    "stage": lambda s: _STAGE_ORDER[s.stage],
    "days_open": lambda s: s.days_open,
    "next_due": lambda s: s.due.due_on if s.due else date.max,
    "flags": lambda s: len(s.drift),
}


@dataclass(frozen=True, slots=True)
class MeetingList:
    """The unit meeting's list: the cases shown (filtered, sorted) and every caseload."""

    unit: OrgUnit
    cases: list[CaseStatus]
    total: int
    caseload: list[tuple[Worker, int]]
    unallocated: int


def unit_get(*, user: User, unit_id: int) -> OrgUnit:
    """A unit (a team) inside the user's scope."""
    unit = OrgUnit.objects.filter(pk=unit_id, kind=OrgKind.UNIT).first()
    if unit is None or unit.pk not in scope_org_unit_ids(user):
        raise NotFound("unit")
    return unit


def _meeting_filter(
    statuses: list[CaseStatus],
    workers: Collection[int | None],
    stages: Collection[str],
    drift: Collection[str],
) -> list[CaseStatus]:
    return [
        s
        for s in statuses
        if (not workers or s.case.worker_id in workers)
        and (not stages or s.stage in stages)
        and (not drift or any(flag in drift for flag in s.drift))
    ]


def unit_meeting(
    *,
    user: User,
    unit_id: int,
    workers: Collection[int | None] = (),
    stages: Collection[str] = (),
    drift: Collection[str] = (),
    sort: str = "",
    descending: bool = False,
    today: date | None = None,
) -> MeetingList:
    """The unit's open cases for its weekly meeting, filtered and sorted.

    Filters combine with AND; the values of one filter with OR (a worker `None` is the
    unallocated cases; a drift filter keeps cases with any of the flags chosen). Without a
    known `sort` the cases come most-drifted first, then by what is due soonest. The
    caseload counts every open case, whatever the filters.
    """
    unit = unit_get(user=user, unit_id=unit_id)
    meeting = unit_open_cases(user=user, unit_id=unit_id, today=today)
    shown = _meeting_filter(meeting.cases, workers, stages, drift)
    if sort in MEETING_SORTS:
        shown = sorted(shown, key=lambda s: s.case.case_ref)
        shown.sort(key=MEETING_SORTS[sort], reverse=descending)  # type: ignore[arg-type]
    return MeetingList(
        unit=unit,
        cases=shown,
        total=len(meeting.cases),
        caseload=meeting.caseload,
        unallocated=sum(1 for s in meeting.cases if s.case.worker_id is None),
    )


@dataclass(frozen=True, slots=True)
class UnitSummary:
    unit_id: int
    name: str
    open_cases: int
    unallocated: int
    flagged: int
    drift: dict[Drift, int]


@dataclass(frozen=True, slots=True)
class Overview:
    org_id: int
    name: str
    kind: str
    units: list[UnitSummary]

    @property
    def open_cases(self) -> int:
        return sum(u.open_cases for u in self.units)


def district_overview(*, user: User, org_id: int, today: date | None = None) -> Overview:
    """Open cases and drift of each unit below an org unit (a manager's district or area)."""
    tree = org_tree()
    scope = scope_org_unit_ids(user, tree)
    if org_id not in scope:
        raise NotFound("district")
    unit_ids = [
        i for i in tree.descendants(org_id) if i in scope and tree.nodes[i].kind == OrgKind.UNIT
    ]
    today = today or clock.today()
    cases = case_list(user=user).filter(unit_id__in=unit_ids, closed_on__isnull=True)
    by_unit: dict[int, list[CaseStatus]] = {i: [] for i in unit_ids}
    for case in cases:
        by_unit[case.unit_id].append(case_status(case, today))
    units = [
        UnitSummary(
            unit_id=i,
            name=tree.nodes[i].name,
            open_cases=len(rows),
            unallocated=sum(1 for s in rows if s.case.worker_id is None),
            flagged=sum(1 for s in rows if s.drift),
            drift={flag: sum(1 for s in rows if flag in s.drift) for flag in Drift},
        )
        for i, rows in by_unit.items()
    ]
    node = tree.nodes[org_id]
    units.sort(key=lambda u: u.name)
    return Overview(org_id=org_id, name=node.name, kind=node.kind, units=units)


# --- the case pages: the case with its records, plan items, closure and allocation choices --


@dataclass(frozen=True, slots=True)
class CaseRecords:
    """A case with its assessment and plan (None until they exist), read in one query."""

    case: Case
    assessment: Assessment | None
    plan: Plan | None


def case_records(*, user: User, case_id: int) -> CaseRecords:
    case = case_list(user=user).select_related("assessment", "plan").filter(pk=case_id).first()
    if case is None:
        raise NotFound("case")
    try:
        assessment: Assessment | None = case.assessment
    except Assessment.DoesNotExist:
        assessment = None
    try:
        plan: Plan | None = case.plan
    except Plan.DoesNotExist:
        plan = None
    return CaseRecords(case=case, assessment=assessment, plan=plan)


def plan_outcomes(*, user: User, case_id: int) -> list[PlanOutcome]:
    """The outcomes of the case's plan, each with its actions (two queries, however many)."""
    cases = case_list(user=user).filter(pk=case_id).values("pk")
    return list(
        PlanOutcome.objects.filter(plan__case_id__in=cases)
        .order_by("position", "id")
        .prefetch_related("actions")
    )


def _with_case(path: str) -> list[str]:
    """The case at `path` with what a case page's header shows of it."""
    return [path] + [f"{path}__{name}" for name in ("family", "unit", "worker", "notification")]


def plan_outcome_get(*, user: User, case_id: int, outcome_id: int) -> PlanOutcome:
    cases = case_list(user=user).filter(pk=case_id).values("pk")
    outcome = (
        PlanOutcome.objects.filter(pk=outcome_id, plan__case_id__in=cases)
        .select_related(*_with_case("plan__case"))
        .first()
    )
    if outcome is None:
        raise NotFound("outcome")
    return outcome


def plan_action_get(*, user: User, case_id: int, action_id: int) -> PlanAction:
    cases = case_list(user=user).filter(pk=case_id).values("pk")
    action = (
        PlanAction.objects.filter(pk=action_id, outcome__plan__case_id__in=cases)
        .select_related(*_with_case("outcome__plan__case"))
        .first()
    )
    if action is None:
        raise NotFound("action")
    return action


def closure_authorisers(*, unit_id: int) -> QuerySet[User]:
    """The unit leaders who may authorise a closure of one of the unit's cases."""
    return User.objects.filter(
        role=UserRole.UNIT_LEADER, org_unit_id=unit_id, is_active=True
    ).order_by("first_name", "last_name", "username")


def allocation_choices(*, user: User) -> tuple[list[OrgUnit], list[Worker]]:
    """The units in the user's scope and the practitioners who can hold cases in them."""
    scope = scope_org_unit_ids(user)
    units = list(OrgUnit.objects.filter(pk__in=scope, kind=OrgKind.UNIT).order_by("name"))
    workers = list(
        Worker.objects.filter(
            unit_id__in=[u.pk for u in units], role__in=CASEHOLDING_ROLES, active=True
        )
        .select_related("unit")
        .order_by("name")
    )
    return units, workers


# --- the front door: what a triage decision led to, and where a new case can go ------------


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """The minimal details of a case a triage officer needs (like the matches show)."""

    case_id: int
    case_ref: str
    unit_name: str
    worker_name: str  # "" when unallocated
    opened_on: date
    closed_on: date | None
    visible: bool  # whether the user may open the case's own pages


@dataclass(frozen=True, slots=True)
class NotificationOutcome:
    """The case a notification opened or was linked to, and any referral to social care."""

    opened: CaseSummary | None
    linked: CaseSummary | None
    scs_referral: ScsReferral | None


def _summary(case: Case, visible: set[int]) -> CaseSummary:
    return CaseSummary(
        case_id=case.pk,
        case_ref=case.case_ref,
        unit_name=case.unit.name,
        worker_name=case.worker.name if case.worker else "",
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        visible=case.pk in visible,
    )


def notification_outcome(*, user: User, notification_id: int) -> NotificationOutcome:
    """What the triage of a notification the user may see led to (`NotFound` otherwise)."""
    from earlyhelp.casework.models import LinkedNotification
    from earlyhelp.frontdoor.selectors import notification_list

    if not notification_list(user=user).filter(pk=notification_id).exists():
        raise NotFound("notification")
    opened = (
        Case.objects.filter(notification_id=notification_id)
        .select_related("unit", "worker")
        .order_by("opened_on", "pk")
        .first()
    )
    link = (
        LinkedNotification.objects.filter(notification_id=notification_id)
        .select_related("case__unit", "case__worker")
        .first()
    )
    cases = [c for c in (opened, link.case if link else None) if c is not None]
    visible = set(
        case_list(user=user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    return NotificationOutcome(
        opened=_summary(opened, visible) if opened else None,
        linked=_summary(link.case, visible) if link else None,
        scs_referral=ScsReferral.objects.filter(notification_id=notification_id).first(),
    )


@dataclass(frozen=True, slots=True)
class TriageAllocationChoices:
    """Where a case opened at triage can go: the family's district's Early Help Units first."""

    district_units: list[OrgUnit]
    other_units: list[OrgUnit]
    workers: list[Worker]  # practitioners who can hold cases, with their unit

    @property
    def units(self) -> list[OrgUnit]:
        return self.district_units + self.other_units


def triage_allocation_choices(*, district_id: int | None) -> TriageAllocationChoices:
    """Every unit (the Early Help Units of `district_id` first) and their caseholders."""
    from earlyhelp.domain.codes import Service

    units = list(
        OrgUnit.objects.filter(kind=OrgKind.UNIT).select_related("parent").order_by("name", "pk")
    )
    first = [
        u for u in units if u.parent_id == district_id and u.service == Service.EARLY_HELP_UNIT
    ]
    chosen = {u.pk for u in first}
    workers = list(
        Worker.objects.filter(unit__kind=OrgKind.UNIT, role__in=CASEHOLDING_ROLES, active=True)
        .select_related("unit")
        .order_by("unit__name", "name", "pk")
    )
    return TriageAllocationChoices(
        district_units=first,
        other_units=[u for u in units if u.pk not in chosen],
        workers=workers,
    )


def family_open_cases_minimal(*, user: User, family_id: int) -> list[CaseSummary]:
    """The family's open cases, minimal details, for anyone who may see the family.

    At the front door a triage officer must know a family already has an open case (to
    link a new notification to it) even though the case's pages belong to its unit.
    """
    families = family_list(user=user).filter(pk=family_id).values("pk")
    cases = list(
        Case.objects.filter(family_id__in=families, closed_on__isnull=True)
        .select_related("unit", "worker")
        .order_by("-opened_on", "case_ref")
    )
    visible = set(
        case_list(user=user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    return [_summary(case, visible) for case in cases]
