"""Compute every indicator for every month asked, every window, every level and org unit.

`compute(dataset, months=…, windows=…)` yields one `ResultRow` per indicator × org unit or
worker × month (× window for the windowed ones): the rows of the scorecard's "Which rows".
Pure Python over plain records; the performance app loads them and stores the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from itertools import chain
from decimal import Decimal
from typing import NamedTuple

from earlyhelp.domain.indicators import assemble
from earlyhelp.domain.indicators.arithmetic import percentage, rag, ratio
from earlyhelp.domain.indicators.definitions import (
    COMPUTED,
    INDICATORS,
    Indicator,
    Level,
    resolve_target,
)
from earlyhelp.domain.indicators.periods import month_index, period_label, target_year
from earlyhelp.domain.indicators.population import Population, populate
from earlyhelp.domain.indicators.records import Dataset
from earlyhelp.domain.indicators.series import Span, rollup_order
from earlyhelp.domain.indicators.targets import TargetSpec
from earlyhelp.domain.orgtree import Node

DEFAULT_WINDOWS = (12, 1)
PERCENT_CODES = frozenset({"EH01", "EH02", "EH03", "EH04", "EH05", "EH06", "EH07", "EH08"})
COUNT_CODES = frozenset({"EH11", "EH12"})


class ResultRow(NamedTuple):
    """One value of one indicator for one org unit (or worker) and month."""

    code: str
    level: str
    org_id: int | None  # the org unit (None at WORKER level)
    worker_id: int | None
    org_code: str  # the org unit's code, or the worker's
    period: str
    window: int | None  # None for EH08, EH10 and imported indicators
    numerator: int | None
    denominator: int | Decimal | None
    value: Decimal | None
    target: Decimal | None
    floor: Decimal | None
    rag: str | None


def first_month(dataset: Dataset) -> int | None:
    """The first month with any data: a case opened or started, a notification, a figure."""
    days = chain(
        (c.opened_on for c in dataset.cases),
        (c.start_on for c in dataset.cases),
        (n.received_on for n in dataset.notifications),
    )
    earliest = min(days, default=None)
    months = [r.month for r in chain(dataset.context, dataset.imported)]
    if earliest is not None:
        months.append(month_index(earliest))
    return min(months, default=None)


def months_through(dataset: Dataset, today: date) -> list[int]:
    """Every month from the first with data to the month of `today`."""
    last = month_index(today)
    first = first_month(dataset)
    return list(range(min(first, last) if first is not None else last, last + 1))


def compute(
    dataset: Dataset,
    *,
    months: Sequence[int],
    windows: Sequence[int] = DEFAULT_WINDOWS,
    codes: Sequence[str] | None = None,
) -> Iterator[ResultRow]:
    """Rows for the months asked; windowed indicators once per window."""
    if not months:
        return
    first = first_month(dataset)
    span = Span(min(months) if first is None else min(first, *months), max(months))
    population = populate(dataset, span)
    context = _Context(dataset, span, months)
    for indicator in COMPUTED:
        if codes is None or indicator.code in codes:
            yield from _indicator_rows(indicator, population, context, windows)
    yield from _imported_rows(dataset, context, codes)


class _Context:
    """What every indicator's rows need: the org tree in fill order, workers, targets."""

    def __init__(self, dataset: Dataset, span: Span, months: Sequence[int]) -> None:
        self.dataset = dataset
        self.span = span
        self.nodes = {node.id: node for node in dataset.org_units}
        self.order: list[Node] = rollup_order(dataset.org_units)
        self.months = [
            (m - span.first, period_label(m), target_year(m)) for m in sorted(set(months))
        ]
        self.offsets = [offset for offset, _, _ in self.months]

    def target(self, code: str, year: int) -> TargetSpec | None:
        return resolve_target(code, year, self.dataset.targets)

    def row_keys(self, indicator: Indicator) -> list[tuple[str, int | None, int | None, str]]:
        """(level, org id, worker id, code) of every row the indicator has in a month."""
        keys = [
            (node.kind, node.id, None, node.code)
            for node in sorted(self.nodes.values(), key=lambda n: n.code)
            if node.kind in indicator.levels
        ]
        if Level.WORKER in indicator.levels:
            keys.extend((Level.WORKER.value, None, w.id, w.code) for w in self.dataset.workers)
        return keys


ValueFn = Callable[[int, int | Decimal], tuple[int | None, int | Decimal | None, Decimal | None]]


