"""From filled buckets to per-key monthly series, every level, every window.

Each function answers, for one indicator and window: {(level, id): (numerators,
denominators)} over the months of the span, for org units (filled upwards) and workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.arithmetic import median_of_counts
from earlyhelp.domain.indicators.population import Durations, Histogram, Population
from earlyhelp.domain.indicators.records import WorkerRecord
from earlyhelp.domain.indicators.series import (
    Lagged,
    Series,
    add_lagged,
    add_pair,
    fill_upwards,
    windowed,
)
from earlyhelp.domain.orgtree import Node

Pair = tuple[Series, Series]
SeriesByKey = tuple[dict[int, Pair], dict[int, Pair]]  # (by org unit, by worker)


def filled_tally(population: Population, code: str, order: list[Node]) -> tuple[
    dict[int, Lagged], dict[int, Lagged]
]:  # fmt: skip
    """A windowed indicator's monthly buckets, org units filled upwards."""
    tally = population.tallies[code]
    by_org = fill_upwards(tally.by_org, order, empty=dict, add=add_lagged)
    return by_org, tally.by_worker


def window_series(
    buckets: tuple[dict[int, Lagged], dict[int, Lagged]], window: int, size: int
) -> SeriesByKey:
    by_org, by_worker = buckets
    return (
        {key: windowed(lags, window, size) for key, lags in by_org.items()},
        {key: windowed(lags, window, size) for key, lags in by_worker.items()},
    )


def as_of_series(population: Population, code: str, order: list[Node]) -> SeriesByKey:
    """EH08 and EH10: how many cases count at each month's as-of date."""
    ranges = population.ranges[code]
    size = population.span.size
    by_org = fill_upwards(
        ranges.by_org, order, empty=lambda: ([0] * size, [0] * size), add=add_pair
    )
    return by_org, ranges.by_worker


def caseholding_fte(
    workers: Sequence[WorkerRecord], order: list[Node]
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """EH10 denominators: practitioners' FTE per org unit (filled upwards); each worker's own."""
    own: dict[int, list[Decimal]] = {}
    for worker in workers:
        if rules.holds_cases(worker.role):
            own.setdefault(worker.unit_id, [Decimal(0)])[0] += worker.fte
    by_org = fill_upwards(own, order, empty=lambda: [Decimal(0)], add=_add_decimal)
    return {key: total[0] for key, total in by_org.items()}, {w.id: w.fte for w in workers}


def _add_decimal(into: list[Decimal], other: list[Decimal]) -> None:
    into[0] += other[0]


def filled_durations(population: Population, order: list[Node]) -> tuple[Durations, Durations]:
    """EH09: closure durations by month (as histograms), org units filled upwards."""

    def merge(into: dict[int, Histogram], other: dict[int, Histogram]) -> None:
        for offset, histogram in other.items():
            merged = into.setdefault(offset, {})
            for days, n in histogram.items():
                merged[days] = merged.get(days, 0) + n

    by_org = fill_upwards(dict(population.durations_by_org), order, empty=dict, add=merge)
    return by_org, population.durations_by_worker


def window_medians(
    by_month: dict[int, Histogram], window: int, offsets: Iterable[int]
) -> dict[int, tuple[int, Decimal | None]]:
    """Per month offset asked: (count, median) of the durations of the W months ending there.

    The window slides: each month's histogram is added once and taken away once.
    """
    asked = set(offsets)
    wanted = sorted(asked)
    out: dict[int, tuple[int, Decimal | None]] = {}
    if not wanted:
        return out
    current: Histogram = {}
    count = 0
    start = wanted[0] - window + 1
    for offset in range(start, wanted[-1] + 1):
        count += _shift(current, by_month.get(offset), 1)
        if offset - window >= start:
            count -= _shift(current, by_month.get(offset - window), -1)
        if offset in asked:
            out[offset] = (count, median_of_counts(sorted(current.items()), count))
    return out


def _shift(current: Histogram, histogram: Histogram | None, sign: int) -> int:
    """Add (or take away) a month's histogram; returns how many durations it holds."""
    if not histogram:
        return 0
    for days, n in histogram.items():
        left = current.get(days, 0) + sign * n
        if left:
            current[days] = left
        else:
            del current[days]
    return sum(histogram.values())
