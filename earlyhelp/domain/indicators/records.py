"""The plain records the indicators are computed from: what the engine loads, and no more.

Named tuples rather than dataclasses: a county has ~100,000 of them and they are built in
one pass over a query, so construction cost matters; they are just as immutable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from earlyhelp.domain.indicators.targets import TargetSpec, TargetTable
from earlyhelp.domain.orgtree import Node


class CaseRecord(NamedTuple):
    """A case with its key dates, attributed to the unit and worker that hold it."""

    unit_id: int
    worker_id: int | None
    family_id: int
    opened_on: date
    start_on: date  # the received date of its notification, else opened_on (EH04)
    plan_agreed_on: date | None
    closed_on: date | None
    closure_reason: str  # "" while open
    review_dates: tuple[date, ...] = ()  # in date order


class NotificationRecord(NamedTuple):
    """A notification: dates are UK calendar dates of the received and triaged moments."""

    family_id: int
    received_on: date
    category: str
    triaged_on: date | None
    decision: str  # "" while pending


class WorkerRecord(NamedTuple):
    id: int
    code: str
    unit_id: int
    role: str
    fte: Decimal


class ContextRecord(NamedTuple):
    measure: str
    month: int
    org_id: int
    value: int


class ImportedRecord(NamedTuple):
    code: str
    month: int
    org_id: int
    value: Decimal
    numerator: int | None
    denominator: int | None


@dataclass(frozen=True)
class Dataset:
    """Everything one computation reads; `targets` holds the overrides of the defaults."""

    org_units: Sequence[Node]
    workers: Sequence[WorkerRecord] = ()
    family_districts: Mapping[int, int] = field(default_factory=dict)
    cases: Sequence[CaseRecord] = ()
    notifications: Sequence[NotificationRecord] = ()
    context: Sequence[ContextRecord] = ()
    imported: Sequence[ImportedRecord] = ()
    targets: TargetTable = field(default_factory=dict)


def target_overrides(rows: Sequence[tuple[str, int, Decimal, Decimal | None]]) -> TargetTable:
    """(indicator_code, year, target, floor) rows as a lookup by (code, year)."""
    return {(code, year): TargetSpec(target, floor) for code, year, target, floor in rows}
