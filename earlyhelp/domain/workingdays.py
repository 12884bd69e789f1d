"""Working days: Monday to Friday, less the bank holidays of England and Wales."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from earlyhelp.domain.codes import SAME_DAY_CATEGORIES, Category


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, n: int) -> date:
    """Move to the next working day if `day` is not one, then step forward `n` working days.

    Friday + 2 → Tuesday; Saturday + 2 → Wednesday (spec/indicators.md, Terms).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    current = next_working_day_on_or_after(day)
    for _ in range(n):
        current = next_working_day_on_or_after(current + timedelta(days=1))
    return current


def triage_due_date(received_on: date, category: str, *, urgent: bool = False) -> date:
    """Same day for missing-child and e-YOT notifications (and those the referrer marked
    urgent), else 2 working days."""
    if urgent or Category(category) in SAME_DAY_CATEGORIES:
        return received_on
    return add_working_days(received_on, 2)
