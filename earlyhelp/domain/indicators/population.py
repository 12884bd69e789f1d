"""One pass over the cases and one over the notifications fill every indicator's buckets.

Each indicator's rule (`rules.py`) becomes "which month does this record count in":
- closures (EH01, EH05, EH06, EH09, EH12) by the month of `closed_on` (EH06: + 12 months);
- EH04 by the month of the deadline; EH03 by the month triaged; EH02, EH07, EH11 by the
  month received (EH07 with the lag to its due date's month);
- EH08 and EH10 over the run of months at whose as-of date the case counts.

The passes only append event keys to lists; `collections.Counter` then counts them in C, so
a record costs a few hundred nanoseconds, and the buckets are filled once per distinct key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from earlyhelp.domain.codes import ContextMeasure
from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.records import CaseRecord, Dataset, NotificationRecord
from earlyhelp.domain.indicators.series import Event, RangeTally, Span, Tally

Durations = dict[int, dict[int, list[int]]]  # key → month offset → closure durations

_PLAN = timedelta(days=rules.PLAN_DAYS)
_REVIEW = timedelta(days=rules.REVIEW_DAYS)


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


@lru_cache(maxsize=16384)
def _review_cover(review: date) -> tuple[int, int]:
    """The months at whose as-of date a review dated `review` is at most 41 days old."""
    return _month(review), _month(review + _REVIEW) - 1


@dataclass
class Population:
    """The buckets of every computed indicator over one span of months."""

    span: Span
    tallies: dict[str, Tally] = field(default_factory=dict)
    ranges: dict[str, RangeTally] = field(default_factory=dict)
    durations_by_org: Durations = field(default_factory=lambda: defaultdict(dict))
    durations_by_worker: Durations = field(default_factory=lambda: defaultdict(dict))


@dataclass
class _Events:
    """Event keys per indicator: (org, worker, month, lag), one per record counted."""

    num: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    den: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))

    def add(self, code: str, key: Event, *, num: bool, den: int = 1) -> None:
        if den == 1:
            self.den[code].append(key)
        else:
            self.den[code].extend([key] * den)
        if num:
            self.num[code].append(key)


def populate(dataset: Dataset, span: Span) -> Population:
    population = Population(span)
    events = _Events()
    ranges: dict[str, tuple[list[Event], list[Event]]] = {
        code: ([], []) for code in ("EH08 num", "EH08 den", "EH10 num")
    }
    family_dates = _family_notification_dates(dataset.notifications)
    for case in dataset.cases:
        _add_case(population, events, ranges, case, family_dates)
    for notification in dataset.notifications:
        _add_notification(events, notification, dataset.family_districts)
    for figure in dataset.context:
        if figure.measure == ContextMeasure.SCS_CLOSURES and figure.value:
            events.add("EH02", (figure.org_id, None, figure.month, 0), num=False, den=figure.value)
    for code in ("EH01", "EH02", "EH03", "EH04", "EH05", "EH06", "EH07", "EH11", "EH12"):
        population.tallies[code] = Tally.count(
            span, num=Counter(events.num[code]), den=Counter(events.den[code])
        )
    for code in ("EH08", "EH10"):
        num_starts, num_stops = ranges[f"{code} num"]
        den_starts, den_stops = ranges.get(f"{code} den", ([], []))
        population.ranges[code] = RangeTally.count(
            span, num=(Counter(num_starts), Counter(num_stops)),
            den=(Counter(den_starts), Counter(den_stops)),
        )  # fmt: skip
    return population


def _family_notification_dates(
    notifications: Sequence[NotificationRecord],
) -> dict[int, list[date]]:
    dates: dict[int, list[date]] = defaultdict(list)
    for notification in notifications:
        dates[notification.family_id].append(notification.received_on)
    for received in dates.values():
        received.sort()
    return dates


def _add_case(
    population: Population,
    events: _Events,
    ranges: dict[str, tuple[list[Event], list[Event]]],
    case: CaseRecord,
    family_dates: Mapping[int, list[date]],
) -> None:
    unit, worker = case.unit_id, case.worker_id
    if rules.in_plan_cohort(case):
        deadline = _month(case.start_on + _PLAN)
        events.add("EH04", (unit, worker, deadline, 0), num=rules.plan_on_time(case))
    if case.closed_on is not None:
        _add_closure(population, events, case, case.closed_on, family_dates.get(case.family_id))
    _add_at_as_of(population, ranges, case)


def _add_closure(
    population: Population,
    events: _Events,
    case: CaseRecord,
    closed_on: date,
    family_dates: list[date] | None,
) -> None:
    reason = case.closure_reason
    month = _month(closed_on)
    key = (case.unit_id, case.worker_id, month, 0)
    if rules.is_counted_closure(reason):
        events.add("EH01", key, num=rules.is_step_up(reason))
        events.add("EH05", key, num=rules.is_positive_closure(reason))
        events.add("EH12", key, num=True, den=0)
        _add_duration(population, case, month)
    if rules.in_rereferral_cohort(reason):
        later = (case.unit_id, case.worker_id, month + 12, 0)
        events.add("EH06", later, num=rules.rereferred(closed_on, family_dates or ()))


def _add_duration(population: Population, case: CaseRecord, month: int) -> None:
    offset = month - population.span.first
    if offset >= population.span.size:
        return
    days = rules.duration_days(case)
    population.durations_by_org[case.unit_id].setdefault(offset, []).append(days)
    if case.worker_id is not None:
        population.durations_by_worker[case.worker_id].setdefault(offset, []).append(days)


def _add_at_as_of(
    population: Population, ranges: dict[str, tuple[list[Event], list[Event]]], case: CaseRecord
) -> None:
    """EH10: open from the month opened to the month before the one it closed in.

    EH08: of those months, the ones whose as-of date is at least 42 days after the plan
    (the cohort); a review dated r covers the months whose as-of date is in r … r + 41.
    Runs are recorded as (start, stop) month keys of difference arrays, stop exclusive.
    """
    unit, worker = case.unit_id, case.worker_id
    first = _month(case.opened_on)
    stop = _month(case.closed_on) if case.closed_on is not None else population.span.last + 1
    if first >= stop:
        return
    _run(ranges["EH10 num"], unit, worker, first, stop)
    if case.plan_agreed_on is None:
        return
    first = max(first, _month(case.plan_agreed_on + _REVIEW))
    if first >= stop:
        return
    _run(ranges["EH08 den"], unit, worker, first, stop)
    run_start, run_stop = -1, -1
    for review in case.review_dates:
        start, last = _review_cover(review)
        if start > run_stop:  # a gap: close the run so far
            _clipped_run(ranges["EH08 num"], unit, worker, run_start, run_stop, first, stop)
            run_start = start
        run_stop = max(run_stop, last + 1)
    _clipped_run(ranges["EH08 num"], unit, worker, run_start, run_stop, first, stop)


def _run(
    runs: tuple[list[Event], list[Event]], unit: int, worker: int | None, start: int, stop: int
) -> None:
    runs[0].append((unit, worker, start, 0))
    runs[1].append((unit, worker, stop, 0))


def _clipped_run(
    runs: tuple[list[Event], list[Event]],
    unit: int,
    worker: int | None,
    start: int,
    stop: int,
    first: int,
    limit: int,
) -> None:
    start, stop = max(start, first), min(stop, limit)
    if start < stop:
        _run(runs, unit, worker, start, stop)


def _add_notification(
    events: _Events, notification: NotificationRecord, family_districts: Mapping[int, int]
) -> None:
    district = family_districts[notification.family_id]
    received = notification.received_on
    month = _month(received)
    key = (district, None, month, 0)
    events.add("EH11", key, num=True, den=0)
    if rules.is_step_down(notification):
        events.add("EH02", key, num=True, den=0)
    triaged = notification.triaged_on
    if triaged is not None and rules.counts_for_assessment_rate(notification):
        events.add(
            "EH03", (district, None, _month(triaged), 0), num=rules.led_to_assessment(notification)
        )
    lag = _month(rules.triage_due(received, notification.category)) - month
    events.add("EH07", (district, None, month, lag), num=rules.triaged_on_time(notification))
