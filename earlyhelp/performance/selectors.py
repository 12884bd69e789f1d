"""Reads of the performance app: snapshots for the scorecard, and the data's signature.

The scorecard holds no personal data (counts per org unit and worker); the command line
reads it as the analyst's export. Pages read the snapshots by the user's scope
(`policies.py`), and list the records behind a number within the case scope.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from django.db.models import Count, Max, Model, Q, Sum

from earlyhelp.casework.models import Case, Review
from earlyhelp.casework.selectors import case_list
from earlyhelp.common import clock
from earlyhelp.common.clock import local_date
from earlyhelp.common.errors import NotFound, PermissionRefused
from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.arithmetic import Polarity, at_least_as_good
from earlyhelp.domain.indicators.compute import DEFAULT_WINDOWS, ResultRow, compute
from earlyhelp.domain.indicators.definitions import (
    INDICATORS,
    SPEC_VERSION,
    Indicator,
    Level,
    indicator,
)
from earlyhelp.domain.indicators.periods import (
    as_of,
    month_index,
    parse_period,
    period_label,
    window_bounds,
)
from earlyhelp.domain.indicators.records import CaseRecord, NotificationRecord
from earlyhelp.domain.orgtree import Node, OrgTree
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.selectors import notification_list
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.organisation.selectors import org_tree
from earlyhelp.people.models import Family
from earlyhelp.performance.loading import load_dataset
from earlyhelp.performance.models import (
    ContextFigure,
    FillState,
    ImportedIndicatorValue,
    IndicatorValue,
    Target,
)
from earlyhelp.performance.policies import (
    COUNTY_WIDE_ROLES,
    PerformanceScope,
    may_list_cases,
    may_view_scorecard,
    performance_scope,
)

FILL_STATE = "indicator_values"

SOURCES: tuple[type[Model], ...] = (
    OrgUnit, Worker, Family, Notification, Case, Review, ContextFigure, ImportedIndicatorValue,
    Target,
)  # fmt: skip


def data_signature() -> str:
    """A fingerprint of everything the indicators read: counts, last change, versions.

    Cheap (one aggregate per table) and changed by any insert, delete or service update.
    """
    parts: list[str] = [f"spec:{SPEC_VERSION}"]
    for model in SOURCES:
        figures = model.objects.aggregate(
            rows=Count("id"), last_id=Max("id"), changed=Max("updated_at"), versions=Sum("version")
        )
        parts.append(f"{model._meta.label}:{sorted(figures.items())}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def indicator_values(*, period: str, window: int, level: str | None = None) -> Iterator[ResultRow]:
    """The snapshots of one month for the scorecard: window W plus the window-free rows."""
    rows = IndicatorValue.objects.filter(period=period).filter(
        window_months__in=[window]
    ) | IndicatorValue.objects.filter(period=period, window_months__isnull=True)
    if level is not None:
        rows = rows.filter(level=level)
    fields = (
        "indicator_code", "level", "org_unit_id", "worker_id", "org_code", "period",
        "window_months", "numerator", "denominator", "value", "target", "floor", "rag",
    )  # fmt: skip
    for values in rows.order_by("id").values_list(*fields).iterator(5000):
        *head, rag = values
        yield ResultRow(*head, rag or None)


def stored_periods() -> tuple[str, str] | None:
    """The first and last month the snapshots hold, once a full fill has completed."""
    state = FillState.objects.filter(name=FILL_STATE, state=FillState.State.DONE).first()
    if state is None or not state.first_period:
        return None
    return state.first_period, state.last_period


def scorecard_rows(*, period: str, window: int, level: str | None = None) -> list[ResultRow]:
    """The scorecard of one month: from the snapshots when they hold it, else computed now.

    The snapshots hold the tracker's windows (12 and 1) for every month with data; another
    window, or a month outside them, is computed from the data on the spot and not stored.
    """
    stored = stored_periods()
    if window in DEFAULT_WINDOWS and stored and stored[0] <= period <= stored[1]:
        return list(indicator_values(period=period, window=window, level=level))
    month = parse_period(period)
    rows = compute(load_dataset(), months=[month], windows=[window])
    return [row for row in rows if level is None or row.level == level]


def computed_at(*, period: str) -> object:
    """When the snapshots of a month were computed (None when they were not stored)."""
    return IndicatorValue.objects.filter(period=period).aggregate(at=Max("computed_at"))["at"]


# --- Pages: places, snapshots and figures ----------------------------------------------------
# Pages read the snapshots only: nothing here computes an indicator. A month the snapshots
# do not hold reads as no figures (the page says how to compute them).

SNAPSHOT_FIELDS = (
    "indicator_code", "level", "org_unit_id", "worker_id", "org_code", "period",
    "window_months", "numerator", "denominator", "value", "target", "floor", "rag",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """Where figures are read: an org unit (county, area, district, unit) or a worker."""

    level: Level
    code: str
    name: str
    org_id: int | None = None
    worker_id: int | None = None

    @property
    def slug(self) -> str:
        """The level as written in addresses: county, area, district, unit, worker."""
        return self.level.value.lower()


@dataclass(frozen=True, slots=True)
class PlaceView:
    """A place with the places above it (top first) and below it that the user may see."""

    place: Place
    trail: tuple[Place, ...]
    children: tuple[Place, ...]


def _org_place(node: Node) -> Place:
    return Place(Level(node.kind), node.code, node.name, org_id=node.id)


def _worker_place(worker_id: int, code: str, name: str) -> Place:
    return Place(Level.WORKER, code, name, worker_id=worker_id)


def _scope(user: User, tree: OrgTree) -> PerformanceScope:
    scope = performance_scope(user, tree)
    if scope is None:
        raise PermissionRefused("Your role does not give access to the indicators.")
    return scope


def _trail(tree: OrgTree, scope: PerformanceScope, org_id: int, *, inclusive: bool) -> tuple:
    nodes = [*reversed(tree.ancestors(org_id)), *([tree.nodes[org_id]] if inclusive else [])]
    return tuple(_org_place(n) for n in nodes if scope.sees_org(n.id))


def _org_view(tree: OrgTree, scope: PerformanceScope, node: Node) -> PlaceView:
    if node.kind == OrgKind.UNIT:
        workers = Worker.objects.filter(unit_id=node.id).order_by("name", "code")
        below = tuple(_worker_place(w.pk, w.code, w.name) for w in workers)
    else:
        below = tuple(_org_place(tree.nodes[i]) for i in tree.children.get(node.id, []))
    return PlaceView(_org_place(node), _trail(tree, scope, node.id, inclusive=False), below)


def _worker_view(tree: OrgTree, scope: PerformanceScope, worker: Worker) -> PlaceView:
    trail = _trail(tree, scope, worker.unit_id, inclusive=True)
    return PlaceView(_worker_place(worker.pk, worker.code, worker.name), trail, ())


def performance_home(*, user: User) -> PlaceView:
    """Where the user's figures start: the county, their district, area or unit, or themselves."""
    tree = org_tree()
    scope = _scope(user, tree)
    if scope.root_org_id is not None:
        return _org_view(tree, scope, tree.nodes[scope.root_org_id])
    worker = Worker.objects.get(pk=scope.own_worker_id)
    return _worker_view(tree, scope, worker)


