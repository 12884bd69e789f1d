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
from earlyhelp.domain.indicators.records import (
    CaseRecord,
    ContextRecord,
    Dataset,
    NotificationRecord,
)
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


Histogram = dict[int, int]  # closure duration in days → how many closures took that long
Durations = dict[int, dict[int, Histogram]]  # key → month offset → durations histogram
Run = tuple[Counter[Event], Counter[Event]]  # (starts, stops) of runs of months
DurationKey = tuple[int, int | None, int, int]  # (unit, worker, month closed, days open)
TALLIED = ("EH01", "EH02", "EH03", "EH04", "EH05", "EH06", "EH07", "EH11", "EH12")
RUNS = ("EH08 num", "EH08 den", "EH10 num")


@dataclass
class Counted:
    """What the one pass over the cases and notifications found, before any span of months.

    `tallies`: per windowed indicator, (numerator, denominator) counts of event keys;
    `runs`: per "EH08 num", "EH08 den", "EH10 num", the starts and stops of runs of months
    (a case still open has no stop); `durations`: counted closures by (unit, worker, month
    closed, days open); `first_day`: the earliest day a case opened or started or a
    notification was received. The pure pass (`count_records`) is the reference; the
    performance app's columnar engine produces the same counts from the database.
    """

    first_day: date | None = None
    tallies: dict[str, tuple[Counter[Event], Counter[Event]]] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    durations: Counter[DurationKey] = field(default_factory=Counter)


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
    runs: dict[str, tuple[list[Event], list[Event]]] = field(
        default_factory=lambda: {code: ([], []) for code in RUNS}
    )
    durations: list[DurationKey] = field(default_factory=list)

    def add(self, code: str, key: Event, *, num: bool) -> None:
        self.den[code].append(key)
        if num:
            self.num[code].append(key)

    def add_num(self, code: str, key: Event) -> None:
        """A count (EH11, EH12) or a numerator over another denominator (EH02)."""
        self.num[code].append(key)

    def counted(self, first_day: date | None) -> Counted:
        return Counted(
            first_day,
            {code: (Counter(self.num[code]), Counter(self.den[code])) for code in TALLIED},
            {code: (Counter(run[0]), Counter(run[1])) for code, run in self.runs.items()},
            Counter(self.durations),
        )


def count_records(dataset: Dataset) -> Counted:
    """The one pass over the records (the reference the columnar engine is checked against)."""
    events = _Events()
    family_dates = _family_notification_dates(dataset.notifications)
    for case in dataset.cases:
        _add_case(events, case, family_dates)
    for notification in dataset.notifications:
        _add_notification(events, notification, dataset.family_districts)
    days = [c.opened_on for c in dataset.cases] + [c.start_on for c in dataset.cases]
    days += [n.received_on for n in dataset.notifications]
    return events.counted(min(days, default=None))


def populate(counted: Counted, context: Sequence[ContextRecord], span: Span) -> Population:
    """Lay the counts out over the span's months; context figures add EH02's denominators."""
    population = Population(span)
    scs_closures: Counter[Event] = Counter()
    for figure in context:
        if figure.measure == ContextMeasure.SCS_CLOSURES and figure.value:
            scs_closures[(figure.org_id, None, figure.month, 0)] += figure.value
    for code in TALLIED:
        num, den = counted.tallies.get(code, (Counter(), Counter()))
        if code == "EH02":
            den = den + scs_closures if den else scs_closures
        population.tallies[code] = Tally.count(span, num=num, den=den)
    empty: Run = (Counter(), Counter())
    for code in ("EH08", "EH10"):
        population.ranges[code] = RangeTally.count(
            span, num=counted.runs.get(f"{code} num", empty),
            den=counted.runs.get(f"{code} den", empty),
        )  # fmt: skip
    _lay_out_durations(population, counted.durations)
    return population


def _lay_out_durations(population: Population, durations: Counter[DurationKey]) -> None:
    span = population.span
    for (unit, worker, month, days), n in durations.items():
        offset = month - span.first
        if offset >= span.size:
            continue
        tables = ((population.durations_by_org, unit), (population.durations_by_worker, worker))
        for table, key in tables:
            if key is not None:
                histogram = table[key].setdefault(offset, {})
                histogram[days] = histogram.get(days, 0) + n


