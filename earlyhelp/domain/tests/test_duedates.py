from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.duedates import (
    CaseDates,
    Drift,
    DueKind,
    add_months,
    drift_flags,
    next_due,
    plan_deadline,
)

NOTIFIED = date(2016, 1, 4)


def test_the_next_thing_due_follows_the_pathway() -> None:
    case = CaseDates(opened_on=date(2016, 1, 6), notified_on=NOTIFIED)
    due = next_due(case)
    assert due is not None
    assert (due.kind, due.due_on) == (DueKind.ASSESSMENT_START, date(2016, 1, 18))
    case = CaseDates(date(2016, 1, 6), NOTIFIED, date(2016, 1, 8), date(2016, 1, 15))
    due = next_due(case)
    assert due is not None
    assert (due.kind, due.due_on) == (DueKind.PLAN, date(2016, 2, 1))  # 28 days after notice
    case = CaseDates(
        date(2016, 1, 6), NOTIFIED, date(2016, 1, 8), date(2016, 1, 15), date(2016, 1, 20)
    )
    due = next_due(case)
    assert due is not None
    assert (due.kind, due.due_on) == (DueKind.REVIEW, date(2016, 3, 2))  # 42 days after plan


def test_reviews_restart_the_six_week_clock() -> None:
    case = CaseDates(
        opened_on=NOTIFIED,
        assessment_started_on=NOTIFIED,
        assessment_completed_on=NOTIFIED,
        plan_agreed_on=date(2016, 1, 20),
        last_review_on=date(2016, 3, 1),
    )
    due = next_due(case)
    assert due is not None
    assert due.due_on == date(2016, 4, 12)


def test_closed_cases_have_nothing_due_and_no_drift() -> None:
    case = CaseDates(opened_on=NOTIFIED, closed_on=date(2016, 2, 1))
    assert next_due(case) is None
    assert drift_flags(case, date(2017, 1, 1)) == []


def test_drift_flags() -> None:
    today = date(2016, 9, 1)
    case = CaseDates(opened_on=NOTIFIED, assessment_started_on=NOTIFIED)
    assert set(drift_flags(case, today)) == {
        Drift.NO_PLAN_BY_DEADLINE,
        Drift.NO_RECENT_CONTACT,
        Drift.OPEN_OVER_6_MONTHS,
    }
    fresh = CaseDates(
        opened_on=date(2016, 8, 20),
        assessment_started_on=date(2016, 8, 21),
        last_contact_on=date(2016, 8, 30),
    )
    assert drift_flags(fresh, today) == []
    reviewing = CaseDates(
        opened_on=date(2016, 6, 1),
        assessment_started_on=date(2016, 6, 2),
        assessment_completed_on=date(2016, 6, 10),
        plan_agreed_on=date(2016, 6, 20),
        last_contact_on=date(2016, 8, 25),
    )
    assert drift_flags(reviewing, today) == [Drift.REVIEW_OVERDUE]


def test_plan_deadline_is_exactly_28_days() -> None:
    case = CaseDates(opened_on=date(2016, 1, 10), notified_on=NOTIFIED)
    assert plan_deadline(case) == NOTIFIED + timedelta(days=28)
    assert not drift_flags(case, plan_deadline(case)).count(Drift.NO_PLAN_BY_DEADLINE)
    assert Drift.NO_PLAN_BY_DEADLINE in drift_flags(case, plan_deadline(case) + timedelta(1))


def test_add_months_clips_to_month_end() -> None:
    assert add_months(date(2016, 8, 31), 6) == date(2017, 2, 28)
    assert add_months(date(2015, 8, 31), 6) == date(2016, 2, 29)
    assert add_months(date(2016, 1, 15), 12) == date(2017, 1, 15)


@given(st.dates(min_value=date(2014, 1, 1), max_value=date(2020, 1, 1)), st.integers(0, 36))
def test_add_months_moves_forward_by_whole_months(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year - day.year) * 12 + result.month - day.month == months
    assert result.day <= day.day