def performance_home_or_none(*, user: User) -> Place | None:
    try:
        return performance_home(user=user).place
    except PermissionRefused:
        return None


def performance_place(*, user: User, level: str, code: str) -> PlaceView:
    """One place by level (`district`, `worker` …) and code; out of scope is not found."""
    tree = org_tree()
    scope = _scope(user, tree)
    if level.upper() == Level.WORKER:
        worker = Worker.objects.filter(code=code).first()
        if worker is None or not scope.sees_worker(worker_id=worker.pk, unit_id=worker.unit_id):
            raise NotFound("worker")
        return _worker_view(tree, scope, worker)
    node = tree.by_code(code)
    if node is None or node.kind != level.upper() or not scope.sees_org(node.id):
        raise NotFound("org unit")
    return _org_view(tree, scope, node)


def performance_place_of(*, user: User, org: str = "", worker: str = "") -> PlaceView:
    """A place given as `?org=CODE` or `?worker=CODE`; neither is the user's home."""
    if worker:
        return performance_place(user=user, level=Level.WORKER.value, code=worker)
    if org:
        node = org_tree().by_code(org)
        if node is None:
            raise NotFound("org unit")
        return performance_place(user=user, level=node.kind, code=org)
    return performance_home(user=user)


def scorecard_place(*, user: User, org: str = "") -> PlaceView:
    """The scorecard's org unit: the user's home unless another in scope is asked for."""
    if not may_view_scorecard(user):
        raise PermissionRefused("Your role does not give access to the scorecard.")
    return performance_place_of(user=user, org=org)


