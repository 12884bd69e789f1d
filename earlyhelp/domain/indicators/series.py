"""Monthly series per org unit and worker: the arithmetic that makes a full recompute cheap.

Every record is visited once. A windowed indicator drops each record into the bucket of the
month its event falls in; the value for month M and window W is then a difference of prefix
sums, O(1) per month whatever W. An "at the as-of date" indicator (EH08, EH10) adds each
record to the contiguous run of months it counts in, with a difference array.
Org units are filled upwards: a unit's series are added to its parent's, and so on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from earlyhelp.domain.orgtree import Node

Series = list[int]
Lagged = dict[int, tuple[Series, Series]]
Event = tuple[int | None, int | None, int, int]  # (org unit, worker, month, lag)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Span:
    """The months computed, as month indexes (inclusive)."""

    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def _pair(size: int) -> tuple[Series, Series]:
    return [0] * size, [0] * size


@dataclass
class Tally:
    """Numerator and denominator per key (org unit or worker id) and month of the span.

    Buckets are kept per lag: an event of month r with lag δ counts in the window ending M
    only once M ≥ r + δ (EH07: a notification counts once the as-of date has reached its due date).
    """

    span: Span
    by_org: dict[int, Lagged] = field(default_factory=dict)
    by_worker: dict[int, Lagged] = field(default_factory=dict)

    @classmethod
    def count(cls, span: Span, *, num: Counter[Event], den: Counter[Event]) -> Tally:
        tally = cls(span)
        for side, counts in ((0, num), (1, den)):
            for (org, worker, month, lag), n in counts.items():
                index = month - span.first
                if index >= span.size:
                    continue  # after the last month computed
                if index < 0:
                    raise ValueError("an event before the first month of the span")
                if org is not None:
                    tally._slot(tally.by_org, org, lag)[side][index] += n
                if worker is not None:
                    tally._slot(tally.by_worker, worker, lag)[side][index] += n
        return tally

    def _slot(self, table: dict[int, Lagged], key: int, lag: int) -> tuple[Series, Series]:
        lags = table.setdefault(key, {})
        pair = lags.get(lag)
        if pair is None:
            pair = lags[lag] = _pair(self.span.size)
        return pair


def _prefix(values: Series) -> Series:
    out, running = [0], 0
    for value in values:
        running += value
        out.append(running)
    return out


def window_sums(values: Series, window: int, lag: int = 0) -> Series:
    """out[i] = sum of values[i − window + 1 … i − lag] (indexes below 0 are empty)."""
    if lag >= window:
        return [0] * len(values)
    prefix = _prefix(values)
    return [
        prefix[max(i - lag + 1, 0)] - prefix[max(i - window + 1, 0)] for i in range(len(values))
    ]


def windowed(lags: Lagged, window: int, size: int) -> tuple[Series, Series]:
    """Numerator and denominator of the window of W months ending with each month."""
    if len(lags) == 1 and 0 in lags:
        nums, dens = lags[0]
        return window_sums(nums, window), window_sums(dens, window)
    nums, dens = [0] * size, [0] * size
    for lag, (lag_nums, lag_dens) in lags.items():
        for out, values in ((nums, lag_nums), (dens, lag_dens)):
            for i, total in enumerate(window_sums(values, window, lag)):
                out[i] += total
    return nums, dens


@dataclass
class RangeTally:
    """Per key, how many records count at each month's as-of date.

    Built from runs of months: a start key adds 1 from its month on, a stop key takes it
    away from its month on (difference arrays, then prefix sums).
    """

    span: Span
    by_org: dict[int, tuple[Series, Series]] = field(default_factory=dict)
    by_worker: dict[int, tuple[Series, Series]] = field(default_factory=dict)

    @classmethod
    def count(
        cls,
        span: Span,
        *,
        num: tuple[Counter[Event], Counter[Event]],
        den: tuple[Counter[Event], Counter[Event]],
    ) -> RangeTally:
        diffs = cls(span)
        for side, (starts, stops) in ((0, num), (1, den)):
            for counts, sign in ((starts, 1), (stops, -1)):
                for (org, worker, month, _lag), n in counts.items():
                    index = min(max(month - span.first, 0), span.size)
                    for table, key in ((diffs.by_org, org), (diffs.by_worker, worker)):
                        if key is not None:
                            pair = table.get(key) or table.setdefault(key, _pair(span.size + 1))
                            pair[side][index] += sign * n
        return cls(span, _totals(diffs.by_org), _totals(diffs.by_worker))


def _totals(table: dict[int, tuple[Series, Series]]) -> dict[int, tuple[Series, Series]]:
    return {key: (_prefix(n)[1:-1], _prefix(d)[1:-1]) for key, (n, d) in table.items()}


def rollup_order(nodes: Iterable[Node]) -> list[Node]:
    """Org units deepest first, so each is complete before it is added to its parent."""
    by_id = {n.id: n for n in nodes}

    def depth(node: Node) -> int:
        steps = 0
        while node.parent_id is not None:
            node = by_id[node.parent_id]
            steps += 1
        return steps

    return sorted(by_id.values(), key=lambda n: (-depth(n), n.code))


def fill_upwards(
    own: dict[int, T], order: list[Node], *, empty: Callable[[], T], add: Callable[[T, T], None]
) -> dict[int, T]:
    """Each org unit's own figures plus everything below it: unit → district → area → county.

    A unit hanging from the county is added to the county only, as the tree says.
    """
    totals: dict[int, T] = defaultdict(empty)
    for node in order:
        if node.id in own:
            add(totals[node.id], own[node.id])
    for node in order:
        if node.parent_id is not None and node.id in totals:
            add(totals[node.parent_id], totals[node.id])
    return dict(totals)


def add_lagged(into: Lagged, other: Lagged) -> None:
    for lag, (nums, dens) in other.items():
        if lag not in into:
            into[lag] = ([0] * len(nums), [0] * len(dens))
        add_pair(into[lag], (nums, dens))


def add_pair(into: tuple[Series, Series], other: tuple[Series, Series]) -> None:
    for target, source in zip(into, other, strict=True):
        for i, value in enumerate(source):
            if value:
                target[i] += value
