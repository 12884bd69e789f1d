from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.workingdays import add_working_days, is_working_day, triage_due_date

dates = st.dates(min_value=date(2013, 1, 1), max_value=date(2030, 12, 31))


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2016, 1, 8), date(2016, 1, 12)),  # Friday → Tuesday
        (date(2016, 1, 9), date(2016, 1, 13)),  # Saturday → Wednesday
        (date(2016, 1, 10), date(2016, 1, 13)),  # Sunday → Wednesday
        (date(2015, 12, 24), date(2015, 12, 30)),  # Thursday; 25 and 28 Dec holidays
        (date(2015, 12, 25), date(2015, 12, 31)),  # Christmas → 29 → +2 = 31
        (date(2016, 3, 24), date(2016, 3, 30)),  # Good Friday 25th, Easter Monday 28th
    ],
)
def test_two_working_days_follow_the_spec(received: date, expected: date) -> None:
    assert add_working_days(received, 2) == expected


def test_bank_holidays_of_england_are_not_working_days() -> None:
    assert not is_working_day(date(2016, 5, 2))  # Early May bank holiday
    assert not is_working_day(date(2016, 8, 29))  # Summer bank holiday (England)
    assert is_working_day(date(2016, 8, 1))  # Scotland's summer holiday is not England's


def test_same_day_for_police_notifications() -> None:
    saturday = date(2016, 1, 9)
    assert triage_due_date(saturday, "MISSING_CHILD") == saturday
    assert triage_due_date(saturday, "E_YOT") == saturday
    assert triage_due_date(saturday, "STANDARD") == date(2016, 1, 13)


@given(dates, st.integers(min_value=0, max_value=30))
def test_result_is_a_working_day_after_the_start(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert result >= day
    assert result - day <= timedelta(days=2 * n + 10)


@given(dates, st.integers(min_value=0, max_value=20))
def test_exactly_n_working_days_lie_after_the_first(day: date, n: int) -> None:
    result = add_working_days(day, n)
    first = add_working_days(day, 0)
    between = [
        first + timedelta(days=i + 1)
        for i in range((result - first).days)
        if is_working_day(first + timedelta(days=i + 1))
    ]
    assert len(between) == n


@given(dates, st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=10))
def test_steps_compose(day: date, a: int, b: int) -> None:
    assert add_working_days(add_working_days(day, a), b) == add_working_days(day, a + b)


def test_negative_steps_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2016, 1, 4), -1)