def _value_fn(indicator: Indicator) -> ValueFn:
    """(numerator, denominator, value) as the scorecard shows them, from the two sums."""
    if indicator.code in COUNT_CODES:
        return lambda num, den: (num, None, Decimal(num))
    if indicator.code == "EH10":
        return lambda num, den: (num, den, ratio(num, den, places=2))
    return lambda num, den: (num, den, percentage(num, den))


def _indicator_rows(
    indicator: Indicator, population: Population, context: _Context, windows: Sequence[int]
) -> Iterator[ResultRow]:
    code = indicator.code
    if code == "EH09":
        for window in windows:
            yield from _median_rows(indicator, population, context, window)
        return
    if not indicator.uses_window:
        series = assemble.as_of_series(population, code, context.order)
        if code == "EH10":
            series = _with_fte_denominators(series, context)
        yield from _rows(indicator, context, series, None)
        return
    buckets = assemble.filled_tally(population, code, context.order)
    for window in windows:
        series = assemble.window_series(buckets, window, context.span.size)
        yield from _rows(indicator, context, series, window)


def _with_fte_denominators(series: assemble.SeriesByKey, context: _Context) -> assemble.SeriesByKey:
    by_org_fte, by_worker_fte = assemble.caseholding_fte(context.dataset.workers, context.order)
    size = context.span.size
    by_org, by_worker = series
    zeros = [0] * size
    return (
        {k: (by_org.get(k, (zeros,))[0], [by_org_fte.get(k, Decimal(0))] * size)
         for k in context.nodes},
        {k: (by_worker.get(k, (zeros,))[0], [fte] * size) for k, fte in by_worker_fte.items()},
    )  # fmt: skip


def _rows(
    indicator: Indicator,
    context: _Context,
    series: assemble.SeriesByKey,
    window: int | None,
) -> Iterator[ResultRow]:
    value_of = _value_fn(indicator)
    by_org, by_worker = series
    zeros = [0] * context.span.size
    targets = {year: context.target(indicator.code, year) for _, _, year in context.months}
    for level, org_id, worker_id, org_code in context.row_keys(indicator):
        found = by_org.get(org_id) if org_id is not None else by_worker.get(worker_id or 0)
        nums, dens = found if found is not None else (zeros, zeros)
        for offset, period, year in context.months:
            numerator, denominator, value = value_of(nums[offset], dens[offset])
            yield _row(
                indicator, level, org_id, worker_id, org_code, period, window,
                numerator, denominator, value, targets[year],
            )  # fmt: skip


def _row(
    indicator: Indicator, level: str, org_id: int | None, worker_id: int | None, org_code: str,
    period: str, window: int | None, numerator: int | None,
    denominator: int | Decimal | None, value: Decimal | None, spec: TargetSpec | None,
) -> ResultRow:  # fmt: skip
    target = spec.target if spec else None
    floor = spec.floor if spec else None
    status = rag(value, target=target, floor=floor, polarity=indicator.polarity)
    return ResultRow(
        indicator.code, level, org_id, worker_id, org_code, period, window,
        numerator, denominator, value, target, floor, status.value if status else None,
    )  # fmt: skip


def _median_rows(
    indicator: Indicator, population: Population, context: _Context, window: int
) -> Iterator[ResultRow]:
    by_org, by_worker = assemble.filled_durations(population, context.order)
    targets = {year: context.target(indicator.code, year) for _, _, year in context.months}
    for level, org_id, worker_id, org_code in context.row_keys(indicator):
        durations = (
            by_org.get(org_id, {}) if org_id is not None else by_worker.get(worker_id or 0, {})
        )
        medians = assemble.window_medians(durations, window, context.offsets)
        for offset, period, year in context.months:
            count, value = medians[offset]
            yield _row(
                indicator, level, org_id, worker_id, org_code, period, window,
                None, count, value, targets[year],
            )  # fmt: skip


def _imported_rows(
    dataset: Dataset, context: _Context, codes: Sequence[str] | None
) -> Iterator[ResultRow]:
    wanted = {period: year for _, period, year in context.months}
    for record in sorted(dataset.imported, key=lambda r: (r.code, r.month, r.org_id)):
        period = period_label(record.month)
        if period not in wanted or (codes is not None and record.code not in codes):
            continue
        node = context.nodes[record.org_id]
        yield _row(
            INDICATORS[record.code], node.kind, node.id, None, node.code, period, None,
            record.numerator, record.denominator, record.value,
            context.target(record.code, wanted[period]),
        )  # fmt: skip
