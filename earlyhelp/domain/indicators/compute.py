"""Compute every indicator for every month asked, every window, every level and org unit.

`compute(dataset, months=…, windows=…)` yields one `ResultRow` per indicator × org unit or
worker × month (× window for the windowed ones): the rows of the scorecard's "Which rows".
Pure Python over plain records; the performance app loads them and stores the rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import chain, groupby

from earlyhelp.domain.indicators import assemble
from earlyhelp.domain.indicators.definitions import (
    COMPUTED,
    INDICATORS,
    Indicator,
    Level,
    resolve_target,
)
from earlyhelp.domain.indicators.periods import month_index, period_label, target_year
from earlyhelp.domain.indicators.population import (
    Counted,
    Population,
    count_records,
    populate,
)
from earlyhelp.domain.indicators.records import Dataset
from earlyhelp.domain.indicators.rows import (
    Block,
    Chunk,
    Judge,
    MedianBlock,
    ResultRow,
    RowKey,
    chunk_of,
    head_of,
    rows_of,
)
from earlyhelp.domain.indicators.series import Span, rollup_order
from earlyhelp.domain.indicators.targets import TargetSpec
from earlyhelp.domain.orgtree import Node

DEFAULT_WINDOWS = (12, 1)
__all__ = [
    "DEFAULT_WINDOWS",
    "Chunk",
    "Counted",
    "ResultRow",
    "compute",
    "compute_chunks",
    "first_month",
    "months_through",
]


def first_month(dataset: Dataset, counted: Counted | None = None) -> int | None:
    """The first month with any data: a case opened or started, a notification, a figure.

    `counted`: the records' counts, when they were counted already (or elsewhere).
    """
    if counted is None:
        days = chain(
            (c.opened_on for c in dataset.cases),
            (c.start_on for c in dataset.cases),
            (n.received_on for n in dataset.notifications),
        )
        earliest = min(days, default=None)
    else:
        earliest = counted.first_day
    months = [r.month for r in chain(dataset.context, dataset.imported)]
    if earliest is not None:
        months.append(month_index(earliest))
    return min(months, default=None)


def months_through(dataset: Dataset, today: date, counted: Counted | None = None) -> list[int]:
    """Every month from the first with data to the month of `today`."""
    last = month_index(today)
    first = first_month(dataset, counted)
    return list(range(min(first, last) if first is not None else last, last + 1))


def compute(
    dataset: Dataset,
    *,
    months: Sequence[int],
    windows: Sequence[int] = DEFAULT_WINDOWS,
    codes: Sequence[str] | None = None,
    counted: Counted | None = None,
) -> Iterator[ResultRow]:
    """Rows for the months asked, month by month; windowed indicators once per window.

    `counted`: the cases' and notifications' counts when they were made elsewhere (the
    performance app's columnar engine); else the records of `dataset` are counted here.
    """
    for chunk in compute_chunks(
        dataset, months=months, windows=windows, codes=codes, counted=counted
    ):
        yield from rows_of(chunk)


def compute_chunks(
    dataset: Dataset,
    *,
    months: Sequence[int],
    windows: Sequence[int] = DEFAULT_WINDOWS,
    codes: Sequence[str] | None = None,
    counted: Counted | None = None,
) -> Iterator[Chunk]:
    """`compute`'s rows in chunks: each indicator, window and month's rows with what they
    share given once (`rows.Chunk`)."""
    if not months:
        return
    if counted is None:
        counted = count_records(dataset)
    first = first_month(dataset, counted)
    span = Span(min(months) if first is None else min(first, *months), max(months))
    population = populate(counted, dataset.context, span)
    context = _Context(dataset, span, months)
    blocks: list[Block] = []
    for indicator in COMPUTED:
        if codes is None or indicator.code in codes:
            blocks.extend(_blocks(indicator, population, context, windows))
    # Within a month, the rows of one window together: the snapshot's unique index is by
    # month, then window, so its entries are then written close together (~12% less time
    # writing the snapshot on SQLite).
    blocks.sort(key=_by_window)
    imported = _imported_rows(dataset, context, codes)
    for offset, period, year in context.months:
        for block in blocks:
            yield block.chunk(offset, period, year)
        for _, rows in groupby(imported.get(period, ()), key=head_of):
            yield chunk_of(list(rows))


def _by_window(block: Block) -> tuple[bool, int]:
    return block.window is None, block.window or 0


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

    def targets(self, code: str) -> dict[int, TargetSpec | None]:
        """The target of each target year of the months asked."""
        return {year: self.target(code, year) for _, _, year in self.months}

    def row_keys(self, indicator: Indicator) -> list[RowKey]:
        """(level, org id, worker id, code) of every row the indicator has in a month."""
        keys: list[RowKey] = [
            (node.kind, node.id, None, node.code)
            for node in sorted(self.nodes.values(), key=lambda n: n.code)
            if node.kind in indicator.levels
        ]
        if Level.WORKER in indicator.levels:
            keys.extend((Level.WORKER.value, None, w.id, w.code) for w in self.dataset.workers)
        return keys


def _blocks(
    indicator: Indicator, population: Population, context: _Context, windows: Sequence[int]
) -> list[Block]:
    code = indicator.code
    keys = context.row_keys(indicator)
    targets = context.targets(code)
    if code == "EH09":
        durations = assemble.filled_durations(population, context.order)
        return [
            MedianBlock(indicator, w, keys, durations, offsets=context.offsets, targets=targets)
            for w in windows
        ]
    size = context.span.size
    if not indicator.uses_window:
        series = assemble.as_of_series(population, code, context.order)
        if code == "EH10":
            series = _with_fte_denominators(series, context)
        return [Block(indicator, None, keys, series, size=size, targets=targets)]
    buckets = assemble.filled_tally(population, code, context.order)
    return [
        Block(indicator, w, keys, assemble.window_series(buckets, w, size), size=size,
              targets=targets)
        for w in windows
    ]  # fmt: skip


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


def _imported_rows(
    dataset: Dataset, context: _Context, codes: Sequence[str] | None
) -> dict[str, list[ResultRow]]:
    """Imported values by period: one row for each org unit that has a value."""
    wanted = {period: year for _, period, year in context.months}
    out: dict[str, list[ResultRow]] = {}
    for record in sorted(dataset.imported, key=lambda r: (r.code, r.month, r.org_id)):
        period = period_label(record.month)
        if period not in wanted or (codes is not None and record.code not in codes):
            continue
        node = context.nodes[record.org_id]
        judge = Judge(INDICATORS[record.code].polarity, context.target(record.code, wanted[period]))
        out.setdefault(period, []).append(ResultRow(
            record.code, node.kind, node.id, None, node.code, period, None, record.numerator,
            record.denominator, record.value, judge.target, judge.floor, judge(record.value),
        ))  # fmt: skip
    return out
