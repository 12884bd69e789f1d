"""The calibration's arithmetic (the county's figures are checked in test_county)."""

from __future__ import annotations

from earlyhelp.demo.calibration import percentage
from earlyhelp.demo.rates import ASSESSMENT, STEP_UP


def test_rates_move_in_a_straight_line() -> None:
    assert [round(ASSESSMENT.in_year(y), 4) for y in range(2015, 2019)] == [
        0.97, 0.8633, 0.7567, 0.65,
    ]  # fmt: skip
    assert STEP_UP.in_year(2014) == STEP_UP.in_year(2015)
    assert STEP_UP.in_year(2020) == STEP_UP.in_year(2018)


def test_percentage_rounds_half_away_from_zero() -> None:
    assert percentage(1, 8) == 12.5
    assert percentage(1, 16) == 6.3  # 6.25
    assert percentage(0, 0) is None
