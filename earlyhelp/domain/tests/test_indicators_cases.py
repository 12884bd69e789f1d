"""Case-based indicators on hand-built cases: every boundary spec/indicators.md names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from earlyhelp.domain.indicators.records import ImportedRecord
from earlyhelp.domain.indicators.targets import TargetSpec
from earlyhelp.domain.tests.test_indicators_fixtures import (
    CW,
    DN1,
    EHU1,
    F2,
    KC,
    W2,
    W3,
    W4,
    case,
    counts,
    dataset,
    notification,
    row,
    rows,
)

D = Decimal


# Windows: first and last day


@pytest.mark.parametrize(
    ("closed", "counted"),
    [("2015-03-31", 0), ("2015-04-01", 1), ("2016-03-31", 1), ("2016-04-01", 0)],
)
def test_a_closure_counts_from_the_first_to_the_last_day_of_the_window(
    closed: str, counted: int
) -> None:
    data = dataset(cases=(case("2015-01-10", closed=closed),))
    assert counts(data, "EH12", "KC", "2016-03") == (counted, None, D(counted))
    assert counts(data, "EH12", "EHU-1", "2016-03") == (counted, None, D(counted))


def test_a_one_month_window_is_the_month_itself() -> None:
    data = dataset(
        cases=(case("2015-01-10", closed="2016-02-29"), case("2015-01-10", closed="2016-03-01"))
    )
    assert counts(data, "EH12", "KC", "2016-03", window=1)[0] == 1
    assert counts(data, "EH12", "KC", "2016-02", window=1)[0] == 1
    assert counts(data, "EH12", "KC", "2016-03", window=2)[0] == 2


# EH01, EH05, EH12: counted closures


def test_administrative_closures_are_not_counted() -> None:
    reasons = ("STEP_UP_SCS", "OUTCOMES_ACHIEVED", "OUTCOMES_ACHIEVED_OPEN_ACCESS",
               "OUTCOMES_NOT_ACHIEVED", "MOVED_AWAY", "TRANSFERRED", "CLOSED_IN_ERROR")  # fmt: skip
    data = dataset(cases=tuple(case("2015-06-01", closed="2016-01-05", reason=r) for r in reasons))
    assert counts(data, "EH12", "KC", "2016-03") == (4, None, D(4))
    assert counts(data, "EH01", "KC", "2016-03") == (1, 4, D("25.0"))
    assert counts(data, "EH05", "KC", "2016-03") == (2, 4, D("50.0"))


# EH04: plans within 4 weeks


@pytest.mark.parametrize(
    ("plan", "on_time"), [("2016-01-28", 1), ("2016-01-29", 1), ("2016-01-30", 0), (None, 0)]
)
def test_a_plan_28_days_after_notification_is_in_time_29_is_not(
    plan: str | None, on_time: int
) -> None:
    # notified 1 January 2016: deadline 29 January (28 days)
    data = dataset(cases=(case("2016-01-04", start="2016-01-01", plan=plan),))
    assert counts(data, "EH04", "EHU-1", "2016-01", window=1) == (
        on_time, 1, D(100 * on_time).quantize(D("0.1")),
    )  # fmt: skip


def test_a_case_without_a_notification_starts_when_it_opened() -> None:
    data = dataset(cases=(case("2016-01-01", plan="2016-01-29"),))
    assert counts(data, "EH04", "KC", "2016-01", window=1)[:2] == (1, 1)


def test_the_cohort_is_by_deadline_month() -> None:
    data = dataset(cases=(case("2016-03-05", plan="2016-03-20"),))  # deadline 2 April
    assert counts(data, "EH04", "KC", "2016-03", window=1)[:2] == (0, 0)
    assert counts(data, "EH04", "KC", "2016-04", window=1)[:2] == (1, 1)


@pytest.mark.parametrize(
    ("closed", "plan", "in_cohort"),
    [
        ("2016-01-20", None, False),  # closed before the deadline without a plan: left out
        ("2016-01-20", "2016-01-15", True),  # closed before the deadline with a plan
        ("2016-01-29", None, True),  # closed on the deadline: not before it
        ("2016-02-10", None, True),
    ],
)
def test_cases_closed_before_the_deadline_without_a_plan_leave_the_cohort(
    closed: str, plan: str | None, in_cohort: bool
) -> None:
    data = dataset(cases=(case("2016-01-01", plan=plan, closed=closed),))
    assert counts(data, "EH04", "KC", "2016-01", window=1)[1] == int(in_cohort)


# EH06: re-referrals within 12 months


@pytest.mark.parametrize(
    ("received", "rereferred"),
    [
        ("2015-03-15", False),  # the day it closed: not after
        ("2015-03-16", True),
        ("2016-03-13", True),  # 364 days
        ("2016-03-14", True),  # 365 days
        ("2016-03-15", False),  # 366 days
    ],
)
def test_a_re_referral_is_within_365_days_after_closure(received: str, rereferred: bool) -> None:
    # closed in March 2015: the cohort of the 12-month window ending March 2016
    data = dataset(
        cases=(case("2014-12-01", closed="2015-03-15"),),
        notifications=(notification(received, family=F2), notification("2014-11-20")),
    )
    # another family's notification is not a re-referral of this family
    assert counts(data, "EH06", "KC", "2016-03")[:2] == (0, 1)
    same_family = dataset(
        cases=(case("2014-12-01", closed="2015-03-15"),),
        notifications=(notification(received), notification("2014-11-20")),
    )
    assert counts(same_family, "EH06", "KC", "2016-03")[:2] == (int(rereferred), 1)
    assert counts(same_family, "EH06", "W1", "2016-03")[:2] == (int(rereferred), 1)


def test_the_re_referral_cohort_is_the_window_twelve_months_earlier() -> None:
    data = dataset(cases=(
        case("2014-01-01", closed="2014-03-31"), case("2014-01-01", closed="2014-04-01"),
        case("2014-01-01", closed="2015-03-31"), case("2014-01-01", closed="2015-04-01"),
    ))  # fmt: skip
    assert counts(data, "EH06", "KC", "2016-03")[1] == 2
    assert counts(data, "EH06", "KC", "2016-03", window=1)[1] == 1


def test_step_ups_and_administrative_closures_leave_the_re_referral_cohort() -> None:
    data = dataset(cases=tuple(
        case("2014-12-01", closed="2015-03-15", reason=r)
        for r in ("STEP_UP_SCS", "MOVED_AWAY", "TRANSFERRED", "CLOSED_IN_ERROR",
                  "CONSENT_WITHDRAWN", "OUTCOMES_NOT_ACHIEVED")
    ))  # fmt: skip
    assert counts(data, "EH06", "KC", "2016-03") == (0, 2, D("0.0"))


# EH08: reviews in the last 6 weeks


@pytest.mark.parametrize(
    ("plan", "in_cohort"),
    [("2016-02-18", True), ("2016-02-19", False)],  # as-of − 42, − 41
)
def test_the_review_cohort_needs_a_plan_42_days_before_the_as_of_date(
    plan: str, in_cohort: bool
) -> None:
    data = dataset(cases=(case("2016-01-01", plan=plan),))
    assert counts(data, "EH08", "KC", "2016-03")[1] == int(in_cohort)


@pytest.mark.parametrize(
    ("review", "counted"),
    [("2016-02-18", False), ("2016-02-19", True), ("2016-03-31", True), ("2016-03-01", True)],
)
def test_a_review_counts_in_the_42_days_ending_on_the_as_of_date(
    review: str, counted: bool
) -> None:
    data = dataset(cases=(case("2016-01-01", plan="2016-01-10", reviews=(review,)),))
    assert counts(data, "EH08", "EHU-1", "2016-03") == (
        int(counted), 1, D("100.0") if counted else D("0.0"),
    )  # fmt: skip
    assert row(data, "EH08", "KC", "2016-03").window is None


@pytest.mark.parametrize(("closed", "open_"), [("2016-03-31", False), ("2016-04-01", True)])
def test_a_case_closed_on_the_as_of_date_is_not_open(closed: str, open_: bool) -> None:
    data = dataset(cases=(case("2016-01-01", plan="2016-01-10", closed=closed),))
    assert counts(data, "EH08", "KC", "2016-03")[1] == int(open_)
    assert counts(data, "EH10", "EHU-1", "2016-03")[0] == int(open_)


def test_eh08_is_the_same_whatever_the_window() -> None:
    data = dataset(cases=(case("2015-01-01", plan="2015-01-10", reviews=("2016-03-10",)),))
    assert counts(data, "EH08", "KC", "2016-03", window=1) == counts(data, "EH08", "KC", "2016-03")


# EH09: median duration


def test_the_median_duration_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    data = dataset(cases=(
        case("2016-01-01", closed="2016-01-11"), case("2016-01-01", closed="2016-01-22"),
        case("2016-01-01", closed="2016-02-01", reason="MOVED_AWAY"),
    ))  # fmt: skip
    found = row(data, "EH09", "KC", "2016-03")
    assert (found.numerator, found.denominator, found.value) == (None, 2, D("15.5"))


def test_no_closures_no_median() -> None:
    found = row(dataset(), "EH09", "EHU-1", "2016-03")
    assert (found.numerator, found.denominator, found.value, found.rag) == (None, 0, None, None)


# EH10: open cases per practitioner FTE


def test_cases_per_fte_count_practitioners_only_but_every_worker_at_worker_level() -> None:
    data = dataset(cases=(
        case("2016-01-01"), case("2016-01-01", worker=W2), case("2016-01-01", worker=W3),
        case("2016-01-01", unit=CW, worker=W4), case("2016-04-01"),
    ))  # fmt: skip
    # EHU-1: W1 1.0 + W2 0.5 (the unit leader W3 is not counted): 3 / 1.5
    assert counts(data, "EH10", "EHU-1", "2016-03") == (3, D("1.5"), D("2.00"))
    assert counts(data, "EH10", "W3", "2016-03") == (1, D("0.5"), D("2.00"))  # unit leader
    assert counts(data, "EH10", "W2", "2016-03") == (1, D("0.5"), D("2.00"))  # part-time
    assert counts(data, "EH10", "W4", "2016-03") == (1, D("0.6"), D("1.67"))
    assert counts(data, "EH10", "KC", "2016-03") == (4, D("2.1"), D("1.90"))
    assert counts(data, "EH10", "EHU-2", "2016-03") == (0, D(0), None)  # nobody: empty


# Attribution and rows


def test_a_county_wide_unit_counts_at_its_unit_and_the_county_only() -> None:
    data = dataset(cases=(case("2015-06-01", unit=CW, worker=W4, closed="2016-01-05"),))
    assert counts(data, "EH12", "CW", "2016-03")[0] == 1
    assert counts(data, "EH12", "W4", "2016-03")[0] == 1
    assert counts(data, "EH12", "KC", "2016-03")[0] == 1
    assert counts(data, "EH12", "AN", "2016-03")[0] == 0
    assert counts(data, "EH12", "DN1", "2016-03")[0] == 0


def test_a_case_counts_at_its_unit_its_worker_and_every_level_above() -> None:
    data = dataset(cases=(case("2015-06-01", closed="2016-01-05"),))
    found = {r.org_code for r in rows(data, "2016-03", code="EH12") if r.numerator}
    assert found == {"KC", "AN", "DN1", "EHU-1", "W1"}


def test_a_case_without_a_worker_counts_for_its_unit() -> None:
    data = dataset(cases=(case("2015-06-01", worker=None, closed="2016-01-05"),))
    assert counts(data, "EH12", "EHU-1", "2016-03")[0] == 1
    assert counts(data, "EH12", "W1", "2016-03")[0] == 0


def test_empty_denominators_give_empty_values_and_no_rag() -> None:
    found = row(dataset(), "EH01", "EHU-2", "2016-03")
    assert (found.numerator, found.denominator, found.value, found.rag) == (0, 0, None, None)
    assert found.target == D(
        "6"
    )  # the year's target is kept; the scorecard shows it only with a value


def test_rag_uses_the_target_year_of_the_month_and_overrides() -> None:
    data = dataset(
        cases=(
            case("2015-01-01", closed="2015-06-01", reason="STEP_UP_SCS"),
            *[case("2015-01-01", closed="2015-06-01") for _ in range(15)],
        ),  # fmt: skip
        targets={("EH01", 2017): TargetSpec(D("7"), D("8"))},
    )
    march = row(data, "EH01", "KC", "2016-03")  # 6.3 against 6 (lower): default floor 6.6
    april = row(data, "EH01", "KC", "2016-04")  # against 7
    assert (march.value, march.target, march.rag) == (D("6.3"), D("6"), "AMBER")
    assert (april.value, april.target, april.rag) == (D("6.3"), D("7"), "GREEN")


def test_imported_values_stand_as_given_for_their_org_unit_only() -> None:
    data = dataset(imported=(
        ImportedRecord("NEET01", 2016 * 12 + 2, KC, D("4.1"), None, None),
        ImportedRecord("CC03", 2016 * 12 + 2, DN1, D("83.9"), 839, 1000),
        ImportedRecord("NEET01", 2016 * 12 + 1, KC, D("4.3"), None, None),
    ))  # fmt: skip
    found = [r for r in rows(data, "2016-03") if r.code in {"NEET01", "CC03"}]
    assert [(r.code, r.level, r.org_code, r.window, r.numerator, r.denominator, r.value, r.rag)
            for r in found] == [
        ("CC03", "DISTRICT", "DN1", None, 839, 1000, D("83.9"), "AMBER"),
        ("NEET01", "COUNTY", "KC", None, None, None, D("4.1"), "RED"),
    ]  # fmt: skip


def test_units_of_every_service_have_rows_even_with_nothing_in_them() -> None:
    found = {r.org_code for r in rows(dataset(), "2016-03", code="EH05") if r.level == "UNIT"}
    assert found == {"EHU-1", "EHU-2", "CW"}
    assert EHU1 != CW
