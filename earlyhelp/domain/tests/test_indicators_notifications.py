"""Notification-based indicators (EH02, EH03, EH07, EH11) on hand-built notifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.records import ContextRecord
from earlyhelp.domain.tests.test_indicators_fixtures import (
    DN1,
    DN2,
    F3,
    counts,
    dataset,
    notification,
    rows,
)

D = Decimal
MARCH, FEBRUARY = 2016 * 12 + 2, 2016 * 12 + 1


@pytest.mark.parametrize(
    ("received", "category", "due"),
    [
        ("2016-01-08", "STANDARD", "2016-01-12"),  # Friday → Tuesday
        ("2016-01-09", "STANDARD", "2016-01-13"),  # Saturday → Wednesday
        ("2016-01-10", "STANDARD", "2016-01-13"),  # Sunday → Wednesday
        ("2016-03-25", "STANDARD", "2016-03-31"),  # Good Friday; Easter Monday 28th
        ("2015-12-24", "STANDARD", "2015-12-30"),  # Christmas and Boxing Day (28th)
        ("2015-12-25", "SCS_STEP_DOWN", "2015-12-31"),
        ("2016-01-10", "MISSING_CHILD", "2016-01-10"),  # police: same day, even a Sunday
        ("2016-03-28", "E_YOT", "2016-03-28"),  # and a bank holiday
    ],
)
def test_triage_due_dates(received: str, category: str, due: str) -> None:
    assert rules.triage_due(date.fromisoformat(received), category) == date.fromisoformat(due)


@pytest.mark.parametrize(
    ("received", "category", "triaged", "on_time"),
    [
        ("2016-01-08", "STANDARD", "2016-01-12", True),
        ("2016-01-08", "STANDARD", "2016-01-13", False),
        ("2016-03-25", "STANDARD", "2016-03-31", True),  # Good Friday
        ("2016-01-10", "MISSING_CHILD", "2016-01-10", True),
        ("2016-01-10", "MISSING_CHILD", "2016-01-11", False),
        ("2016-01-08", "STANDARD", None, False),  # pending past its due date: late
    ],
)
def test_eh07_on_time_means_triaged_by_the_due_date(
    received: str, category: str, triaged: str | None, on_time: bool
) -> None:
    data = dataset(notifications=(notification(received, category=category, triaged=triaged),))
    month = received[:7]
    assert counts(data, "EH07", "DN1", month, window=1)[:2] == (int(on_time), 1)


@pytest.mark.parametrize("received", ["2016-03-30", "2016-03-31"])  # due 1 and 4 April
def test_notifications_not_yet_due_at_the_as_of_date_wait_for_a_later_window(received: str) -> None:
    data = dataset(notifications=(notification(received),))
    assert counts(data, "EH07", "KC", "2016-03")[:2] == (0, 0)
    assert counts(data, "EH07", "KC", "2016-04")[:2] == (0, 1)  # late: still pending
    assert counts(data, "EH07", "KC", "2016-04", window=1)[:2] == (0, 0)  # not received in April
    assert counts(data, "EH11", "KC", "2016-03")[0] == 1


def test_a_notification_due_on_the_as_of_date_counts() -> None:
    data = dataset(notifications=(notification("2016-03-29", triaged="2016-03-31"),))
    assert counts(data, "EH07", "KC", "2016-03", window=1) == (1, 1, D("100.0"))


def test_eh03_counts_by_month_triaged_without_already_open_or_pending() -> None:
    data = dataset(notifications=(
        notification("2016-02-29", triaged="2016-03-01", decision="ASSESS_EHU"),
        notification("2016-03-02", triaged="2016-03-02", decision="ASSESS_OPEN_ACCESS"),
        notification("2016-03-02", triaged="2016-03-03", decision="NFA"),
        notification("2016-03-02", triaged="2016-03-03", decision="ALREADY_OPEN"),
        notification("2016-03-31"),
    ))  # fmt: skip
    assert counts(data, "EH03", "DN1", "2016-03", window=1) == (2, 3, D("66.7"))
    assert counts(data, "EH03", "DN1", "2016-02", window=1)[:2] == (0, 0)


def test_eh02_divides_step_downs_by_scs_closures_of_the_districts_concerned() -> None:
    data = dataset(
        notifications=(
            notification("2016-03-01", category="SCS_STEP_DOWN"),
            notification("2016-02-01", category="SCS_STEP_DOWN", family=F3),
            notification("2016-03-01"),
        ),
        context=(
            ContextRecord("SCS_CLOSURES", MARCH, DN1, 8),
            ContextRecord("SCS_CLOSURES", FEBRUARY, DN2, 3),
        ),  # fmt: skip
    )
    assert counts(data, "EH02", "DN1", "2016-03", window=1) == (1, 8, D("12.5"))
    assert counts(data, "EH02", "DN2", "2016-03", window=1) == (0, 0, None)
    assert counts(data, "EH02", "DN2", "2016-03", window=2) == (1, 3, D("33.3"))
    assert counts(data, "EH02", "KC", "2016-03") == (2, 11, D("18.2"))
    assert counts(data, "EH02", "AN", "2016-03") == (2, 11, D("18.2"))


def test_notifications_are_attributed_to_the_familys_district_and_have_no_unit_rows() -> None:
    data = dataset(notifications=(notification("2016-03-01", family=F3),))
    found = {(r.level, r.org_code): r.numerator for r in rows(data, "2016-03", code="EH11")}
    assert found == {("COUNTY", "KC"): 1, ("AREA", "AN"): 1, ("DISTRICT", "DN1"): 0,
                     ("DISTRICT", "DN2"): 1}  # fmt: skip


def test_eh11_counts_notifications_received_in_the_window() -> None:
    data = dataset(notifications=(
        notification("2015-03-31"), notification("2015-04-01"), notification("2016-03-31"),
    ))  # fmt: skip
    assert counts(data, "EH11", "KC", "2016-03") == (2, None, D(2))