@dataclass(frozen=True, slots=True)
class Snapshots:
    """The months the snapshots hold (first to last) and when they were computed."""

    first: str
    last: str
    computed_at: datetime
    complete: bool

    def holds(self, period: str) -> bool:
        return self.first <= period <= self.last

    def periods(self) -> list[str]:
        return [
            period_label(m) for m in range(parse_period(self.first), parse_period(self.last) + 1)
        ]


def snapshots() -> Snapshots | None:
    """What the snapshots hold; None before the first recompute."""
    state = FillState.objects.filter(name=FILL_STATE).first()
    if state is None or not state.first_period:
        return None
    return Snapshots(
        state.first_period,
        state.last_period,
        state.last_modified,
        state.state == FillState.State.DONE,
    )


def default_period(held: Snapshots | None, today: date) -> str:
    """The last complete month the snapshots hold (the clock's month is provisional)."""
    last_complete = period_label(month_index(today) - 1)
    if held is None:
        return last_complete
    return max(held.first, min(held.last, last_complete))


def _snapshot_rows(
    *, periods: Iterable[str], window: int, levels: Iterable[str], codes: Iterable[str],
    org_codes: Iterable[str],
) -> list[ResultRow]:  # fmt: skip
    """Snapshot rows by exact keys: every column of the unique indexes is given, so each
    (period, level, indicator, org) is an index lookup whatever the size of the county."""
    rows = IndicatorValue.objects.filter(
        Q(window_months=window) | Q(window_months__isnull=True),
        period__in=list(periods),
        level__in=list(levels),
        indicator_code__in=list(codes),
        org_code__in=list(org_codes),
    ).values_list(*SNAPSHOT_FIELDS)
    return [ResultRow(*head, rag or None) for *head, rag in rows]


class Travel(StrEnum):
    """Direction of travel since the previous month, judged by the indicator's polarity."""

    IMPROVING = "Improving"
    WORSENING = "Worsening"
    SAME = "No change"
    UP = "Up"  # no polarity: neither better nor worse
    DOWN = "Down"


def travel(polarity: Polarity, now: Decimal | None, before: Decimal | None) -> Travel | None:
    if now is None or before is None:
        return None
    if now == before:
        return Travel.SAME
    if polarity is Polarity.NONE:
        return Travel.UP if now > before else Travel.DOWN
    return Travel.IMPROVING if at_least_as_good(now, before, polarity) else Travel.WORSENING


@dataclass(frozen=True, slots=True)
class Figure:
    """One indicator at one place and month, with the months before it."""

    indicator: Indicator
    row: ResultRow | None
    previous: ResultRow | None
    trend: tuple[tuple[str, Decimal | None], ...]  # (period, value), oldest first

    @property
    def travel(self) -> Travel | None:
        return travel(
            self.indicator.polarity,
            self.row.value if self.row else None,
            self.previous.value if self.previous else None,
        )


def indicators_at(level: Level) -> list[Indicator]:
    """The indicators that have values at a level, in definition order."""
    return [i for i in INDICATORS.values() if level in i.levels]


def _months_to(period: str, count: int) -> list[str]:
    month = parse_period(period)
    return [period_label(m) for m in range(month - count + 1, month + 1)]


def place_figures(*, place: Place, period: str, window: int, months: int = 12) -> list[Figure]:
    """Every indicator of the place's level for the month, with its last `months` months."""
    indicators = indicators_at(place.level)
    periods = _months_to(period, months)
    rows = _snapshot_rows(
        periods=periods, window=window, levels=[place.level], codes=[i.code for i in indicators],
        org_codes=[place.code],
    )  # fmt: skip
    found = {(r.code, r.period): r for r in rows}
    previous = periods[-2] if len(periods) > 1 else period_label(parse_period(period) - 1)
    figures = []
    for each in indicators:
        trend = tuple((p, getattr(found.get((each.code, p)), "value", None)) for p in periods)
        figures.append(
            Figure(each, found.get((each.code, period)), found.get((each.code, previous)), trend)
        )
    return figures