def _family_notification_dates(
    notifications: Sequence[NotificationRecord],
) -> dict[int, list[date]]:
    dates: dict[int, list[date]] = defaultdict(list)
    for notification in notifications:
        dates[notification.family_id].append(notification.received_on)
    for received in dates.values():
        received.sort()
    return dates


def _add_case(events: _Events, case: CaseRecord, family_dates: Mapping[int, list[date]]) -> None:
    unit, worker = case.unit_id, case.worker_id
    if rules.in_plan_cohort(case):
        deadline = _month(case.start_on + _PLAN)
        events.add("EH04", (unit, worker, deadline, 0), num=rules.plan_on_time(case))
    if case.closed_on is not None:
        _add_closure(events, case, case.closed_on, family_dates.get(case.family_id))
    _add_at_as_of(events, case)


def _add_closure(
    events: _Events, case: CaseRecord, closed_on: date, family_dates: list[date] | None
) -> None:
    reason = case.closure_reason
    month = _month(closed_on)
    key = (case.unit_id, case.worker_id, month, 0)
    if rules.is_counted_closure(reason):
        events.add("EH01", key, num=rules.is_step_up(reason))
        events.add("EH05", key, num=rules.is_positive_closure(reason))
        events.add_num("EH12", key)
        days = rules.duration_days(case)
        events.durations.append((case.unit_id, case.worker_id, month, days))
    if rules.in_rereferral_cohort(reason):
        later = (case.unit_id, case.worker_id, month + 12, 0)
        events.add("EH06", later, num=rules.rereferred(closed_on, family_dates or ()))


def _add_at_as_of(events: _Events, case: CaseRecord) -> None:
    """EH10: open from the month opened to the month before the one it closed in.

    EH08: of those months, the ones whose as-of date is at least 42 days after the plan
    (the cohort); a review dated r covers the months whose as-of date is in r … r + 41.
    Runs are recorded as (start, stop) month keys of difference arrays, stop exclusive; a
    case still open has no stop (its runs go on past any span).
    """
    unit, worker, runs = case.unit_id, case.worker_id, events.runs
    first = _month(case.opened_on)
    stop = _month(case.closed_on) if case.closed_on is not None else None
    if stop is not None and first >= stop:
        return
    _run(runs["EH10 num"], unit, worker, first, stop)
    if case.plan_agreed_on is None:
        return
    first = max(first, _month(case.plan_agreed_on + _REVIEW))
    if stop is not None and first >= stop:
        return
    _run(runs["EH08 den"], unit, worker, first, stop)
    run_start, run_stop = -1, -1
    for review in case.review_dates:
        start, last = _review_cover(review)
        if start > run_stop:  # a gap: close the run so far
            _clipped_run(runs["EH08 num"], unit, worker, (run_start, run_stop), first, stop)
            run_start = start
        run_stop = max(run_stop, last + 1)
    _clipped_run(runs["EH08 num"], unit, worker, (run_start, run_stop), first, stop)


def _run(
    runs: tuple[list[Event], list[Event]], unit: int, worker: int | None, start: int,
    stop: int | None,
) -> None:  # fmt: skip
    runs[0].append((unit, worker, start, 0))
    if stop is not None:
        runs[1].append((unit, worker, stop, 0))


def _clipped_run(
    runs: tuple[list[Event], list[Event]],
    unit: int,
    worker: int | None,
    run: tuple[int, int],
    first: int,
    limit: int | None,
) -> None:
    start, stop = max(run[0], first), run[1] if limit is None else min(run[1], limit)
    if start < stop:
        _run(runs, unit, worker, start, stop)


def _add_notification(
    events: _Events, notification: NotificationRecord, family_districts: Mapping[int, int]
) -> None:
    district = family_districts[notification.family_id]
    received = notification.received_on
    month = _month(received)
    key = (district, None, month, 0)
    events.add_num("EH11", key)
    if rules.is_step_down(notification):
        events.add_num("EH02", key)
    triaged = notification.triaged_on
    if triaged is not None and rules.counts_for_assessment_rate(notification):
        events.add(
            "EH03", (district, None, _month(triaged), 0), num=rules.led_to_assessment(notification)
        )
    lag = _month(rules.triage_due(received, notification.category)) - month
    events.add("EH07", (district, None, month, lag), num=rules.triaged_on_time(notification))
