"""Months, windows, as-of dates and target years (spec/indicators.md, Terms).

A month is held as an integer index (`year * 12 + month - 1`) so that window arithmetic is
plain subtraction; `period_label` and `parse_period` convert to and from `YYYY-MM`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from earlyhelp.domain.errors import DomainError

_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


class InvalidPeriod(DomainError):
    """A period is not a month written `YYYY-MM`."""


def month_index(day: date) -> int:
    """The month a date falls in."""
    return day.year * 12 + day.month - 1


def month_of(year: int, month: int) -> int:
    return year * 12 + month - 1


def year_and_month(index: int) -> tuple[int, int]:
    return divmod(index, 12)[0], index % 12 + 1


def parse_period(text: str) -> int:
    match = _PERIOD.match(text.strip())
    if not match:
        raise InvalidPeriod(f"'{text}' is not a month (YYYY-MM)", field="period")
    return month_of(int(match.group(1)), int(match.group(2)))


def period_label(index: int) -> str:
    year, month = year_and_month(index)
    return f"{year:04d}-{month:02d}"


def first_day(index: int) -> date:
    year, month = year_and_month(index)
    return date(year, month, 1)


def as_of(index: int) -> date:
    """The as-of date of month M: its last day."""
    return first_day(index + 1) - timedelta(days=1)


def window_months(index: int, window: int) -> range:
    """The W months ending with M, as month indexes."""
    if window < 1:
        raise InvalidPeriod("a window is at least one month", field="window")
    return range(index - window + 1, index + 1)


def window_bounds(index: int, window: int) -> tuple[date, date]:
    """First and last day (inclusive) of the W calendar months ending with M."""
    months = window_months(index, window)
    return first_day(months[0]), as_of(months[-1])


def target_year(index: int) -> int:
    """The financial year containing M, named by the year in which it ends (31 March)."""
    year, month = year_and_month(index)
    return year if month <= 3 else year + 1
