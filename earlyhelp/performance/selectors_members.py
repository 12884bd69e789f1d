"""The records behind a number: each case or notification judged with the rules of
`domain/indicators/rules.py`, the same rules the engine applies, within the case scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from earlyhelp.casework.models import Case, Review
from earlyhelp.casework.selectors import case_list
from earlyhelp.common import clock
from earlyhelp.common.clock import local_date
from earlyhelp.common.errors import PermissionRefused
from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import (
    Indicator,
    indicator,
)
from earlyhelp.domain.indicators.periods import (
    as_of,
    parse_period,
    window_bounds,
)
from earlyhelp.domain.indicators.records import CaseRecord, NotificationRecord
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.selectors import notification_list
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import org_tree
from earlyhelp.performance.policies import (
    may_list_cases,
)
from earlyhelp.performance.selectors_places import Place, PlaceView
from earlyhelp.performance.selectors_snapshots import snapshot_rows

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


M = TypeVar("M", bound=Model)

# What the rules (`_case_record`, `_notification_record`) and the list of records read: a
# district's list is a thousand or more rows, each loaded whole with its family, unit,
# worker and notification before (~200 ms at 1x).
_CASE_FIELDS = (
    "case_ref", "unit", "worker", "family", "notification", "opened_on", "plan_agreed_on",
    "closed_on", "closure_reason", "unit__name", "worker__name", "notification__received_at",
)  # fmt: skip
_NOTIFICATION_FIELDS = (
    "notification_ref",
    "family",
    "received_at",
    "category",
    "triaged_at",
    "triage_decision",
)


def _narrow(records: QuerySet[M], fields: Sequence[str]) -> QuerySet[M]:
    related = sorted({name.split("__")[0] for name in fields if "__" in name})
    narrow = records.select_related(None)
    if related:  # select_related() with no names would follow every foreign key
        narrow = narrow.select_related(*related)
    return narrow.only(*fields)


def _case_members(
    user: User, place: Place, units: frozenset[int], rule: MemberRule, b: Bounds
) -> list[Member]:
    where = Q(worker_id=place.worker_id) if place.worker_id else Q(unit_id__in=units)
    cases = case_list(user=user).filter(rule.query(b), where)
    found = list(_narrow(cases, _CASE_FIELDS).order_by("opened_on", "case_ref"))
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
    for notification in _narrow(found, _NOTIFICATION_FIELDS).order_by(
        "received_at", "notification_ref"
    ):
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
        iter(snapshot_rows(periods=[period], window=window, levels=[place.level],
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