def children_figures(
    *, view: PlaceView, period: str, window: int, codes: Sequence[str]
) -> dict[tuple[str, str], dict[str, ResultRow]]:
    """The month's rows of the places below, by (level, code) and indicator code."""
    if not view.children or not codes:
        return {}
    rows = _snapshot_rows(
        periods=[period], window=window, levels={c.level for c in view.children}, codes=codes,
        org_codes=[c.code for c in view.children],
    )  # fmt: skip
    found: dict[tuple[str, str], dict[str, ResultRow]] = defaultdict(dict)
    for row in rows:
        found[(row.level, row.org_code)][row.code] = row
    return dict(found)


def indicator_series(
    *, place: Place, code: str, window: int, held: Snapshots | None
) -> list[ResultRow]:
    """One indicator at one place for every month the snapshots hold, oldest first."""
    if held is None:
        return []
    rows = _snapshot_rows(
        periods=held.periods(), window=window, levels=[place.level], codes=[code],
        org_codes=[place.code],
    )  # fmt: skip
    return sorted(rows, key=lambda r: r.period)


def indicator_breakdown(
    *, view: PlaceView, code: str, period: str, window: int
) -> list[tuple[Place, ResultRow | None]]:
    """One indicator for each place below, for the month (None where it has no value)."""
    levels = indicator(code).levels
    below = [c for c in view.children if c.level in levels]
    found = children_figures(
        view=PlaceView(view.place, view.trail, tuple(below)), period=period, window=window,
        codes=[code],
    )  # fmt: skip
    return [(c, found.get((c.level, c.code), {}).get(code)) for c in below]


def scorecard_export(*, user: User, period: str, window: int) -> list[ResultRow]:
    """The month's scorecard rows at every level of the user's scope (for CSV and XLSX)."""
    if not may_view_scorecard(user):
        raise PermissionRefused("Your role does not give access to the scorecard.")
    tree = org_tree()
    scope = _scope(user, tree)
    rows = indicator_values(period=period, window=window)
    if user.role in COUNTY_WIDE_ROLES:
        return list(rows)
    units = dict(Worker.objects.values_list("id", "unit_id"))
    return [
        r
        for r in rows
        if (r.org_id is not None and scope.sees_org(r.org_id))
        or (r.worker_id is not None and scope.sees_worker(worker_id=r.worker_id,
                                                          unit_id=units.get(r.worker_id, 0)))
    ]  # fmt: skip


# --- The records behind a number -------------------------------------------------------------
# Each record is judged with the rules of `domain/indicators/rules.py`, the same rules the
# engine's one pass applies, so the list adds up to the snapshot's figure (less the records
# the user may not see).


@dataclass(frozen=True, slots=True)
class Bounds:
    """The window of a month: its first and last day, and the month's as-of date."""

    start: date
    end: date
    as_of: date


Listed = bool | None  # None: not behind this number; True/False: in the numerator or not
FamilyDates = Mapping[int, Sequence[date]]


@dataclass(frozen=True, slots=True)
class MemberRule:
    """Which records are behind an indicator's number, and which side of it they make.

    `side`: the records listed are the denominator (`split`: marked in the numerator or
    not) or the numerator; `shift`: the window is that many months earlier (EH06).
    """

    side: str
    split: bool
    query: Callable[[Bounds], Q]
    test: Callable[[Any, Bounds, FamilyDates], Listed]
    shift: int = 0
    needs_reviews: bool = False
    needs_family_dates: bool = False


def _closed_in(case: CaseRecord, b: Bounds) -> bool:
    return case.closed_on is not None and b.start <= case.closed_on <= b.end


def _counted_closure(case: CaseRecord, b: Bounds) -> bool:
    return _closed_in(case, b) and rules.is_counted_closure(case.closure_reason)


def _closures(of: Callable[[CaseRecord], bool] | None = None) -> Callable[..., Listed]:
    def test(case: CaseRecord, b: Bounds, _: FamilyDates) -> Listed:
        if not _counted_closure(case, b):
            return None
        return True if of is None else of(case)

    return test


def _plan_cohort(case: CaseRecord, b: Bounds, _: FamilyDates) -> Listed:
    due = b.start <= rules.plan_deadline(case) <= b.end and rules.in_plan_cohort(case)
    return rules.plan_on_time(case) if due else None


def _rereferral(case: CaseRecord, b: Bounds, family: FamilyDates) -> Listed:
    if not (_closed_in(case, b) and rules.in_rereferral_cohort(case.closure_reason)):
        return None
    return rules.rereferred(case.closed_on, family.get(case.family_id, ()))  # type: ignore[arg-type]


