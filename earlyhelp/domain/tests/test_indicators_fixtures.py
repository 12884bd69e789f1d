"""A small hand-built county for the indicator tests, and helpers to read computed rows.

KC (county) → AN (area) → DN1, DN2 (districts) → EHU-1 (in DN1), EHU-2 (in DN2); CW is a
county-wide unit hanging from KC. Workers: W1 practitioner 1.0, W2 senior practitioner
0.5 and W3 unit leader 0.5 in EHU-1; W4 practitioner 0.6 in CW. Families F1 and F2 live
in DN1, F3 in DN2.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from earlyhelp.domain.indicators.compute import ResultRow, compute
from earlyhelp.domain.indicators.periods import parse_period
from earlyhelp.domain.indicators.records import (
    CaseRecord,
    ContextRecord,
    Dataset,
    ImportedRecord,
    NotificationRecord,
    WorkerRecord,
)
from earlyhelp.domain.orgtree import Node

KC, AN, DN1, DN2, EHU1, EHU2, CW = 1, 2, 3, 4, 5, 6, 7
W1, W2, W3, W4 = 11, 12, 13, 14
F1, F2, F3 = 21, 22, 23

NODES = (
    Node(KC, "KC", "County", "COUNTY", None, ""),
    Node(AN, "AN", "North", "AREA", KC, ""),
    Node(DN1, "DN1", "District 1", "DISTRICT", AN, ""),
    Node(DN2, "DN2", "District 2", "DISTRICT", AN, ""),
    Node(EHU1, "EHU-1", "Unit 1", "UNIT", DN1, "EARLY_HELP_UNIT"),
    Node(EHU2, "EHU-2", "Unit 2", "UNIT", DN2, "EARLY_HELP_UNIT"),
    Node(CW, "CW", "County-wide", "UNIT", KC, "YOUTH_JUSTICE"),
)
WORKERS = (
    WorkerRecord(W1, "W1", EHU1, "PRACTITIONER", Decimal("1")),
    WorkerRecord(W2, "W2", EHU1, "SENIOR_PRACTITIONER", Decimal("0.5")),
    WorkerRecord(W3, "W3", EHU1, "UNIT_LEADER", Decimal("0.5")),
    WorkerRecord(W4, "W4", CW, "PRACTITIONER", Decimal("0.6")),
)
FAMILIES = {F1: DN1, F2: DN1, F3: DN2}
EMPTY = Dataset(NODES, WORKERS, FAMILIES)


def case(
    opened: str,
    *,
    unit: int = EHU1,
    worker: int | None = W1,
    family: int = F1,
    start: str | None = None,
    plan: str | None = None,
    closed: str | None = None,
    reason: str = "",
    reviews: tuple[str, ...] = (),
) -> CaseRecord:
    if closed and not reason:
        reason = "OUTCOMES_ACHIEVED"
    return CaseRecord(
        unit, worker, family, date.fromisoformat(opened),
        date.fromisoformat(start or opened),
        date.fromisoformat(plan) if plan else None,
        date.fromisoformat(closed) if closed else None, reason,
        tuple(sorted(date.fromisoformat(r) for r in reviews)),
    )  # fmt: skip


def notification(
    received: str,
    *,
    family: int = F1,
    category: str = "STANDARD",
    triaged: str | None = None,
    decision: str = "",
) -> NotificationRecord:
    if triaged and not decision:
        decision = "NFA"
    return NotificationRecord(
        family, date.fromisoformat(received), category,
        date.fromisoformat(triaged) if triaged else None, decision,
    )  # fmt: skip


def dataset(
    *,
    cases: tuple[CaseRecord, ...] = (),
    notifications: tuple[NotificationRecord, ...] = (),
    context: tuple[ContextRecord, ...] = (),
    imported: tuple[ImportedRecord, ...] = (),
    **changes: object,
) -> Dataset:
    return replace(
        EMPTY, cases=cases, notifications=notifications, context=context, imported=imported,
        **changes,
    )  # fmt: skip


def rows(data: Dataset, period: str, window: int = 12, code: str | None = None) -> list[ResultRow]:
    return list(
        compute(data, months=[parse_period(period)], windows=[window],
                codes=None if code is None else [code])
    )  # fmt: skip


def row(data: Dataset, code: str, org_code: str, period: str, window: int = 12) -> ResultRow:
    """The one row of an indicator for an org unit (or worker code) and month."""
    found = [r for r in rows(data, period, window, code) if r.org_code == org_code]
    if len(found) != 1:
        raise LookupError(f"{len(found)} rows of {code} for {org_code} in {period}")
    return found[0]


def counts(data: Dataset, code: str, org_code: str, period: str, window: int = 12) -> tuple:
    """(numerator, denominator, value) of one row."""
    found = row(data, code, org_code, period, window)
    return found.numerator, found.denominator, found.value


def test_the_hand_built_county_has_a_row_for_every_unit_and_worker() -> None:
    found = {(r.level, r.org_code) for r in rows(EMPTY, "2016-03", code="EH12")}
    assert found == {
        ("COUNTY", "KC"), ("AREA", "AN"), ("DISTRICT", "DN1"), ("DISTRICT", "DN2"),
        ("UNIT", "EHU-1"), ("UNIT", "EHU-2"), ("UNIT", "CW"),
        ("WORKER", "W1"), ("WORKER", "W2"), ("WORKER", "W3"), ("WORKER", "W4"),
    }  # fmt: skip
