"""The worked example of spec/example, read straight from its CSV files into plain records.

This checks the pure computation against both expected scorecards without a database; the
performance app's test does the same through `earlyhelp import` and `earlyhelp scorecard`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from earlyhelp.domain.indicators.compute import ResultRow, compute
from earlyhelp.domain.indicators.periods import month_index, parse_period
from earlyhelp.domain.indicators.records import (
    CaseRecord,
    ContextRecord,
    Dataset,
    ImportedRecord,
    NotificationRecord,
    WorkerRecord,
    target_overrides,
)
from earlyhelp.domain.orgtree import Node

EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "spec" / "example"
pytestmark = pytest.mark.skipif(not EXAMPLE.is_dir(), reason="spec/example is not available")

Key = tuple[str, str, str, str, str]  # indicator, level, org unit, period, window


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (EXAMPLE / "dataset" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


class _Ids:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, ref: str) -> int:
        return self.ids.setdefault(ref, len(self.ids) + 1)


def load_example() -> Dataset:
    """The example dataset as records (CSV date-times are UK local time already)."""
    org, worker, family = _Ids(), _Ids(), _Ids()
    nodes = [
        Node(org(r["code"]), r["code"], r["name"], r["kind"],
             org(r["parent_code"]) if r["parent_code"] else None, r["service"])
        for r in _rows("org_units")
    ]  # fmt: skip
    workers = [
        WorkerRecord(
            worker(r["code"]), r["code"], org(r["unit_code"]), r["role"], Decimal(r["fte"])
        )
        for r in _rows("workers")
    ]
    districts = {family(r["family_id"]): org(r["district_code"]) for r in _rows("families")}
    person_family = {r["person_id"]: family(r["family_id"]) for r in _rows("people")}
    notifications, received = [], {}
    for r in _rows("notifications"):
        received[r["notification_id"]] = _day(r["received_at"])
        notifications.append(
            NotificationRecord(
                person_family[r["person_id"]], _day(r["received_at"]), r["category"],
                _day(r["triaged_at"]), r["triage_decision"],
            )
        )  # fmt: skip
    reviews: dict[str, list[date]] = {}
    for r in _rows("reviews"):
        reviews.setdefault(r["case_id"], []).append(date.fromisoformat(r["review_date"]))
    cases = [
        CaseRecord(
            org(r["unit_code"]), worker(r["worker_code"]) if r["worker_code"] else None,
            family(r["family_id"]), _day(r["opened_on"]),
            received.get(r["notification_id"]) or _day(r["opened_on"]),
            _day(r["plan_agreed_on"]), _day(r["closed_on"]), r["closure_reason"],
            tuple(sorted(reviews.get(r["case_id"], []))),
        )
        for r in _rows("cases")
    ]  # fmt: skip
    context = [
        ContextRecord(
            r["measure"], parse_period(r["period"]), org(r["org_unit_code"]), int(r["value"])
        )
        for r in _rows("context_figures")
    ]
    imported = [
        ImportedRecord(
            r["indicator_code"], parse_period(r["period"]), org(r["org_unit_code"]),
            Decimal(r["value"]), int(r["numerator"]) if r["numerator"] else None,
            int(r["denominator"]) if r["denominator"] else None,
        )
        for r in _rows("imported_indicators")
    ]  # fmt: skip
    targets = target_overrides([
        (r["indicator_code"], int(r["year"]), Decimal(r["target"]),
         Decimal(r["floor"]) if r["floor"] else None)
        for r in _rows("targets")
    ])  # fmt: skip
    return Dataset(nodes, workers, districts, cases, notifications, context, imported, targets)


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text != "" else None


def expected(name: str) -> dict[Key, tuple[object, ...]]:
    with (EXAMPLE / name).open(newline="", encoding="utf-8") as handle:
        return {
            _key(r): (
                _number(r["numerator"]), _number(r["denominator"]), _number(r["value"]),
                _number(r["target"]) if r["value"] else None, r["rag"] or None,
            )
            for r in csv.DictReader(handle)
        }  # fmt: skip


def _key(r: dict[str, str]) -> Key:
    return r["indicator_code"], r["level"], r["org_unit_code"], r["period"], r["window_months"]


def actual(rows: list[ResultRow]) -> dict[Key, tuple[object, ...]]:
    def num(value: object) -> Decimal | None:
        return None if value is None else Decimal(value)  # type: ignore[arg-type]

    return {
        (r.code, r.level, r.org_code, r.period, "" if r.window is None else str(r.window)): (
            num(r.numerator), num(r.denominator), r.value,
            r.target if r.value is not None else None, r.rag,
        )
        for r in rows
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "period", "window"),
    [("scorecard-2016-03-w12.csv", "2016-03", 12), ("scorecard-2015-12-w1.csv", "2015-12", 1)],
)
def test_the_worked_example_gives_every_expected_row(name: str, period: str, window: int) -> None:
    dataset = load_example()
    rows = list(compute(dataset, months=[parse_period(period)], windows=[window]))
    want, got = expected(name), actual(rows)
    assert len(rows) == len(got)  # no key twice
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    wrong = sorted((k, want[k], got[k]) for k in set(want) & set(got) if want[k] != got[k])
    assert (missing, extra, wrong) == ([], [], [])


def test_the_example_starts_in_april_2014() -> None:
    from earlyhelp.domain.indicators.compute import first_month

    assert first_month(load_example()) == month_index(date(2014, 4, 1))