def _review_cohort(case: CaseRecord, b: Bounds, _: FamilyDates) -> Listed:
    if not rules.in_review_cohort(case, b.as_of):
        return None
    return rules.reviewed_recently(case, b.as_of)


def _open_at(case: CaseRecord, b: Bounds, _: FamilyDates) -> Listed:
    return True if rules.open_at(case, b.as_of) else None


def _received_in(n: NotificationRecord, b: Bounds) -> bool:
    return b.start <= n.received_on <= b.end


def _step_down(n: NotificationRecord, b: Bounds, _: FamilyDates) -> Listed:
    return True if _received_in(n, b) and rules.is_step_down(n) else None


def _assessment(n: NotificationRecord, b: Bounds, _: FamilyDates) -> Listed:
    triaged = n.triaged_on is not None and b.start <= n.triaged_on <= b.end
    if not (triaged and rules.counts_for_assessment_rate(n)):
        return None
    return rules.led_to_assessment(n)


def _triage_due(n: NotificationRecord, b: Bounds, _: FamilyDates) -> Listed:
    if not (_received_in(n, b) and rules.triage_due(n.received_on, n.category) <= b.as_of):
        return None
    return rules.triaged_on_time(n)


def _received(n: NotificationRecord, b: Bounds, _: FamilyDates) -> Listed:
    return True if _received_in(n, b) else None


def _moments(field: str, b: Bounds) -> Q:
    """A date-time field on the window's days, with a day to spare either side (UK dates
    are decided exactly afterwards)."""
    return Q(**{
        f"{field}__gte": clock.start_of_day(b.start - timedelta(days=1)),
        f"{field}__lt": clock.start_of_day(b.end + timedelta(days=2)),
    })  # fmt: skip


def _closed_query(b: Bounds) -> Q:
    return Q(closed_on__gte=b.start, closed_on__lte=b.end)


def _deadline_query(b: Bounds) -> Q:
    days = timedelta(days=rules.PLAN_DAYS)
    received = _moments("notification__received_at", Bounds(b.start - days, b.end - days, b.as_of))
    opened = Q(
        notification__isnull=True, opened_on__gte=b.start - days, opened_on__lte=b.end - days
    )
    return received | opened


def _open_query(b: Bounds) -> Q:
    return Q(opened_on__lte=b.as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=b.as_of))


CASE_RULES: dict[str, MemberRule] = {
    "EH01": MemberRule("denominator", True, _closed_query,
                       _closures(lambda c: rules.is_step_up(c.closure_reason))),
    "EH04": MemberRule("denominator", True, _deadline_query, _plan_cohort),
    "EH05": MemberRule("denominator", True, _closed_query,
                       _closures(lambda c: rules.is_positive_closure(c.closure_reason))),
    "EH06": MemberRule("denominator", True, _closed_query, _rereferral, shift=12,
                       needs_family_dates=True),
    "EH08": MemberRule("denominator", True, _open_query, _review_cohort, needs_reviews=True),
    "EH09": MemberRule("denominator", False, _closed_query, _closures()),
    "EH10": MemberRule("numerator", False, _open_query, _open_at),
    "EH12": MemberRule("numerator", False, _closed_query, _closures()),
}  # fmt: skip
NOTIFICATION_RULES: dict[str, MemberRule] = {
    "EH02": MemberRule("numerator", False, partial(_moments, "received_at"), _step_down),
    "EH03": MemberRule("denominator", True, partial(_moments, "triaged_at"), _assessment),
    "EH07": MemberRule("denominator", True, partial(_moments, "received_at"), _triage_due),
    "EH11": MemberRule("numerator", False, partial(_moments, "received_at"), _received),
}


@dataclass(frozen=True, slots=True)
class Member:
    """A case or notification behind a number; `counted`: in the numerator (None: n/a)."""

    record: Case | Notification
    counted: bool | None
    duration: int | None = None  # days open (EH09)


@dataclass(frozen=True)
class Members:
    """The records behind one indicator's number at one place and month."""

    indicator: Indicator
    place: Place
    rule: MemberRule | None  # None: imported, nothing behind it here
    members: list[Member]
    figure: ResultRow | None
    bounds: Bounds | None = None

    @property
    def counted(self) -> int:
        return sum(1 for m in self.members if m.counted)

    @property
    def not_listed(self) -> int:
        """How many records the figure counts that the list leaves out (out of scope)."""
        if self.rule is None or self.figure is None:
            return 0
        side = self.figure.denominator if self.rule.side == "denominator" else None
        total = self.figure.numerator if self.rule.side == "numerator" else side
        return 0 if total is None else max(int(total) - len(self.members), 0)


