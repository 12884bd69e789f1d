"""The rows of one indicator and window, month by month: numbers, value, target and RAG.

A full recompute builds ~400,000 rows, so this is the one place written for speed: the
series are looked up once per key, RAG is remembered per value, and rows are built with
`tuple.__new__` rather than the named tuple's Python-level constructor. A block hands out
a month's rows as a chunk: what they share (indicator, month, window, target, floor) once,
and what each has of its own, so that storage binds the shared values once per statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple, TypeVar

from earlyhelp.domain.indicators import assemble
from earlyhelp.domain.indicators.arithmetic import Polarity, percentage, rag, ratio
from earlyhelp.domain.indicators.definitions import Indicator
from earlyhelp.domain.indicators.population import Durations
from earlyhelp.domain.indicators.targets import TargetSpec

RowKey = tuple[str, int | None, int | None, str]  # level, org unit id, worker id, code
# The rows of one indicator, window and month share a head; each has a body of its own.
Head = tuple[str, str, int | None, Decimal | None, Decimal | None]  # code, period, window,
#   target, floor
Body = tuple[
    str, int | None, int | None, str, int | None, int | Decimal | None, Decimal | None, str | None
]  # level, org unit id, worker id, org code, numerator, denominator, value, RAG
Chunk = tuple[Head, list[Body]]
T = TypeVar("T")


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


_new_row = tuple.__new__
_MISSING = object()


class Judge:
    """RAG of one indicator and target year, remembered per value (values repeat a lot)."""

    def __init__(self, polarity: Polarity, spec: TargetSpec | None) -> None:
        self.polarity = polarity
        self.target = spec.target if spec else None
        self.floor = spec.floor if spec else None
        self.cache: dict[Decimal, str | None] = {}

    def __call__(self, value: Decimal | None) -> str | None:
        if value is None or self.target is None:
            return None
        found = self.cache.get(value, _MISSING)
        if found is _MISSING:
            status = rag(value, target=self.target, floor=self.floor, polarity=self.polarity)
            found = self.cache[value] = status.value if status else None
        return found  # type: ignore[return-value]


def _percentage(num: int, den: int) -> tuple[int, int, Decimal | None]:
    return num, den, percentage(num, den)


def _count(num: int, den: int) -> tuple[int, None, Decimal]:
    """EH11, EH12: the value is the numerator; there is no denominator."""
    return num, None, Decimal(num)


def _per_fte(num: int, den: Decimal) -> tuple[int, Decimal, Decimal | None]:
    return num, den, ratio(num, den, places=2)


ValueOf = Callable[[int, int], tuple[int, int | Decimal | None, Decimal | None]]
_VALUES: dict[str, ValueOf] = {"EH10": _per_fte, "EH11": _count, "EH12": _count}  # type: ignore[dict-item]


class Block:
    """One indicator and window: (numerators, denominators) by month for every row key."""

    def __init__(
        self,
        indicator: Indicator,
        window: int | None,
        keys: Sequence[RowKey],
        series: assemble.SeriesByKey,
        *,
        size: int,
        targets: Mapping[int, TargetSpec | None],
    ) -> None:
        self.code, self.window = indicator.code, window
        by_org, by_worker = series
        zeros = [0] * size
        self.keys = [
            (key, _pick(by_org, by_worker, key) or (zeros, zeros)) for key in keys
        ]  # fmt: skip
        self.judges = {year: Judge(indicator.polarity, spec) for year, spec in targets.items()}

    def head(self, period: str, year: int) -> Head:
        judge = self.judges[year]
        return (self.code, period, self.window, judge.target, judge.floor)

    def chunk(self, offset: int, period: str, year: int) -> Chunk:
        """The month's rows as what they share and what each has of its own."""
        judge = self.judges[year]
        value_of = _VALUES.get(self.code, _percentage)
        body: list[Body] = []
        add = body.append
        for (level, org_id, worker_id, org_code), (nums, dens) in self.keys:
            num, den, value = value_of(nums[offset], dens[offset])
            add((level, org_id, worker_id, org_code, num, den, value, judge(value)))
        return self.head(period, year), body


class MedianBlock(Block):
    """EH09: the count and the median duration of each window's counted closures."""

    def __init__(
        self,
        indicator: Indicator,
        window: int,
        keys: Sequence[RowKey],
        durations: tuple[Durations, Durations],
        *,
        offsets: Sequence[int],
        targets: Mapping[int, TargetSpec | None],
    ) -> None:
        super().__init__(indicator, window, keys, ({}, {}), size=0, targets=targets)
        by_org, by_worker = durations
        self.medians = [
            assemble.window_medians(_pick(by_org, by_worker, key) or {}, window, offsets)
            for key in keys
        ]

    def chunk(self, offset: int, period: str, year: int) -> Chunk:
        judge = self.judges[year]
        body: list[Body] = []
        add = body.append
        for ((level, org_id, worker_id, org_code), _), medians in zip(
            self.keys, self.medians, strict=True
        ):
            count, value = medians[offset]
            add((level, org_id, worker_id, org_code, None, count, value, judge(value)))
        return self.head(period, year), body


def rows_of(chunk: Chunk) -> Iterator[ResultRow]:
    """A chunk's rows, whole."""
    (code, period, window, target, floor), body = chunk
    for level, org_id, worker_id, org_code, num, den, value, status in body:
        yield _new_row(ResultRow, (
            code, level, org_id, worker_id, org_code, period, window, num, den, value,
            target, floor, status,
        ))  # fmt: skip


def head_of(row: ResultRow) -> Head:
    """What a row shares with the other rows of its indicator, window and month."""
    return (row.code, row.period, row.window, row.target, row.floor)


def chunk_of(rows: Sequence[ResultRow]) -> Chunk:
    """Rows that share their head (the first row's) as one chunk."""
    return (
        head_of(rows[0]),
        [(row.level, row.org_id, row.worker_id, row.org_code, row.numerator, row.denominator,
          row.value, row.rag) for row in rows],
    )  # fmt: skip


def _pick(by_org: Mapping[int, T], by_worker: Mapping[int, T], key: RowKey) -> T | None:
    _, org_id, worker_id, _ = key
    if org_id is not None:
        return by_org.get(org_id)
    return by_worker.get(worker_id) if worker_id is not None else None
