"""What the synthetic county is calibrated to, year by year.

Each rate starts at Kent's 2014-15 actual (the baseline column of the seed scorecard) and
moves in a straight line, one step a financial year, to the value aimed at for 2017-18
(the target, except plans within 4 weeks: 90%, between the Cabinet Committee's 85% and the
plan's 95%). Financial years are named by the year they end in (2015 = 2014-15).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIRST_YEAR = 2015
LAST_YEAR = 2018
HISTORY_START = date(2014, 4, 1)
HISTORY_END = date(2018, 3, 31)


def financial_year(day: date) -> int:
    return day.year + 1 if day.month >= 4 else day.year


@dataclass(frozen=True, slots=True)
class Rate:
    code: str  # the indicator it calibrates (indicators.md), or "" for a working rate
    first: float  # 2014-15
    last: float  # 2017-18

    def in_year(self, year: int) -> float:
        step = (min(max(year, FIRST_YEAR), LAST_YEAR) - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)
        return self.first + (self.last - self.first) * step

    def on(self, day: date) -> float:
        return self.in_year(financial_year(day))


# Indicators (shares of the indicators.md denominators).
STEP_UP = Rate("EH01", 0.094, 0.04)  # of counted closures, closed STEP_UP_SCS
STEP_DOWN = Rate("EH02", 0.22, 0.27)  # step-down notifications ÷ SCS closures
ASSESSMENT = Rate("EH03", 0.97, 0.65)  # of triaged notifications (not ALREADY_OPEN)
PLAN_IN_TIME = Rate("EH04", 0.59, 0.90)  # plans within 28 days of notification
POSITIVE = Rate("EH05", 0.69, 0.86)  # of counted closures, positive
REREFERRAL = Rate("EH06", 0.25, 0.20)  # closed cases re-referred within 12 months
# Working rates that keep the rest of the casework realistic.
TRIAGE_IN_TIME = Rate("", 0.93, 0.97)  # EH07 service standard 95%
REVIEW_IN_TIME = Rate("", 0.85, 0.94)  # reviews held within 6 weeks of the last

CALIBRATED = (STEP_UP, STEP_DOWN, ASSESSMENT, PLAN_IN_TIME, POSITIVE, REREFERRAL)


def aimed_at(code: str, year: int) -> float:
    """The percentage the generator aims at for an indicator in a year."""
    rate = next(r for r in CALIBRATED if r.code == code)
    return round(rate.in_year(year) * 100, 1)