def _bounds(period: str, window: int, shift: int) -> Bounds:
    month = parse_period(period)
    start, end = window_bounds(month - shift, window)
    return Bounds(start, end, as_of(month))


def _case_record(case: Case, reviews: Mapping[int, tuple[date, ...]]) -> CaseRecord:
    received = case.notification.received_at if case.notification_id else None
    return CaseRecord(
        case.unit_id, case.worker_id, case.family_id, case.opened_on,
        local_date(received) if received else case.opened_on, case.plan_agreed_on,
        case.closed_on, case.closure_reason, reviews.get(case.pk, ()),
    )  # fmt: skip


def _notification_record(n: Notification) -> NotificationRecord:
    triaged = local_date(n.triaged_at) if n.triaged_at else None
    return NotificationRecord(
        n.family_id, local_date(n.received_at), n.category, triaged, n.triage_decision
    )


def _review_dates(case_ids: Sequence[int]) -> dict[int, tuple[date, ...]]:
    by_case: dict[int, list[date]] = defaultdict(list)
    for case_id, day in Review.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "review_date"
    ):
        by_case[case_id].append(day)
    return {case_id: tuple(sorted(days)) for case_id, days in by_case.items()}


def _family_dates(family_ids: Sequence[int]) -> dict[int, list[date]]:
    """Every notification of the families (any source, any scope): only their dates."""
    by_family: dict[int, list[date]] = defaultdict(list)
    rows = Notification.objects.filter(family_id__in=family_ids).values_list(
        "family_id", "received_at"
    )
    for family_id, received in rows:
        by_family[family_id].append(local_date(received))
    return {family_id: sorted(days) for family_id, days in by_family.items()}


def _case_members(
    user: User, place: Place, units: frozenset[int], rule: MemberRule, b: Bounds
) -> list[Member]:
    where = Q(worker_id=place.worker_id) if place.worker_id else Q(unit_id__in=units)
    cases = case_list(user=user).filter(rule.query(b), where)
    found = list(cases.order_by("opened_on", "case_ref"))
    ids = [c.pk for c in found]
    reviews = _review_dates(ids) if rule.needs_reviews else {}
    family = _family_dates([c.family_id for c in found]) if rule.needs_family_dates else {}
    members = []
    for case in found:
        listed = rule.test(_case_record(case, reviews), b, family)
        if listed is not None:
            days = (case.closed_on - case.opened_on).days if case.closed_on else None
            members.append(Member(case, listed if rule.split else None, days))
    return members


def _notification_members(
    user: User, districts: frozenset[int], rule: MemberRule, b: Bounds
) -> list[Member]:
    found = notification_list(user=user).filter(rule.query(b), family__district_id__in=districts)
    members = []
    for notification in found.order_by("received_at", "notification_ref"):
        listed = rule.test(_notification_record(notification), b, {})
        if listed is not None:
            members.append(Member(notification, listed if rule.split else None))
    return members


def indicator_members(
    *, user: User, view: PlaceView, code: str, period: str, window: int
) -> Members:
    """The cases (or notifications) behind one indicator's figure, within the user's scope.

    Only for roles that see cases (`policies.may_list_cases`); the place must have been
    read with `performance_place` for the same user.
    """
    if not may_list_cases(user):
        raise PermissionRefused("Your role does not give access to case records.")
    definition, place = indicator(code), view.place
    figure = next(
        iter(_snapshot_rows(periods=[period], window=window, levels=[place.level],
                            codes=[code], org_codes=[place.code])),
        None,
    )  # fmt: skip
    rule = CASE_RULES.get(code) or NOTIFICATION_RULES.get(code)
    if rule is None or place.level not in definition.levels:
        return Members(definition, place, None, [], figure)
    b = _bounds(period, definition.uses_window and window or 1, rule.shift)
    tree = org_tree()
    below = tree.descendants(place.org_id) if place.org_id else set()
    if code in CASE_RULES:
        units = frozenset(i for i in below if tree.nodes[i].kind == OrgKind.UNIT)
        members = _case_members(user, place, units, rule, b)
    else:
        districts = frozenset(i for i in below if tree.nodes[i].kind == OrgKind.DISTRICT)
        members = _notification_members(user, districts, rule, b)
    return Members(definition, place, rule, members, figure, b)
